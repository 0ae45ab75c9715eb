import { GreenApiError, identifyAnswer, type ErrorContext } from '../nodes/GreenApi/errors/catalogue';
import { serviceText } from '../nodes/GreenApi/errors/serviceText';
import { archiveChat } from '../nodes/GreenApi/actions/chat/archive.operation';
import { unarchiveChat } from '../nodes/GreenApi/actions/chat/unarchive.operation';
import { redact } from '../nodes/GreenApi/transport/redaction';

const TOKEN = 'd75b3a66374942c5b3c019c698abc2067e151558acbd412345';

describe('service text from any body shape', () => {
	const text = 'ArchiveChatError: chat with id 71234567890@c.us not found';
	it.each([
		['plain text', text],
		['JSON message', JSON.stringify({ message: text })],
		['JSON description', JSON.stringify({ description: text })],
		['JSON error string', JSON.stringify({ error: text })],
		['JSON nested error', JSON.stringify({ error: { message: text, code: 400 } })],
		['JSON string', JSON.stringify(text)],
		['text with line breaks', `  ArchiveChatError: chat with id\n 71234567890@c.us   not found \n`],
	])('%s', (_shape, body) => {
		expect(serviceText(body)).toBe(text);
	});

	it('466 quota bodies: the nested descriptions', () => {
		const body = JSON.stringify({ invokeStatus: { status: 'QUOTE_ALLOWED_EXCEEDED', description: 'Monthly quota is exceeded' } });
		expect(serviceText(body)).toBe('Monthly quota is exceeded');
	});

	it('an HTML page from a proxy becomes its title, not a dump', () => {
		const page = `<html><head><title>502 Bad Gateway</title><style>body{}</style></head><body><h1>Bad Gateway</h1>${'<p>x</p>'.repeat(500)}</body></html>`;
		expect(serviceText(page)).toBe('502 Bad Gateway');
	});

	it('empty and unknown JSON objects', () => {
		expect(serviceText('')).toBe('');
		expect(serviceText('{"foo":1}')).toBe('{"foo":1}');
	});

	it('clips long text', () => {
		expect(serviceText('x'.repeat(5000)).length).toBeLessThanOrEqual(300);
	});
});

describe('redaction', () => {
	it('masks the token wherever it appears, raw or URL-encoded, and any token-shaped URL path', () => {
		const leaky = `GET https://api.green-api.com/waInstance1101/archiveChat/${TOKEN} failed; token=${TOKEN}; /waInstance7/getSettings/othertoken123`;
		const clean = redact(leaky, [TOKEN]);
		expect(clean).not.toContain(TOKEN);
		expect(clean).not.toContain('othertoken123');
		expect(clean).toContain('/waInstance1101/archiveChat/***');
	});
});

describe('documented answers become plain sentences', () => {
	const context = (serviceTextValue: string): ErrorContext => ({
		method: 'archiveChat',
		idInstance: '1101000001',
		host: 'https://1103.api.green-api.com',
		hostField: 'API URL',
		request: { chatId: '71234567890@c.us' },
		serviceText: serviceTextValue,
	});

	// Every error GREEN-API documents for archiveChat and for every method: status, the service's identifier text, the code, words the message must carry.
	const rows: Array<[number, string, string, RegExp, boolean]> = [
		[400, 'Bad Request Validation failed', 'VALIDATION_FAILED', /refused chat ID 71234567890@c\.us as invalid/, false],
		[400, 'ArchiveChatError: cannot archive chat cause last message not found in chat', 'NO_MESSAGES_IN_CHAT', /has no messages/, false],
		[400, 'ArchiveChatError: chat with id 71234567890@c.us already archive=true', 'ALREADY_ARCHIVED', /already archived/, false],
		[400, 'ArchiveChatError: chat with id 71234567890@c.us not found', 'CHAT_NOT_FOUND', /not among the contacts/, false],
		[400, "Validation failed. Details: 'value' must have at least 1 key", 'EMPTY_REQUEST', /no chat ID/, false],
		[500, 'interface conversion: interface {} is bool, not string', 'WRONG_FIELD_TYPE', /wrong type/, false],
		[400, 'instance in starting process try later', 'INSTANCE_STARTING', /still starting/, false],
		[400, 'instance account not authorized', 'NOT_AUTHORIZED', /not authorized/, false],
		[400, 'Instance account is expired. Please renew it', 'INSTANCE_EXPIRED', /has expired/, false],
		[400, 'Instance is deleted', 'INSTANCE_DELETED', /deleted/, false],
		[400, 'Unexpected token _ in JSON at position 12', 'MALFORMED_JSON', /as JSON/, false],
		[401, 'Unauthorized', 'UNAUTHORIZED', /API token/, false],
		[403, 'Forbidden', 'FORBIDDEN', /instance 1101000001 at https:\/\/1103\.api\.green-api\.com/, false],
		[404, 'Not Found', 'NOT_FOUND', /no method archiveChat/, false],
		[429, 'Too Many Requests', 'RATE_LIMITED', /rate limit/, true],
		[466, 'Monthly quota of the Developer plan is exceeded', 'QUOTA_EXCEEDED', /quota .*used up: Monthly quota of the Developer plan is exceeded/, false],
		[499, 'Client Closed Request', 'CLIENT_CLOSED_REQUEST', /closed before it finished/, true],
		[502, 'Bad Gateway', 'BAD_GATEWAY', /gateway/, true],
		[503, 'Service Unavailable', 'SERVICE_UNAVAILABLE', /temporarily unavailable/, true],
		[504, 'Gateway Timeout', 'GATEWAY_TIMEOUT', /did not answer/, true],
		[500, 'Internal Server Error', 'SERVER_ERROR', /failed while handling archiveChat/, false],
		[418, "I'm a teapot", 'REQUEST_REJECTED', /rejected the archiveChat request/, false],
	];

	it.each(rows)('HTTP %i "%s" → %s', (status, text, code, words, retryable) => {
		const error = identifyAnswer(status, context(text), archiveChat.errors);
		expect(error).toBeInstanceOf(GreenApiError);
		expect(error.code).toBe(code);
		expect(error.message).toMatch(words);
		expect(error.message).toMatch(/\.$/);
		expect(error.retryable).toBe(retryable);
		expect(error.httpCode).toBe(status);
		// The identifier stays verbatim, so people can search for it.
		expect(`${error.message} ${error.description}`).toContain(text);
		expect(error.description).toContain(`HTTP ${status}`);
	});

	it('401 points at the API token, 403 at the instance id and API URL', () => {
		expect(identifyAnswer(401, context('Unauthorized'), []).hint).toMatch(/API Token Instance/);
		expect(identifyAnswer(403, context('Forbidden'), []).hint).toMatch(/Instance ID.*API URL/);
	});

	it('"already" is in-state only for the matching direction', () => {
		const archived = 'ArchiveChatError: chat with id 71234567890@c.us already archive=true';
		const unarchived = 'ArchiveChatError: chat with id 71234567890@c.us already archive=false';
		expect(identifyAnswer(400, context(archived), archiveChat.errors).alreadyInState).toBe(true);
		expect(identifyAnswer(400, context(unarchived), unarchiveChat.errors).code).toBe('ALREADY_UNARCHIVED');
		expect(identifyAnswer(400, context(unarchived), unarchiveChat.errors).alreadyInState).toBe(true);
		expect(identifyAnswer(400, context(archived), unarchiveChat.errors).alreadyInState).toBe(false);
	});

	it('an empty body still gives a readable description', () => {
		expect(identifyAnswer(502, context(''), []).description).toMatch(/HTTP 502 with an empty body/);
	});
});
