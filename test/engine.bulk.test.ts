/**
 * Bulk runs through n8n's engine: pacing to the service's limit, retries of what is safe to
 * retry (and nothing else), timeouts, "already archived", and N items in → N items out, in order,
 * whatever happened on the way. The simulator enforces the per-instance limit with 429.
 */
import { chats, ID_INSTANCE, startFixture, TOKEN, type Fixture } from './helpers/fixture';
import type { Fault } from './helpers/simulatorTypes';

const PERSON = '79001234567@c.us';

function requestsFor(fixture: Fixture, chatId: string) {
	return fixture.simulator.requests.filter((request) => request.body.includes(chatId));
}

describe('pacing to the documented limit', () => {
	it('40 chats at a 20 ms round trip: all archived, never a 429, never more than 10 in a rolling second', async () => {
		const fixture = await startFixture(chats(40), { latencyMs: 20 });
		try {
			const result = await fixture.run(chats(40));
			expect(result.error).toBeUndefined();
			expect(result.main).toHaveLength(40);
			expect(result.main.every((item) => item.json.archived === true)).toBe(true);
			expect(fixture.simulator.tooManyRequests).toBe(0);
			expect(fixture.simulator.busiestSecond(`${ID_INSTANCE}|archiveChat`)).toBeLessThanOrEqual(10);
			expect(fixture.simulator.requests).toHaveLength(40);
		} finally {
			await fixture.stop();
		}
	});

	it('requestsPerSecond lowers the pace: at 3 per second no rolling second holds more than 3', async () => {
		const fixture = await startFixture(chats(8));
		try {
			const result = await fixture.run(chats(8), { options: { requestsPerSecond: 3 } });
			expect(result.main).toHaveLength(8);
			expect(fixture.simulator.busiestSecond(`${ID_INSTANCE}|archiveChat`)).toBeLessThanOrEqual(3);
		} finally {
			await fixture.stop();
		}
	});
});

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
		expect(requestsFor(fixture, PERSON)).toHaveLength(2);
	});

	it('429 with Retry-After: the retry waits as long as the service asked', async () => {
		script({ status: 429, headers: { 'Retry-After': '1' } });
		const result = await fixture.run([{ chatId: PERSON }]);
		expect(result.main[0].json).toEqual({ chatId: PERSON, archived: true });
		const [first, second] = requestsFor(fixture, PERSON);
		expect(second.at - first.at).toBeGreaterThanOrEqual(995);
	});

	it('a run of three 502s then success: archived on the fourth request', async () => {
		script({ status: 502 }, { status: 502 }, { status: 502 });
		const result = await fixture.run([{ chatId: PERSON }]);
		expect(result.main[0].json).toEqual({ chatId: PERSON, archived: true });
		expect(requestsFor(fixture, PERSON)).toHaveLength(4);
	});

	it('four 502s exceed the 3 retries: a clear error that says how often it tried', async () => {
		script({ status: 502 }, { status: 502 }, { status: 502 }, { status: 502 });
		const result = await fixture.run([{ chatId: PERSON }], {}, 'continueRegularOutput');
		expect(result.main[0].json.message).toBe('GREEN-API could not be reached behind its gateway.');
		expect((result.main[0].json.error as { description: string }).description).toMatch(/after 4 attempts/);
		expect(requestsFor(fixture, PERSON)).toHaveLength(4);
	});

	it('maxRetries 0 sends once', async () => {
		script({ status: 502 });
		const result = await fixture.run([{ chatId: PERSON }], { options: { maxRetries: 0 } }, 'continueRegularOutput');
		expect((result.main[0].json.error as { code: string }).code).toBe('BAD_GATEWAY');
		expect(requestsFor(fixture, PERSON)).toHaveLength(1);
	});

	it.each<[string, Fault]>([
		['documented 400', { status: 400, text: 'ArchiveChatError: cannot archive chat cause last message not found in chat' }],
		['401', { status: 401 }],
		['403', { status: 403 }],
		['500', { status: 500, text: 'Internal Server Error' }],
		['466', { status: 466, text: 'quota exceeded' }],
	])('a %s is never retried', async (_case, fault) => {
		script(fault);
		const result = await fixture.run([{ chatId: PERSON }], {}, 'continueRegularOutput');
		expect(result.main[0].json.message).toBeDefined();
		expect(requestsFor(fixture, PERSON)).toHaveLength(1);
	});

	it('a reset after the change landed: the retry finds it archived, and that is a success', async () => {
		script({ reset: 'after' });
		const result = await fixture.run([{ chatId: PERSON }]);
		expect(result.error).toBeUndefined();
		expect(result.main[0].json).toEqual({ chatId: PERSON, archived: true });
		expect(requestsFor(fixture, PERSON).map((request) => request.status)).toEqual([200, 400]);
	});

	it('unarchive: a retry that finds the chat unarchived is a success too', async () => {
		fixture.simulator.instance(ID_INSTANCE).chats.get(PERSON)!.archived = true;
		script({ reset: 'after' });
		const result = await fixture.run([{ chatId: PERSON }], { operation: 'unarchive' });
		expect(result.main[0].json).toEqual({ chatId: PERSON, archived: false });
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

	it('a proxy\'s HTML error page becomes a short readable error, without the URL it echoed', async () => {
		script({ status: 502, html: true }, { status: 502, html: true }, { status: 502, html: true }, { status: 502, html: true });
		const result = await fixture.run([{ chatId: PERSON }], {}, 'continueRegularOutput');
		const json = result.main[0].json as { message: string; error: { description: string } };
		expect(json.message).toBe('GREEN-API could not be reached behind its gateway.');
		expect(json.error.description).toContain('"502 Bad Gateway"');
		expect(json.error.description).not.toMatch(/<|html|nginx/);
		expect(result.stored).not.toContain(TOKEN);
	});
});

