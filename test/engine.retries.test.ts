/**
 * Retries through n8n's engine: what is safe to retry (gateway errors, timeouts, resets), bounded by
 * Max Retries, and nothing else (documented errors, 4xx, 500, 466); a retry that finds the work done
 * is a success.
 */
import { ID_INSTANCE, requestsAbout, startFixture, TOKEN, type Fixture } from './helpers/fixture';
import type { Fault } from './helpers/simulatorTypes';

const PERSON = '79001234567@c.us';

describe('retries: what is safe, bounded, and nothing else', () => {
	let fixture: Fixture;
	beforeEach(async () => {
		fixture = await startFixture([{ chatId: PERSON }]);
	});
	afterEach(async () => await fixture.stop());

	const script = (...faults: Fault[]) => fixture.simulator.script(ID_INSTANCE, PERSON, faults);

	it.each<[string, Fault]>([
		['429 without Retry-After', { status: 429 }],
		['499', { status: 499 }],
		['502', { status: 502 }],
		['503', { status: 503 }],
		['504', { status: 504 }],
		['a reset before the change lands', { reset: 'before' }],
	])('%s is retried and the chat archived', async (_case, fault) => {
		script(fault);
		const result = await fixture.run([{ chatId: PERSON }]);
		expect(result.error).toBeUndefined();
		expect(result.main[0].json).toEqual({ chatId: PERSON, archived: true });
		expect(requestsAbout(fixture, PERSON)).toHaveLength(2);
	});

	it('429 with Retry-After: the retry waits as long as the service asked', async () => {
		script({ status: 429, headers: { 'Retry-After': '1' } });
		const result = await fixture.run([{ chatId: PERSON }]);
		expect(result.main[0].json).toEqual({ chatId: PERSON, archived: true });
		const [first, second] = requestsAbout(fixture, PERSON);
		expect(second.at - first.at).toBeGreaterThanOrEqual(995);
	});

	it('a run of three 502s then success: archived on the fourth request', async () => {
		script({ status: 502 }, { status: 502 }, { status: 502 });
		const result = await fixture.run([{ chatId: PERSON }]);
		expect(result.main[0].json).toEqual({ chatId: PERSON, archived: true });
		expect(requestsAbout(fixture, PERSON)).toHaveLength(4);
	});

	it('four 502s exceed the 3 retries: a clear error that says how often it tried', async () => {
		script({ status: 502 }, { status: 502 }, { status: 502 }, { status: 502 });
		const result = await fixture.run([{ chatId: PERSON }], {}, 'continueRegularOutput');
		expect(result.main[0].json.message).toBe('GREEN-API could not be reached behind its gateway.');
		expect((result.main[0].json.error as { description: string }).description).toMatch(/after 4 attempts/);
		expect(requestsAbout(fixture, PERSON)).toHaveLength(4);
	});

	it('maxRetries 0 sends once', async () => {
		script({ status: 502 });
		const result = await fixture.run([{ chatId: PERSON }], { options: { maxRetries: 0 } }, 'continueRegularOutput');
		expect((result.main[0].json.error as { code: string }).code).toBe('BAD_GATEWAY');
		expect(requestsAbout(fixture, PERSON)).toHaveLength(1);
	});

	it.each<[string, Fault, string]>([
		['documented 400', { status: 400, text: 'ArchiveChatError: cannot archive chat cause last message not found in chat' }, 'NO_MESSAGES_IN_CHAT'],
		['401', { status: 401 }, 'UNAUTHORIZED'],
		['403', { status: 403 }, 'FORBIDDEN'],
		['500', { status: 500, text: 'Internal Server Error' }, 'SERVER_ERROR'],
		['466', { status: 466, text: 'quota exceeded' }, 'QUOTA_EXCEEDED'],
	])('a %s is never retried', async (_case, fault, code) => {
		script(fault);
		const result = await fixture.run([{ chatId: PERSON }], {}, 'continueRegularOutput');
		expect(result.main[0].json.error).toEqual({ code, httpCode: fault.status, chatId: PERSON, description: expect.any(String) });
		expect(requestsAbout(fixture, PERSON)).toHaveLength(1);
	});

	it('a reset after the change landed: the retry finds it archived, and that is a success', async () => {
		script({ reset: 'after' });
		const result = await fixture.run([{ chatId: PERSON }]);
		expect(result.error).toBeUndefined();
		expect(result.main[0].json).toEqual({ chatId: PERSON, archived: true });
		expect(requestsAbout(fixture, PERSON).map((request) => request.status)).toEqual([200, 400]);
	});

	it('unarchive: a retry that finds the chat unarchived is a success too', async () => {
		fixture.simulator.instance(ID_INSTANCE).chats.get(PERSON)!.archived = true;
		script({ reset: 'after' });
		const result = await fixture.run([{ chatId: PERSON }], { operation: 'unarchive' });
		expect(result.main[0].json).toEqual({ chatId: PERSON, archived: false });
	});

	it('a 429 carried nothing out: a chat already archived before it is still ALREADY_ARCHIVED after the resend', async () => {
		fixture.simulator.instance(ID_INSTANCE).chats.get(PERSON)!.archived = true;
		script({ status: 429 });
		const result = await fixture.run([{ chatId: PERSON }], {}, 'continueRegularOutput');
		expect(result.main[0].json.error).toMatchObject({ code: 'ALREADY_ARCHIVED', chatId: PERSON });
		expect(requestsAbout(fixture, PERSON).map((request) => request.status)).toEqual([429, 400]);
	});

	it('a hanging service times out with an error that says so', async () => {
		script({ hang: true });
		const result = await fixture.run([{ chatId: PERSON }], { options: { timeout: 300, maxRetries: 0 } }, 'continueRegularOutput');
		expect(result.main[0].json.message).toBe('GREEN-API did not answer archiveChat within 300 ms: the request timed out.');
		expect((result.main[0].json.error as { code: string }).code).toBe('TIMEOUT');
	});

	it('a timeout is retried: a hang then an answer archives the chat', async () => {
		script({ hang: true });
		const result = await fixture.run([{ chatId: PERSON }], { options: { timeout: 300 } });
		expect(result.main[0].json).toEqual({ chatId: PERSON, archived: true });
	});

	it("a proxy's HTML error page becomes a short readable error, without the URL it echoed", async () => {
		script({ status: 502, html: true }, { status: 502, html: true }, { status: 502, html: true }, { status: 502, html: true });
		const result = await fixture.run([{ chatId: PERSON }], {}, 'continueRegularOutput');
		const json = result.main[0].json as { message: string; error: { description: string } };
		expect(json.message).toBe('GREEN-API could not be reached behind its gateway.');
		expect(json.error.description).toContain('"502 Bad Gateway"');
		expect(json.error.description).not.toMatch(/<|html|nginx/);
		expect(result.stored).not.toContain(TOKEN);
	});
});
