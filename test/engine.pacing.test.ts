/**
 * Pacing through n8n's engine: to the documented limit, to a lower Requests Per Second, and to
 * what the instance really allows when it answers 429 ("not now": resent while the instance lets
 * requests through, never a lost item). The simulator enforces the per-instance limit with 429.
 */
import { chats, ID_INSTANCE, requestsAbout, startFixture } from './helpers/fixture';

const PERSON = '79001234567@c.us';

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
			expect(requestsAbout(fixture, PERSON).map((request) => request.status)).toEqual([429, 429, 200]);
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
			expect(json.message).toMatch(new RegExp(`^GREEN-API instance ${ID_INSTANCE} stayed over its rate limit for archiveChat: nothing sent to archiveChat on this instance got through for \\d+ s\\.$`));
			expect(json.error.code).toBe('RATE_LIMITED');
			expect(json.error.httpCode).toBe(429);
			expect(json.error.description).toContain('other n8n workers');
			expect(json.error.description).toContain('Max Wait When Rate Limited');
			expect(json.error.description).toContain('"Too Many Requests"');
			expect(requestsAbout(fixture, PERSON).length).toBeGreaterThanOrEqual(2);
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
			expect(requestsAbout(fixture, PERSON)).toHaveLength(1);
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
			expect(requestsAbout(fixture, PERSON)).toHaveLength(1);
		} finally {
			await fixture.stop();
		}
	});
});