describe('rate-limit answers (429): "not now", never a lost item while the instance lets requests through', () => {
	it('the instance allows less than Requests Per Second says: the node slows to it, every chat archived, none failed', async () => {
		// The plan's real limit is 4 per second; the node is told 10. Max Retries 0: 429s must not use them up.
		const fixture = await startFixture(chats(40), { limits: { archiveChat: 4 } });
		try {
			const result = await fixture.run(chats(40), { options: { maxRetries: 0 } }, 'continueRegularOutput');
			expect(result.main).toHaveLength(40);
			expect(result.main.map((item) => item.json)).toEqual(chats(40).map(({ chatId }) => ({ chatId, archived: true })));
			const lane = `${ID_INSTANCE}|archiveChat`;
			expect(fixture.simulator.busiestSecond(lane)).toBeLessThanOrEqual(4);
			// It learns the limit from the first 429s and keeps to it: a handful, not one per request.
			expect(fixture.simulator.tooManyRequests).toBeGreaterThan(0);
			expect(fixture.simulator.tooManyRequests).toBeLessThanOrEqual(10);
		} finally {
			await fixture.stop();
		}
	});

	it('429s do not use up Max Retries: with none allowed, two 429s, then the chat is archived', async () => {
		const fixture = await startFixture([{ chatId: PERSON }]);
		try {
			fixture.simulator.script(ID_INSTANCE, PERSON, Array(2).fill({ status: 429 }));
			const result = await fixture.run([{ chatId: PERSON }], { options: { maxRetries: 0 } });
			expect(result.error).toBeUndefined();
			expect(result.main[0].json).toEqual({ chatId: PERSON, archived: true });
			expect(requestsFor(fixture, PERSON).map((request) => request.status)).toEqual([429, 429, 200]);
		} finally {
			await fixture.stop();
		}
	});

	it('an instance that answers nothing but 429 for longer than Max Wait When Rate Limited: the item fails and says why and what to do', async () => {
		const fixture = await startFixture([{ chatId: PERSON }]);
		try {
			fixture.simulator.script(ID_INSTANCE, PERSON, Array(100).fill({ status: 429 }));
			const result = await fixture.run([{ chatId: PERSON }], { options: { maxRateLimitWait: 1 } }, 'continueRegularOutput');
			const json = result.main[0].json as { message: string; error: { code: string; httpCode: number; description: string } };
			expect(json.message).toMatch(
				new RegExp(`^GREEN-API instance ${ID_INSTANCE} stayed over its rate limit for archiveChat: nothing sent to archiveChat on this instance got through for \\d+ s\\.$`),
			);
			expect(json.error.code).toBe('RATE_LIMITED');
			expect(json.error.httpCode).toBe(429);
			expect(json.error.description).toContain('other n8n workers');
			expect(json.error.description).toContain('Max Wait When Rate Limited');
			expect(json.error.description).toContain('"Too Many Requests"');
			expect(requestsFor(fixture, PERSON).length).toBeGreaterThanOrEqual(2);
		} finally {
			await fixture.stop();
		}
	});

	it('a Retry-After longer than Max Wait When Rate Limited fails the item at once, naming the wait asked for', async () => {
		const fixture = await startFixture([{ chatId: PERSON }]);
		try {
			fixture.simulator.script(ID_INSTANCE, PERSON, [{ status: 429, headers: { 'Retry-After': '120' } }]);
			const result = await fixture.run([{ chatId: PERSON }], { options: { maxRateLimitWait: 60 } }, 'continueRegularOutput');
			expect(result.main[0].json.message).toBe(
				`GREEN-API instance ${ID_INSTANCE} stayed over its rate limit for archiveChat: it asked to wait 120 s (Retry-After), longer than Options → Max Wait When Rate Limited allows.`,
			);
			expect(requestsFor(fixture, PERSON)).toHaveLength(1);
		} finally {
			await fixture.stop();
		}
	});

	it('Max Wait When Rate Limited 0: the first 429 fails the item', async () => {
		const fixture = await startFixture([{ chatId: PERSON }]);
		try {
			fixture.simulator.script(ID_INSTANCE, PERSON, [{ status: 429 }]);
			const result = await fixture.run([{ chatId: PERSON }], { options: { maxRateLimitWait: 0 } }, 'continueRegularOutput');
			expect(result.main[0].json.message).toBe(
				`GREEN-API instance ${ID_INSTANCE} stayed over its rate limit for archiveChat: it answered 429 (Too Many Requests), and Options → Max Wait When Rate Limited is 0.`,
			);
			expect(requestsFor(fixture, PERSON)).toHaveLength(1);
		} finally {
			await fixture.stop();
		}
	});
});

