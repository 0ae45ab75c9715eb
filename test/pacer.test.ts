import { IDLE_RESET_MS, LATE_TOLERANCE_MS, Pacer, SPACING_MARGIN, type Release } from '../nodes/GreenApi/transport/pacer';
import { busiestSecond, busyRate } from '../sandbox/rollingSecond';
import { runSharedLimit } from './helpers/sharedLimit';
import { flushPromises, VirtualClock } from './helpers/virtualClock';

/** Queues `count` requests on `lane`; each is answered `answerMs` after it is let go. */
function queue(timers: VirtualClock, pacer: Pacer, lane: string, count: number, perSecond: number, answerMs = 0) {
	const sent: number[] = [];
	const done = Array.from({ length: count }, () =>
		pacer.acquire(lane, perSecond).then((release: Release) => {
			sent.push(timers.now());
			if (answerMs === 0) release('ok');
			else timers.setTimeout(() => release('ok'), answerMs);
		}),
	);
	return { sent, done: Promise.all(done) };
}

describe('pacer', () => {
	it.each([0, 20, 100, 300, 500])(
		'answer time %i ms: never more than the limit in a rolling second, and at least 95 % of it',
		async (answerMs) => {
			const timers = new VirtualClock();
			const pacer = new Pacer(timers);
			const { sent, done } = queue(timers, pacer, 'a', 300, 10, answerMs);
			await timers.runAll();
			await done;
			expect(sent).toHaveLength(300);
			expect(busiestSecond(sent)).toBe(10);
			const rate = (sent.length - 2) / ((sent[sent.length - 1] - sent[1]) / 1000);
			expect(rate).toBeCloseTo(10 / SPACING_MARGIN, 6);
			expect(rate).toBeGreaterThanOrEqual(9.5);
		},
	);

	it('a cold lane lets one request go and waits for its answer before the rest', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const start = timers.now();
		const { sent, done } = queue(timers, pacer, 'a', 3, 10, 400);
		await timers.runAll();
		await done;
		expect(sent[0]).toBe(start);
		// The opener may have reached the service as late as its answer: the next is spaced from there.
		expect(sent[1]).toBeCloseTo(start + 400 + 100 * SPACING_MARGIN, 6);
	});

	it('a lane idle for longer than the reset is cold again', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		await queue(timers, pacer, 'a', 1, 10).done;
		timers.advance(IDLE_RESET_MS + 1);
		const { sent, done } = queue(timers, pacer, 'a', 2, 10, 300);
		await timers.runAll();
		await done;
		expect(sent[1] - sent[0]).toBeCloseTo(300 + 100 * SPACING_MARGIN, 6);
	});

	it('keeps lanes independent: another instance does not wait', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const busy = queue(timers, pacer, 'instance-a', 50, 10);
		await flushPromises();
		const other = queue(timers, pacer, 'instance-b', 1, 10);
		await flushPromises();
		expect(other.sent).toEqual([timers.now()]);
		await timers.runAll();
		await busy.done;
	});

	it('a pause (429) holds every queued request until it ends', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const { sent, done } = queue(timers, pacer, 'a', 5, 10);
		await flushPromises();
		const pausedAt = timers.now();
		pacer.pause('a', 3000);
		await timers.runAll();
		await done;
		expect(sent[0]).toBe(pausedAt);
		expect(sent.slice(1).every((time) => time >= pausedAt + 3000)).toBe(true);
	});

	it('a late timer spreads requests out, never bunches them', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const { sent, done } = queue(timers, pacer, 'a', 30, 10);
		await flushPromises();
		// Simulate a blocked event loop: time jumps before the next timer fires.
		timers.advance(250);
		await timers.runAll();
		await done;
		for (let i = 1; i < sent.length; i++) expect(sent[i] - sent[i - 1]).toBeGreaterThanOrEqual(100 * SPACING_MARGIN - 1e-9);
		expect(busiestSecond(sent)).toBe(10);
	});

	it('timers firing a little late keep the schedule; any ten gaps still span more than a second', async () => {
		const timers = new VirtualClock();
		timers.lateBy = LATE_TOLERANCE_MS - 1;
		const pacer = new Pacer(timers);
		const { sent, done } = queue(timers, pacer, 'a', 100, 10);
		await timers.runAll();
		await done;
		expect(busiestSecond(sent)).toBe(10);
		for (let i = 10; i < sent.length; i++) expect(sent[i] - sent[i - 10]).toBeGreaterThan(1000);
		// Lateness does not add up: the average spacing is the planned one.
		expect((sent[sent.length - 1] - sent[1]) / (sent.length - 2)).toBeCloseTo(100 * SPACING_MARGIN, 1);
	});

	it('an aborted wait leaves the queue and rejects', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const first = await pacer.acquire('a', 10);
		first('ok');
		const controller = new AbortController();
		const waiting = pacer.acquire('a', 10, controller.signal);
		controller.abort(new Error('cancelled'));
		await expect(waiting).rejects.toThrow('cancelled');
	});
});

