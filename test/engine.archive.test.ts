/**
 * The node inside n8n's real engine against the loopback simulator: both operations, expressions,
 * the chat-id rules, every documented error, continue-on-fail, the error output, and the token.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ID_INSTANCE, startFixture, TOKEN, type Fixture } from './helpers/fixture';
import { logLines } from './harness/engine';

const PERSON = '79001234567@c.us';
const GROUP = '120363043968066561@g.us';

/** Every run this file makes, as n8n stores it: checked for the token once the file has run. */
const storedRuns: string[] = [];
async function run(fixture: Fixture, ...args: Parameters<Fixture['run']>) {
	const result = await fixture.run(...args);
	storedRuns.push(result.stored);
	return result;
}

afterEach(() => {
	// After each test, so that a leak fails the test that made it: no stored run and no log line holds the token.
	const stored = storedRuns.splice(0);
	const logged = logLines.splice(0).join('\n');
	for (const run of stored) {
		expect(run).not.toContain(TOKEN);
		expect(run).not.toContain(encodeURIComponent(TOKEN));
		expect(run).not.toMatch(/waInstance\d+\/\w+\/[^*]/);
	}
	expect(logged).not.toContain(TOKEN);
});

describe('archive and unarchive through the engine', () => {
	let fixture: Fixture;
	beforeEach(async () => {
		fixture = await startFixture([{ chatId: PERSON }, { chatId: GROUP }, { chatId: '150502889857240@lid' }]);
	});
	afterEach(async () => await fixture.stop());

	it('archives chats given as ids or phone numbers (via expressions), one output per item, paired', async () => {
		const result = await run(fixture, [{ chatId: GROUP }, { chatId: '+7 (900) 123-45-67' }, { chatId: '150502889857240@lid' }]);
		expect(result.error).toBeUndefined();
		expect(result.main.map((item) => item.json)).toEqual([
			{ chatId: GROUP, archived: true },
			// Normalised: the value as given comes along, so a CRM can store the canonical ID.
			{ chatId: PERSON, archived: true, input: '+7 (900) 123-45-67' },
			{ chatId: '150502889857240@lid', archived: true },
		]);
		expect(result.main.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const instance = fixture.simulator.instance(ID_INSTANCE);
		expect(instance.chats.get(PERSON)?.archived).toBe(true);
		expect(instance.chats.get(GROUP)?.archived).toBe(true);
	});

	it('sends exactly POST …/archiveChat/{token} with {"chatId": …} and nothing else', async () => {
		await run(fixture, [{ chatId: ' 79001234567 ' }]);
		expect(fixture.simulator.requests).toHaveLength(1);
		expect(fixture.simulator.requests[0]).toMatchObject({ method: 'archiveChat', idInstance: ID_INSTANCE, status: 200 });
		expect(JSON.parse(fixture.simulator.requests[0].body)).toStrictEqual({ chatId: PERSON });
	});

	it('unarchives, outputting archived: false', async () => {
		fixture.simulator.instance(ID_INSTANCE).chats.get(PERSON)!.archived = true;
		const result = await run(fixture, [{ chatId: PERSON }], { operation: 'unarchive' });
		expect(result.main.map((item) => item.json)).toEqual([{ chatId: PERSON, archived: false }]);
		expect(fixture.simulator.requests[0].method).toBe('unarchiveChat');
		expect(fixture.simulator.instance(ID_INSTANCE).chats.get(PERSON)?.archived).toBe(false);
	});

	it.each([
		['a trailing slash', (url: string) => `${url}/`],
		['several trailing slashes and spaces', (url: string) => `  ${url}///  `],
		['a path prefix', (url: string) => `${url}/proxy/green-api`],
		['a path prefix with a trailing slash', (url: string) => `${url}/proxy/green-api/`],
	])('works with an API URL with %s', async (_case, shape) => {
		const result = await run(fixture, [{ chatId: PERSON }], {}, undefined, { ...fixture.credential, apiUrl: shape(fixture.apiUrl) });
		expect(result.error).toBeUndefined();
		expect(result.main[0].json).toEqual({ chatId: PERSON, archived: true });
	});

	it('takes a literal chat id as well as an expression', async () => {
		const result = await run(fixture, [{}], { chatId: GROUP });
		expect(result.main[0].json).toEqual({ chatId: GROUP, archived: true });
	});
});

describe('bad chat ids: a clear error naming the field and the item, and nothing sent', () => {
	let fixture: Fixture;
	beforeEach(async () => {
		fixture = await startFixture([{ chatId: PERSON }]);
	});
	afterEach(async () => await fixture.stop());

	const bad: Array<[string, IDataObject[string], RegExp]> = [
		['empty', '', /^Chat is empty \[item 1\]$/],
		['a boolean', true, /^Chat must be text, but is the boolean true \[item 1\]$/],
		['a group id that arrived as a JSON number (digits already lost)', 120363043968066561, /^Chat must be text, but is the number 120363043968066560 \[item 1\]$/],
		['a national number without Default Country', '8 (900) 123-45-67', /^Chat "8 \(900\) 123-45-67" is not an international number: no country has calling code 8, 89 or 890 \[item 1\]$/],
		['an object', { id: 1 }, /^Chat must be text, but is an object \[item 1\]$/],
		['letters', 'John Smith', /^Chat "John Smith" is neither a chat ID nor a phone number \[item 1\]$/],
	];

	it.each(bad)('%s stops the node before any request', async (_case, value, message) => {
		const result = await run(fixture, [{ chatId: PERSON }, { chatId: value }]);
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toMatch(/79001234567@c\.us/);
		expect((result.error as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(1);
		// Item 0 was fine, but a batch is checked whole before anything is sent.
		expect(fixture.simulator.requests).toHaveLength(0);
		expect(fixture.simulator.instance(ID_INSTANCE).chats.get(PERSON)?.archived).toBe(false);
	});

	it.each(bad)('%s under continue-on-fail: an error item in place, the others still archived', async (_case, value, message) => {
		const result = await run(fixture, [{ chatId: PERSON }, { chatId: value }], {}, 'continueRegularOutput');
		expect(result.main).toHaveLength(2);
		expect(result.main[0].json).toEqual({ chatId: PERSON, archived: true });
		expect(result.main[1].json.message).toMatch(message);
		expect(result.main[1].json.error).toMatchObject({ code: 'INVALID_INPUT' });
		expect(result.main[1].pairedItem).toEqual({ item: 1 });
		expect(fixture.simulator.requests.map((request) => JSON.parse(request.body))).toEqual([{ chatId: PERSON }]);
	});
});

describe('phone numbers as CRMs hold them, through the engine', () => {
	const SECOND = '79007654321@c.us';
	const LONDON = '442079460958@c.us';
	let fixture: Fixture;
	beforeEach(async () => {
		fixture = await startFixture([{ chatId: PERSON }, { chatId: SECOND }, { chatId: LONDON }, { chatId: GROUP }]);
	});
	afterEach(async () => await fixture.stop());

	it('national numbers with Default Country mapped per item, and a JSON number: all archived, each with what it was given', async () => {
		const items = [
			{ phone: '8 (900) 123-45-67', country: 'RU' },
			{ phone: 79007654321, country: 'RU' },
			{ phone: '020 7946 0958', country: 'GB' },
		];
		const result = await run(fixture, items, { chatId: '={{ $json.phone }}', options: { defaultCountry: '={{ $json.country }}' } });
		expect(result.error).toBeUndefined();
		expect(result.main.map((item) => item.json)).toEqual([
			{ chatId: PERSON, archived: true, input: '8 (900) 123-45-67' },
			{ chatId: SECOND, archived: true, input: 79007654321 },
			{ chatId: LONDON, archived: true, input: '020 7946 0958' },
		]);
		expect(fixture.simulator.requests.map((request) => JSON.parse(request.body))).toEqual([{ chatId: PERSON }, { chatId: SECOND }, { chatId: LONDON }]);
	});

	it('without Default Country, a national number goes to the error output with what to do, nothing is sent for it, the rest are archived', async () => {
		const items = [{ phone: '+7 900 123-45-67' }, { phone: '8 (900) 765-43-21' }, { phone: '+44 20 7946 0958' }];
		const result = await run(fixture, items, { chatId: '={{ $json.phone }}' }, 'continueErrorOutput');
		expect(result.main.map((item) => item.json.chatId)).toEqual([PERSON, LONDON]);
		expect(result.errorOutput).toHaveLength(1);
		const refused = result.errorOutput[0].json as { phone: string; message: string; error: { code: string; description: string } };
		expect(refused.phone).toBe('8 (900) 765-43-21');
		expect(refused.message).toBe('Chat "8 (900) 765-43-21" is not an international number: no country has calling code 8, 89 or 890 [item 1]');
		expect(refused.error.code).toBe('INVALID_INPUT');
		expect(refused.error.description).toContain('set Options → Default Country, or write it with the country code: +7 9007654321');
		expect(fixture.simulator.requests.map((request) => JSON.parse(request.body).chatId)).toEqual([PERSON, LONDON]);
		expect(fixture.simulator.instance(ID_INSTANCE).chats.get(SECOND)?.archived).toBe(false);
	});

	it('numbers pasted from web pages and links: read, archived, each with the value as given; a pasted non-number refused and not sent', async () => {
		const pasted = [
			'+7\u00a0900\u00a0123\u201345\u201367', // no-break spaces and en dashes
			'\u200f+7 (900) 765-43-21\u200e', // between direction marks
			'tel:+442079460958',
			'https://wa.me/120363043968066561', // no person's number: a group ID's digits are too long for one
		];
		const result = await run(
			fixture,
			pasted.map((chat) => ({ chat })),
			{ chatId: '={{ $json.chat }}' },
			'continueErrorOutput',
		);
		expect(result.main.map((item) => item.json)).toEqual([
			{ chatId: PERSON, archived: true, input: pasted[0] },
			{ chatId: SECOND, archived: true, input: pasted[1] },
			{ chatId: LONDON, archived: true, input: pasted[2] },
		]);
		expect(result.errorOutput.map((item) => item.json.message)).toEqual(['Chat "+120363043968066561" has 18 digits; a phone number has 7 to 15 [item 3]']);
		expect(fixture.simulator.requests.map((request) => JSON.parse(request.body))).toEqual([{ chatId: PERSON }, { chatId: SECOND }, { chatId: LONDON }]);
	});

	it('with Default Country set, chat ids and international numbers are as before', async () => {
		const result = await run(fixture, [{ chatId: GROUP }, { chatId: '+44 20 7946 0958' }], { options: { defaultCountry: 'RU' } }, 'continueRegularOutput');
		expect(result.main.map((item) => item.json.chatId)).toEqual([GROUP, LONDON]);
	});
});

describe('expressions that fail to resolve', () => {
	let fixture: Fixture;
	beforeEach(async () => {
		fixture = await startFixture([{ chatId: PERSON }]);
	});
	afterEach(async () => await fixture.stop());

	it('in Chat: under continue-on-fail only that item fails, the others are archived', async () => {
		const items = [{ chatId: PERSON, customer: { phone: PERSON } }, { chatId: GROUP }];
		const result = await run(fixture, items, { chatId: '={{ $json.customer.phone.trim() }}' }, 'continueRegularOutput');
		expect(result.error).toBeUndefined();
		expect(result.main).toHaveLength(2);
		expect(result.main[0].json).toEqual({ chatId: PERSON, archived: true });
		expect(result.main[1].json.error).toMatchObject({ code: 'INVALID_INPUT' });
		expect(result.main[1].json.message).toEqual(expect.any(String));
		expect(fixture.simulator.requests).toHaveLength(1);
	});
});

describe('every documented error reaches the user as a plain sentence, in every body shape', () => {
	type Setup = (fixture: Fixture) => { credential?: Fixture['credential']; chatId?: string; parameters?: INodeParameters };
	const scripted =
		(status: number, text: string): Setup =>
		(fixture) => {
			fixture.simulator.script(ID_INSTANCE, PERSON, [{ status, text }]);
			return { parameters: { options: { maxRetries: 0, maxRateLimitWait: 0 } } };
		};
	const state =
		(change: (instance: ReturnType<Fixture['simulator']['instance']>) => void): Setup =>
		(fixture) => {
			change(fixture.simulator.instance(ID_INSTANCE));
			return {};
		};
	const cases: Array<[string, Setup, string, number, RegExp, string]> = [
		['already archived', state((i) => (i.chats.get(PERSON)!.archived = true)), 'ALREADY_ARCHIVED', 400, /is already archived/, 'already archive=true'],
		['no messages', state((i) => (i.chats.get(PERSON)!.messages = 0)), 'NO_MESSAGES_IN_CHAT', 400, /has no messages/, 'last message not found in chat'],
		['not in contacts', () => ({ chatId: '79990000000@c.us' }), 'CHAT_NOT_FOUND', 400, /not among the contacts/, 'ArchiveChatError: chat with id 79990000000@c.us not found'],
		['validation failed', scripted(400, 'Bad Request Validation failed'), 'VALIDATION_FAILED', 400, /refused chat ID/, 'Bad Request Validation failed'],
		['empty body', scripted(400, "Validation failed. Details: 'value' must have at least 1 key"), 'EMPTY_REQUEST', 400, /no chat ID/, "'value' must have at least 1 key"],
		['non-string chat id', scripted(500, 'interface conversion: interface {} is bool, not string'), 'WRONG_FIELD_TYPE', 500, /wrong type/, 'interface conversion'],
		['instance starting', state((i) => (i.state = 'starting')), 'INSTANCE_STARTING', 400, /still starting/, 'instance in starting process try later'],
		['not authorized', state((i) => (i.state = 'notAuthorized')), 'NOT_AUTHORIZED', 400, /not authorized/, 'instance account not authorized'],
		['expired', state((i) => (i.expired = true)), 'INSTANCE_EXPIRED', 400, /has expired/, 'Instance account is expired'],
		['deleted', state((i) => (i.deleted = true)), 'INSTANCE_DELETED', 400, /has been deleted/, 'Instance is deleted'],
		['malformed JSON', scripted(400, 'Unexpected token _ in JSON at position 3'), 'MALFORMED_JSON', 400, /as JSON/, 'Unexpected token _ in JSON at position 3'],
		['wrong token', (f) => ({ credential: { ...f.credential, apiTokenInstance: 'wrong-token-value-1234567890' } }), 'UNAUTHORIZED', 401, /API token/, 'Unauthorized'],
		['wrong instance id', (f) => ({ credential: { ...f.credential, idInstance: '999' } }), 'FORBIDDEN', 403, /refused access to instance 999/, 'Forbidden'],
		['wrong method or verb', scripted(404, 'Not Found'), 'NOT_FOUND', 404, /no method archiveChat/, 'Not Found'],
		['rate limit', scripted(429, 'Too Many Requests'), 'RATE_LIMITED', 429, /rate limit/, 'Too Many Requests'],
		['quota used up', state((i) => (i.quotaExceeded = true)), 'QUOTA_EXCEEDED', 466, /quota of the GREEN-API plan is used up: Monthly quota of the Developer plan/, 'Monthly quota of the Developer plan'],
		['client closed', scripted(499, 'Client Closed Request'), 'CLIENT_CLOSED_REQUEST', 499, /closed before it finished/, 'Client Closed Request'],
		['bad gateway', scripted(502, 'Bad Gateway'), 'BAD_GATEWAY', 502, /gateway/, 'Bad Gateway'],
		['unavailable', scripted(503, 'Service Unavailable'), 'SERVICE_UNAVAILABLE', 503, /temporarily unavailable/, 'Service Unavailable'],
		['gateway timeout', scripted(504, 'Gateway Timeout'), 'GATEWAY_TIMEOUT', 504, /did not answer/, 'Gateway Timeout'],
		['internal error', scripted(500, 'Internal Server Error'), 'SERVER_ERROR', 500, /failed while handling archiveChat/, 'Internal Server Error'],
	];
	const styles = ['text', 'json-message', 'json-description', 'json-string'] as const;

	describe.each(styles)('bodies as %s', (style) => {
		let fixture: Fixture;
		beforeEach(async () => {
			fixture = await startFixture([{ chatId: PERSON }], { errorStyle: style });
		});
		afterEach(async () => await fixture.stop());

		it.each(cases)('%s → %s', async (_case, setup, code, httpCode, message, identifier) => {
			const { credential, chatId, parameters } = setup(fixture);
			const result = await run(fixture, [{ chatId: chatId ?? PERSON }], parameters ?? {}, 'continueRegularOutput', credential);
			expect(result.main).toHaveLength(1);
			const json = result.main[0].json as { message: string; error: { code: string; httpCode: number; description: string } };
			expect(json.error.code).toBe(code);
			expect(json.error.httpCode).toBe(httpCode);
			expect(json.message).toMatch(message);
			expect(`${json.message} ${json.error.description}`).toContain(identifier);
		});
	});

	it('without continue-on-fail the node stops with the same sentence as a NodeApiError', async () => {
		const fixture = await startFixture([{ chatId: PERSON, archived: true }]);
		try {
			const result = await run(fixture, [{ chatId: PERSON }]);
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.message).toBe(`Chat ${PERSON} is already archived.`);
			expect(result.error?.description).toContain('already archive=true');
			expect(result.error?.description).toContain('Ignore Already Archived/Unarchived');
			expect((result.error as unknown as { httpCode: string }).httpCode).toBe('400');
			expect(result.run.status).toBe('error');
		} finally {
			await fixture.stop();
		}
	});

	it('an unreachable host: a connection error that names the host, not the URL', async () => {
		const fixture = await startFixture([{ chatId: PERSON }]);
		await fixture.stop();
		const result = await run(fixture, [{ chatId: PERSON }], { options: { maxRetries: 0 } }, 'continueRegularOutput');
		expect(result.main[0].json.message).toBe(`Could not reach GREEN-API at ${fixture.apiUrl}.`);
		expect(result.main[0].json.error).toMatchObject({ code: 'CONNECTION_FAILED', description: expect.stringContaining('ECONNREFUSED') });
	});

	it('a credential with a bad API URL fails clearly before anything is sent', async () => {
		const fixture = await startFixture([{ chatId: PERSON }]);
		try {
			const result = await run(fixture, [{ chatId: PERSON }], {}, undefined, { ...fixture.credential, apiUrl: 'api.green-api.com' });
			expect(result.error?.message).toBe('The GREEN-API credential is incomplete: the API URL is not an http(s) address.');
			expect(fixture.simulator.requests).toHaveLength(0);
		} finally {
			await fixture.stop();
		}
	});
});

describe('continue on fail, item by item', () => {
	let fixture: Fixture;
	const items = [
		{ chatId: PERSON, customer: 'Ann' },
		{ chatId: '79990000000@c.us', customer: 'Bob' }, // not in contacts
		{ chatId: 'not a number', customer: 'Cid' }, // refused before sending
		{ chatId: GROUP, customer: 'Dan' },
	];
	beforeEach(async () => {
		fixture = await startFixture([{ chatId: PERSON }, { chatId: GROUP }]);
	});
	afterEach(async () => await fixture.stop());

	it('"Continue": every input item yields one output item, in order, failures carrying error', async () => {
		const result = await run(fixture, items, {}, 'continueRegularOutput');
		expect(result.error).toBeUndefined();
		expect(result.main.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(result.main[0].json).toEqual({ chatId: PERSON, archived: true });
		expect(result.main[1].json.message).toBe('Chat 79990000000@c.us is not among the contacts of this WhatsApp account.');
		expect(result.main[2].json.message).toBe('Chat "not a number" is neither a chat ID nor a phone number [item 2]');
		expect(result.main[3].json).toEqual({ chatId: GROUP, archived: true });
		expect(result.errorOutput).toHaveLength(0);
		// Exactly these two keys: n8n 1.x moves an item to the error output only when its json is { error, message }.
		expect(Object.keys(result.main[1].json).sort()).toEqual(['error', 'message']);
		expect(Object.keys(result.main[2].json).sort()).toEqual(['error', 'message']);
	});

	it('"Continue (using error output)": successes on the first output, failures on the second with the input fields', async () => {
		const result = await run(fixture, items, {}, 'continueErrorOutput');
		expect(result.main.map((item) => item.json)).toEqual([
			{ chatId: PERSON, archived: true },
			{ chatId: GROUP, archived: true },
		]);
		expect(result.main.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 3 }]);
		expect(result.errorOutput.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(result.errorOutput[0].json).toMatchObject({
			customer: 'Bob',
			message: 'Chat 79990000000@c.us is not among the contacts of this WhatsApp account.',
			error: { code: 'CHAT_NOT_FOUND', httpCode: 400, chatId: '79990000000@c.us' },
		});
		expect(result.errorOutput[1].json).toMatchObject({ customer: 'Cid', error: { code: 'INVALID_INPUT' } });
	});

	it('neither: the first failure stops the node with that error', async () => {
		const result = await run(fixture, [items[0], items[1], items[3]]);
		expect(result.error?.message).toBe('Chat 79990000000@c.us is not among the contacts of this WhatsApp account.');
		expect((result.error as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(1);
		expect(result.main).toHaveLength(0);
	});
});

describe('the token never leaves (and every run of this file is checked for it at the end)', () => {
	it('not even when the service echoes the bare token, and the credential has it padded with spaces', async () => {
		const fixture = await startFixture([{ chatId: PERSON }]);
		try {
			fixture.simulator.script(ID_INSTANCE, PERSON, [{ status: 400, body: `Bad Request: token ${TOKEN} is not allowed` }]);
			const result = await run(fixture, [{ chatId: PERSON }], {}, 'continueRegularOutput', { ...fixture.credential, apiTokenInstance: `  ${TOKEN}\n` });
			expect(JSON.stringify(result.main[0].json)).toContain('token *** is not allowed');
			expect(result.stored).not.toContain(TOKEN);
		} finally {
			await fixture.stop();
		}
	});

	it('not even when a proxy echoes the request URL in its error page', async () => {
		const fixture = await startFixture([{ chatId: PERSON }]);
		try {
			fixture.simulator.script(ID_INSTANCE, PERSON, [{ status: 404, body: `Cannot POST /waInstance${ID_INSTANCE}/archiveChat/${TOKEN}` }]);
			const result = await run(fixture, [{ chatId: PERSON }], {}, 'continueRegularOutput');
			expect(result.main[0].json.error).toMatchObject({ code: 'NOT_FOUND' });
			expect(JSON.stringify(result.main[0].json)).toContain(`/waInstance${ID_INSTANCE}/archiveChat/***`);
			expect(result.stored).not.toContain(TOKEN);
		} finally {
			await fixture.stop();
		}
	});
});