describe('Ignore Already Archived/Unarchived', () => {
	let fixture: Fixture;
	beforeEach(async () => {
		fixture = await startFixture([
			{ chatId: PERSON, archived: true },
			{ chatId: '79001112233@c.us', archived: false },
		]);
	});
	afterEach(async () => await fixture.stop());

	it('on: an already archived chat is a success marked alreadyInState', async () => {
		const result = await fixture.run([{ chatId: PERSON }, { chatId: '79001112233@c.us' }], { options: { ignoreAlreadyArchived: true } });
		expect(result.error).toBeUndefined();
		expect(result.main.map((item) => item.json)).toEqual([
			{ chatId: PERSON, archived: true, alreadyInState: true },
			{ chatId: '79001112233@c.us', archived: true },
		]);
	});

	it('on, for unarchive: a chat that is not archived is a success marked alreadyInState', async () => {
		const result = await fixture.run([{ chatId: '79001112233@c.us' }], {
			operation: 'unarchive',
			options: { ignoreAlreadyArchived: true },
		});
		expect(result.main.map((item) => item.json)).toEqual([{ chatId: '79001112233@c.us', archived: false, alreadyInState: true }]);
	});

	it('off (the default): it is an error', async () => {
		const result = await fixture.run([{ chatId: PERSON }], {}, 'continueRegularOutput');
		expect((result.main[0].json.error as { code: string }).code).toBe('ALREADY_ARCHIVED');
	});

	it('on: other errors are still errors', async () => {
		const result = await fixture.run([{ chatId: '79990000000@c.us' }], { options: { ignoreAlreadyArchived: true } }, 'continueRegularOutput');
		expect((result.main[0].json.error as { code: string }).code).toBe('CHAT_NOT_FOUND');
	});
});