describe('adaptive pacing: one instance shared with other processes', () => {
	const LANE = 'a';

	/** Sends one request on `lane` at `limit` and answers it with `outcome` after `answerMs`. */
	async function send(timers: VirtualClock, pacer: Pacer, outcome: 'ok' | 'throttled', answerMs = 50, limit = 10) {
		const release = await pacer.acquire(LANE, limit);
		const sentAt = timers.now();
		timers.setTimeout(() => release(outcome), answerMs);
		return sentAt;
	}

	it('a 429 keeps the process to the places it held in the service\'s last second, and holds until its oldest frees', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		// Four requests accepted at the full limit, then one refused: the second was full, four places were ours.
		const sent: number[] = [];
		const done = (async () => {
			for (let i = 0; i < 4; i++) sent.push(await send(timers, pacer, 'ok'));
			sent.push(await send(timers, pacer, 'throttled'));
			sent.push(await send(timers, pacer, 'ok'));
		})();
		await timers.runAll();
		await done;
		expect(pacer.rate(LANE, 10)).toBe(4);
		// Until the oldest of those four leaves the service's second, the second stays full: the next waits for it.
		expect(sent[4] - sent[0]).toBeLessThan(1000);
		expect(sent[5]).toBeCloseTo(sent[0] + 1000 * SPACING_MARGIN, 6);
	});

	it('429s for requests sent before the last adjustment do not count again', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const first = await pacer.acquire(LANE, 10);
		first('ok');
		// Three requests in flight together; all three come back 429.
		const releases: Release[] = [];
		const done = (async () => {
			for (let i = 0; i < 3; i++) releases.push(await pacer.acquire(LANE, 10));
		})();
		await timers.runAll();
		await done;
		releases[0]('throttled');
		const afterOne = pacer.rate(LANE, 10);
		releases[1]('throttled');
		releases[2]('throttled');
		expect(afterOne).toBe(1);
		expect(pacer.rate(LANE, 10)).toBe(afterOne);
	});

	it('holding no place at all, it tries once a second, halving per 429 in a row down to a floor', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const rates: number[] = [];
		const done = (async () => {
			for (let i = 0; i < 6; i++) {
				await send(timers, pacer, 'throttled', 10);
				await timers.sleep(20);
				rates.push(pacer.rate(LANE, 10));
			}
		})();
		await timers.runAll();
		await done;
		expect(rates.slice(0, 3)).toEqual([1, 0.5, 0.25]);
		// Tries for a place now and then double it again; never below the floor (2 % of the limit), never above 1 place.
		expect(Math.min(...rates)).toBe(0.2);
		expect(Math.max(...rates)).toBeLessThanOrEqual(1);
	});

	it('places another process gives up are taken up again: alone after a shared stretch, back near the limit', async () => {
		// Two processes; the first has 40 chats, the second 300. Once the first is done, the second has the instance to itself.
		const run = await runSharedLimit({ clients: 2, itemsPerClient: [40, 300], limit: 10, roundTripMs: 100 });
		const firstDone = Math.max(...run.acceptedBy[0]);
		const later = run.acceptedBy[1].filter((at) => at > firstDone + 20_000);
		expect(later.length).toBeGreaterThan(50);
		expect(busyRate(later)).toBeGreaterThanOrEqual(9);
	});

	it('a lane idle for longer than the reset starts afresh at the limit', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const done = (async () => {
			await send(timers, pacer, 'ok');
			await send(timers, pacer, 'throttled');
		})();
		await timers.runAll();
		await done;
		expect(pacer.rate(LANE, 10)).toBeLessThan(10);
		timers.advance(IDLE_RESET_MS + 1);
		const again = send(timers, pacer, 'ok');
		await timers.runAll();
		await again;
		expect(pacer.rate(LANE, 10)).toBe(10);
	});

	// The targets for processes sharing an instance (the benchmark checks them on real processes).
	describe.each([1, 2, 3, 4])('%i process(es), 100 chats each, 100 ms round trip, limit 10/s', (clients) => {
		it.each([1, 2, 3, 4, 5])('network jitter seed %i: all accepted, ≤ 5 % answered 429, ≥ 85 % of the limit while busy, slowest ≤ 1.5 × fastest', async (seed) => {
			const run = await runSharedLimit({ clients, itemsPerClient: 100, limit: 10, roundTripMs: 100, seed });
			expect(run.accepted).toHaveLength(clients * 100);
			const share = run.tooMany / (run.accepted.length + run.tooMany);
			if (clients === 1) expect(run.tooMany).toBe(0);
			expect(share).toBeLessThanOrEqual(0.05);
			expect(busyRate(run.accepted)).toBeGreaterThanOrEqual(clients === 1 ? 9.5 : 8.5);
			expect(Math.max(...run.finishedAfterMs) / Math.min(...run.finishedAfterMs)).toBeLessThanOrEqual(1.5);
		});
	});
});