describe('1,000 mixed items: nothing lost, nothing reordered, nothing leaked', () => {
	it('every item accounted for, in input order, paired, with the outcome its input called for', async () => {
		const count = 1000;
		const fixture = await startFixture([], { limits: { archiveChat: 400 } });
		const instance = fixture.simulator.instance(ID_INSTANCE);
		type Kind = 'ok' | 'phone' | 'missing' | 'invalid' | 'already' | 'flaky' | 'lost-answer' | 'limited' | 'dead';
		const kinds: Kind[] = ['ok', 'phone', 'missing', 'invalid', 'already', 'flaky', 'lost-answer', 'dead'];
		const plan = Array.from({ length: count }, (_, i) => {
			// A 429 keeps the instance's lane to the places it holds (as it should), so only two items draw one.
			const kind = i % 500 === 442 ? 'limited' : kinds[(i * 7) % kinds.length];
			const chatId = `7900${String(i).padStart(7, '0')}@c.us`;
			if (kind !== 'missing' && kind !== 'invalid') fixture.simulator.addChat(instance, { chatId, archived: kind === 'already' });
			if (kind === 'flaky') fixture.simulator.script(ID_INSTANCE, chatId, [{ status: 502 }, { status: 503 }]);
			if (kind === 'lost-answer') fixture.simulator.script(ID_INSTANCE, chatId, [{ reset: 'after' }]);
			if (kind === 'limited') fixture.simulator.script(ID_INSTANCE, chatId, [{ status: 429 }]);
			if (kind === 'dead') fixture.simulator.script(ID_INSTANCE, chatId, Array(4).fill({ status: 504 }));
			const input = kind === 'phone' ? `+7 900 ${String(i).padStart(7, '0')}` : kind === 'invalid' ? `customer ${i}` : chatId;
			return { kind, chatId, input, row: i };
		});
		try {
			const result = await fixture.run(
				plan.map(({ input, row }) => ({ chatId: input, row })),
				{ options: { requestsPerSecond: 350 } },
				'continueRegularOutput',
			);
			expect(result.main).toHaveLength(count);
			result.main.forEach((item, index) => {
				const { kind, chatId, input } = plan[index];
				expect(item.pairedItem).toEqual({ item: index });
				const json = item.json as { chatId?: string; archived?: boolean; message?: string; error?: { code: string; chatId?: string } };
				switch (kind) {
					case 'missing':
						expect(json.error).toMatchObject({ code: 'CHAT_NOT_FOUND', chatId });
						break;
					case 'invalid':
						expect(json.error?.code).toBe('INVALID_INPUT');
						expect(json.message).toContain(`[item ${index}]`);
						break;
					case 'already':
						expect(json.error).toMatchObject({ code: 'ALREADY_ARCHIVED', chatId });
						break;
					case 'dead':
						expect(json.error).toMatchObject({ code: 'GATEWAY_TIMEOUT', chatId });
						break;
					case 'phone':
						expect(json).toEqual({ chatId, archived: true, input });
						break;
					default:
						expect(json).toEqual({ chatId, archived: true });
				}
			});
			expect(fixture.simulator.tooManyRequests).toBe(0);
			expect(result.stored).not.toContain(TOKEN);
		} finally {
			await fixture.stop();
		}
	});
});
