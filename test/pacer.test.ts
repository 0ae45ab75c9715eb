import { Pacer, type Release } from '../nodes/GreenApi/transport/pacer';
import { CYCLE_MS, GRID_MS, LATE_TOLERANCE_MS, WINDOW_MS } from '../nodes/GreenApi/transport/pacer/grid';
import { EPOCH_MS, RECLAIM_DELAY_MS } from '../nodes/GreenApi/transport/pacer/handOver';
import { IDLE_RESET_MS } from '../nodes/GreenApi/transport/pacer/lane';
import { busiestSecond, wholeSpanPace } from '../sandbox/rollingSecond';
import { runSharedLimit, type SharedLimitSpec } from './helpers/sharedLimit';
import { flushPromises, VirtualClock } from './helpers/virtualClock';
import { laneOf, rateOf } from './helpers/pacerState';

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

/** Where `time` falls within its grid step, in ms (0: on a grid instant). */
const intoStep = (time: number) => ((time % GRID_MS) + GRID_MS) % GRID_MS;

describe('pacer, one process', () => {
	it.each([0, 20, 100, 300, 500])('answer time %i ms: never more than the limit in a rolling second, and at least 95 % of it', async (answerMs) => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const { sent, done } = queue(timers, pacer, 'a', 300, 10, answerMs);
		await timers.runAll();
		await done;
		expect(sent).toHaveLength(300);
		expect(busiestSecond(sent)).toBe(10);
		// After the first request (which waits for its answer), the pace the limit allows, less the margin.
		const pace = wholeSpanPace(sent.slice(1));
		expect(pace).toBeGreaterThanOrEqual(9.5);
		expect(pace).toBeLessThanOrEqual(10);
	});

	it('a cold lane lets one request go and waits for its answer before the rest', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const start = timers.now();
		const { sent, done } = queue(timers, pacer, 'a', 3, 10, 400);
		await timers.runAll();
		await done;
		expect(sent[0]).toBe(start);
		// The opener may have reached the service as late as its answer: the next is spaced from there.
		expect(sent[1]).toBeCloseTo(start + 400 + CYCLE_MS / 10, 6);
	});

	it('a lane idle for longer than the reset is cold again', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		await queue(timers, pacer, 'a', 1, 10).done;
		timers.advance(IDLE_RESET_MS + 1);
		const { sent, done } = queue(timers, pacer, 'a', 2, 10, 300);
		await timers.runAll();
		await done;
		expect(sent[1] - sent[0]).toBeCloseTo(300 + CYCLE_MS / 10, 6);
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

	it('a blocked event loop never puts more than the limit in a rolling second', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const { sent, done } = queue(timers, pacer, 'a', 60, 10);
		await flushPromises();
		// Time jumps before the next timer fires, twice: the places that came due meanwhile go together.
		timers.advance(250);
		await flushPromises();
		timers.advance(700);
		await timers.runAll();
		await done;
		expect(sent).toHaveLength(60);
		expect(busiestSecond(sent)).toBeLessThanOrEqual(10);
	});

	it('timers firing a little late keep the schedule: the limit is kept and the pace does not drift', async () => {
		const timers = new VirtualClock();
		timers.lateBy = LATE_TOLERANCE_MS - 1;
		const pacer = new Pacer(timers);
		const { sent, done } = queue(timers, pacer, 'a', 100, 10);
		await timers.runAll();
		await done;
		expect(busiestSecond(sent)).toBe(10);
		// Lateness does not add up: ten requests a cycle, as planned.
		expect((sent[sent.length - 1] - sent[10]) / (sent.length - 11)).toBeCloseTo(CYCLE_MS / 10, 0);
	});

	it('a limit under one a second spaces requests by more than a second', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const { sent, done } = queue(timers, pacer, 'a', 5, 0.5);
		await timers.runAll();
		await done;
		for (let i = 1; i < sent.length; i++) expect(sent[i] - sent[i - 1]).toBeGreaterThanOrEqual(2 * WINDOW_MS - 1e-6);
	});

	it('an aborted wait leaves the queue and rejects', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const first = await pacer.acquire('a', 10);
		first('ok');
		const controller = new AbortController();
		const waiting = pacer.acquire('a', 10, { signal: controller.signal });
		controller.abort(new Error('cancelled'));
		await expect(waiting).rejects.toThrow('cancelled');
	});
});

describe('pacer, processes sharing an instance', () => {
	const LANE = 'a';

	/** Sends one request on `lane` at `limit` and answers it with `outcome` after `answerMs`. */
	async function send(timers: VirtualClock, pacer: Pacer, outcome: 'ok' | 'throttled', answerMs = 50, limit = 10) {
		const release = await pacer.acquire(LANE, limit);
		const sentAt = timers.now();
		timers.setTimeout(() => release(outcome), answerMs);
		return sentAt;
	}

	it('a 429 drops the place that request went on: the process keeps the others, and waits for the first to come round', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		// Four requests accepted, then one refused: the second was full, four places are ours.
		const sent: number[] = [];
		const done = (async () => {
			for (let i = 0; i < 4; i++) sent.push(await send(timers, pacer, 'ok'));
			sent.push(await send(timers, pacer, 'throttled'));
			sent.push(await send(timers, pacer, 'ok'));
		})();
		await timers.runAll();
		await done;
		expect(rateOf(pacer, LANE, 10)).toBe(4);
		expect(sent[4] - sent[0]).toBeLessThan(1000);
		// No new place is opened after a 429: the next request uses the first place again, a cycle on, at a grid instant.
		expect(sent[5]).toBeGreaterThanOrEqual(sent[0] + CYCLE_MS - LATE_TOLERANCE_MS);
		expect(intoStep(sent[5])).toBeCloseTo(0, 6);
	});

	it('each 429 drops exactly the place it went on, no more', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const rates: number[] = [];
		const done = (async () => {
			for (const outcome of ['ok', 'ok', 'ok', 'throttled', 'throttled', 'ok'] as const) {
				await send(timers, pacer, outcome);
				await timers.sleep(60);
				rates.push(rateOf(pacer, LANE, 10));
			}
		})();
		await timers.runAll();
		await done;
		// Alone at the limit with three places; a 429 drops the new fourth; another, one of the three.
		expect(rates).toEqual([10, 10, 10, 3, 2, 2]);
	});

	it('holding no place at all, it tries at each epoch, half-way into its first grid step', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const sent: number[] = [];
		const done = (async () => {
			for (let i = 0; i < 4; i++) sent.push(await send(timers, pacer, 'throttled', 10));
		})();
		await timers.runAll();
		await done;
		// The first goes at once and is refused; the lane holds nothing and waits for the epochs' first tries.
		for (const at of sent.slice(1)) {
			const epoch = Math.round(at / EPOCH_MS) * EPOCH_MS;
			expect(at - epoch).toBeCloseTo(GRID_MS / 2, 6);
		}
		expect(new Set(sent.slice(1).map((at) => Math.round(at / EPOCH_MS))).size).toBe(3);
	});

	it('places are used on the grid every process shares; places taken back and tries go between grid instants', async () => {
		const run = await runSharedLimit({ clients: 3, itemsPerClient: 100, limit: 10, roundTripMs: 100, seed: 1, recordSent: true });
		const afterStart = run.sentBy.flat().filter((at) => at > run.startedAt + 3000);
		expect(afterStart.length).toBeGreaterThan(200);
		// On a grid instant, just after one (a place taken back), or half-way (a try), at most a timer's lateness after; none elsewhere.
		const planned = [0, RECLAIM_DELAY_MS, GRID_MS / 2];
		const elsewhere = afterStart.map(intoStep).filter((offset) => !planned.some((at) => offset >= at - 1e-6 && offset <= at + LATE_TOLERANCE_MS) && offset < GRID_MS - 1e-6);
		expect(elsewhere).toEqual([]);
	});

	it('a process that joins late, when the others hold every place, gets an even share within a few epochs', async () => {
		const run = await runSharedLimit({ clients: 3, itemsPerClient: [300, 300, 300], limit: 10, roundTripMs: 100, startOffsetsMs: [0, 50, 4000], seed: 3 });
		const late = run.startedAt + 4000 + 4 * EPOCH_MS;
		const window = (times: number[]) => times.filter((at) => at >= late && at < late + 10_000).length / 10;
		const shares = run.acceptedBy.map(window);
		expect(Math.min(...shares)).toBeGreaterThanOrEqual(2.5);
		expect(Math.max(...shares)).toBeLessThanOrEqual(4.5);
	});

	it('places another process gives up are taken up again: alone after a shared stretch, back near the limit', async () => {
		// Two processes; the first has 40 chats, the second 300. Once the first is done, the second has the instance to itself.
		const run = await runSharedLimit({ clients: 2, itemsPerClient: [40, 300], limit: 10, roundTripMs: 100 });
		const firstDone = Math.max(...run.acceptedBy[0]);
		const later = run.acceptedBy[1].filter((at) => at > firstDone + 2 * EPOCH_MS);
		expect(later.length).toBeGreaterThan(50);
		expect(wholeSpanPace(later)).toBeGreaterThanOrEqual(9);
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
		expect(rateOf(pacer, LANE, 10)).toBeLessThan(10);
		timers.advance(IDLE_RESET_MS + 1);
		const again = send(timers, pacer, 'ok');
		await timers.runAll();
		await again;
		expect(rateOf(pacer, LANE, 10)).toBe(10);
	});

	/** The four figures the targets speak of. */
	function figures(run: Awaited<ReturnType<typeof runSharedLimit>>, spec: SharedLimitSpec) {
		const items = typeof spec.itemsPerClient === 'number' ? spec.itemsPerClient * spec.clients : spec.itemsPerClient.reduce((a, b) => a + b, 0);
		return {
			items,
			share429: run.tooMany / (run.accepted.length + run.tooMany),
			pace: wholeSpanPace(run.accepted) / spec.limit,
			slowestOverFastest: Math.max(...run.tookMs) / Math.min(...run.tookMs),
		};
	}

	// The targets for processes sharing an instance (the benchmark and the queue-mode test report them on real processes).
	describe.each([1, 2, 3, 4])('%i process(es), 100 chats each, 100 ms round trip, limit 10/s', (clients) => {
		it.each([1, 2, 3, 4, 5])('network jitter seed %i: all accepted, ≤ 5 % answered 429, ≥ 85 % of the limit from the first request to the last, slowest ≤ 1.5 × fastest', async (seed) => {
			const spec = { clients, itemsPerClient: 100, limit: 10, roundTripMs: 100, seed };
			const run = await runSharedLimit(spec);
			const result = figures(run, spec);
			expect(run.accepted).toHaveLength(result.items);
			if (clients === 1) expect(run.tooMany).toBe(0);
			expect(result.share429).toBeLessThanOrEqual(0.05);
			expect(result.pace).toBeGreaterThanOrEqual(clients === 1 ? 0.95 : 0.85);
			expect(result.slowestOverFastest).toBeLessThanOrEqual(1.5);
		});
	});

	// Tails: one process finishes early, its places must be found. Found only by trying, and every
	// try costs a 429 while the second is full, so this is slower than the even case (see the README).
	describe.each([[[40, 300]], [[50, 100, 150]], [[30, 60, 100, 150]]])('processes of unequal length %j, 100 ms round trip, limit 10/s', (items) => {
		it.each([1, 2, 3, 4, 5])('network jitter seed %i: all accepted, ≤ 5 % answered 429, ≥ 75 % of the limit from the first request to the last', async (seed) => {
			const spec = { clients: items.length, itemsPerClient: items, limit: 10, roundTripMs: 100, seed };
			const run = await runSharedLimit(spec);
			const result = figures(run, spec);
			expect(run.accepted).toHaveLength(result.items);
			expect(result.share429).toBeLessThanOrEqual(0.05);
			expect(result.pace).toBeGreaterThanOrEqual(0.75);
		});
	});

	// A busy machine: timers fire up to 20 ms late now and then, and the processes start up to 0.3 s apart.
	describe.each([2, 3, 4])('%i processes on a busy machine, 100 chats each', (clients) => {
		it.each([1, 2, 3, 4, 5])('seed %i: all accepted, ≤ 5 % answered 429, ≥ 75 % of the limit from the first request to the last, slowest ≤ 1.6 × fastest', async (seed) => {
			const starts = Array.from({ length: clients }, (_, client) => ((seed * 7919 + client * 104729) % 300) + 1);
			const spec = { clients, itemsPerClient: 100, limit: 10, roundTripMs: 100, seed, stallMs: 20, startOffsetsMs: starts };
			const run = await runSharedLimit(spec);
			const result = figures(run, spec);
			expect(run.accepted).toHaveLength(result.items);
			expect(result.share429).toBeLessThanOrEqual(0.05);
			expect(result.pace).toBeGreaterThanOrEqual(0.75);
			expect(result.slowestOverFastest).toBeLessThanOrEqual(1.6);
		});
	});
});

describe("pacer, the lane runs at its method's limit; Requests Per Second only lowers a request's own pace", () => {
	/** Requests asking `requested` on lane 'a' (limit `limit`), each answered after `answerMs`; their send times. */
	function asking(timers: VirtualClock, pacer: Pacer, count: number, limit: number, requested: number, answerMs = 50) {
		const sent: number[] = [];
		const done = Array.from({ length: count }, () =>
			pacer.acquire('a', limit, { requested }).then((release: Release) => {
				sent.push(timers.now());
				timers.setTimeout(() => release('ok'), answerMs);
			}),
		);
		return { sent, done: Promise.all(done) };
	}

	/** A caller (one workflow's run) with `inFlight` requests waiting or out at a time, asking `requested`; its send times. */
	function caller(timers: VirtualClock, pacer: Pacer, count: number, requested: number, inFlight = 5) {
		const sent: number[] = [];
		let next = 0;
		const worker = async () => {
			while (next++ < count) {
				const release = await pacer.acquire('a', 10, { requested });
				sent.push(timers.now());
				await timers.sleep(50);
				release('ok');
			}
		};
		return { sent, done: Promise.all(Array.from({ length: inFlight }, worker)) };
	}

	it.each([
		['the slower first', [3, 10]],
		['the faster first', [10, 3]],
	])('two callers asking 3/s and 10/s on a 10/s lane, %s: the lane keeps its capacity, the slower keeps to 3, the other takes the rest', async (_, order) => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const runs = new Map<number, ReturnType<typeof caller>>();
		for (const requested of order) {
			runs.set(requested, caller(timers, pacer, requested === 3 ? 60 : 200, requested));
			await flushPromises();
		}
		await timers.runAll();
		await Promise.all([...runs.values()].map(async (run) => await run.done));
		const slow = runs.get(3)!.sent;
		const fast = runs.get(10)!.sent;
		expect(laneOf(pacer, 'a')?.capacity).toBe(10);
		expect(busiestSecond([...slow, ...fast])).toBe(10);
		expect(busiestSecond(slow)).toBeLessThanOrEqual(3);
		// While both call, the lane is used at its limit: the slower's three and the faster's seven.
		const both = (time: number) => time > Math.max(slow[1], fast[1]) && time < Math.min(slow[slow.length - 1], fast[fast.length - 1]);
		expect(slow.filter(both).length).toBeGreaterThan(50);
		expect(wholeSpanPace([...slow, ...fast].filter(both))).toBeGreaterThanOrEqual(9.5);
		expect(wholeSpanPace(fast.filter(both))).toBeGreaterThanOrEqual(6.5);
		expect(wholeSpanPace(slow.filter(both))).toBeGreaterThanOrEqual(2.8);
	});

	it("asking more than the method allows gets the method's limit", async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const { sent, done } = asking(timers, pacer, 200, 10, 1000);
		await timers.runAll();
		await done;
		expect(laneOf(pacer, 'a')?.capacity).toBe(10);
		expect(busiestSecond(sent)).toBe(10);
		expect(wholeSpanPace(sent.slice(1))).toBeGreaterThanOrEqual(9.5);
	});

	it.each([0.5, 3, 25])('asking %d/s of a 50/s lane: never more than that in a rolling second, evenly, and close to it', async (requested) => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const { sent, done } = asking(timers, pacer, Math.max(5, requested * 20), 50, requested);
		await timers.runAll();
		await done;
		expect(busiestSecond(sent)).toBeLessThanOrEqual(Math.ceil(requested));
		expect(wholeSpanPace(sent.slice(1))).toBeGreaterThanOrEqual(requested * 0.93);
		if (requested < 1) for (let i = 1; i < sent.length; i++) expect(sent[i] - sent[i - 1]).toBeGreaterThanOrEqual(WINDOW_MS / requested - 1e-6);
	});
});

describe("pacer at 50/s (GREEN-API's send methods)", () => {
	it.each([0, 20, 100, 300, 500])('alone, answer time %i ms, 1,500 requests: never more than 50 in a rolling second, at least 95 % of the limit', async (answerMs) => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const { sent, done } = queue(timers, pacer, 'a', 1500, 50, answerMs);
		await timers.runAll();
		await done;
		expect(sent).toHaveLength(1500);
		expect(busiestSecond(sent)).toBe(50);
		expect(wholeSpanPace(sent.slice(1))).toBeGreaterThanOrEqual(47.5);
	});

	it('alone, requests go spread over the cycle: five share a grid instant, six when the slot held back for an epoch joins them', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const { sent, done } = queue(timers, pacer, 'a', 1000, 50, 100);
		await timers.runAll();
		await done;
		const atOnce = new Map<number, number>();
		for (const time of sent) atOnce.set(time, (atOnce.get(time) ?? 0) + 1);
		// The grid stays 102 ms at 50/s (see grid.ts): 50 slots in ten steps; GREEN-API counts a rolling second, not instants.
		expect(Math.max(...atOnce.values())).toBeLessThanOrEqual(6);
		expect([...atOnce.values()].filter((count) => count > 5).length).toBeLessThan(atOnce.size * 0.1);
		// Every grid step of a cycle is used, not a few of them.
		const steps = new Set(sent.slice(100).map((time) => Math.round((time % CYCLE_MS) / GRID_MS) % 10));
		expect(steps.size).toBe(10);
	});

	it.each([1, 2, 3])('alone against the service, seed %i: every request accepted first time, ≥ 95 % of the limit', async (seed) => {
		const run = await runSharedLimit({ clients: 1, itemsPerClient: 1500, limit: 50, roundTripMs: 100, seed });
		expect(run.accepted).toHaveLength(1500);
		expect(run.tooMany).toBe(0);
		expect(wholeSpanPace(run.accepted) / 50).toBeGreaterThanOrEqual(0.95);
	});

	describe.each([2, 3, 4])('%i processes sharing a 50/s lane, 500 requests each, 100 ms round trip', (clients) => {
		it.each([1, 2, 3, 4, 5])('network jitter seed %i: all accepted, ≤ 3 % answered 429, ≥ 90 % of the limit in sum, slowest ≤ 1.25 × fastest, shares even in mid-run', async (seed) => {
			const run = await runSharedLimit({ clients, itemsPerClient: 500, limit: 50, roundTripMs: 100, seed, recordSent: true });
			expect(run.accepted).toHaveLength(500 * clients);
			// The service refuses what is over; what the pacer sent over it is the 429s.
			expect(busiestSecond(run.accepted)).toBeLessThanOrEqual(50);
			expect(run.tooMany / (run.tooMany + run.accepted.length)).toBeLessThanOrEqual(0.03);
			expect(wholeSpanPace(run.accepted) / 50).toBeGreaterThanOrEqual(0.9);
			expect(Math.max(...run.tookMs) / Math.min(...run.tookMs)).toBeLessThanOrEqual(1.25);
			// Between two epochs and the first process done, each holds about an even share.
			const from = run.startedAt + 2 * EPOCH_MS;
			const to = run.startedAt + Math.min(...run.finishedAfterMs) - 1000;
			const even = (50 * (to - from)) / 1000 / clients;
			for (const accepted of run.acceptedBy) {
				const share = accepted.filter((at) => at >= from && at < to).length / even;
				expect(share).toBeGreaterThanOrEqual(0.8);
				expect(share).toBeLessThanOrEqual(1.2);
			}
		});
	});
});

describe('pacer at 50/s when a process or the service stalls: arrivals bunched, several 429 at once', () => {
	/** Requests on lane 'a' at `limit`, each answered after answerMs(i) with outcome(i); their send times. */
	function answered(timers: VirtualClock, pacer: Pacer, count: number, limit: number, answerMs: (i: number) => number, outcome: (i: number) => 'ok' | 'throttled' = () => 'ok') {
		const sent: number[] = [];
		const done = Array.from({ length: count }, (_, i) =>
			pacer.acquire('a', limit).then((release: Release) => {
				sent[i] = timers.now();
				timers.setTimeout(() => release(outcome(i)), answerMs(i));
			}),
		);
		return { sent, done: Promise.all(done) };
	}

	it('an answer later than usual: the request may have arrived that late, so its slot is used again a second after that, not a cycle after it was sent', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		// Alone at 10/s: ten slots on ten grid instants. The 16th request's answer takes 400 ms longer than the others'.
		const { sent, done } = answered(timers, pacer, 40, 10, (i) => (i === 15 ? 450 : 50));
		await timers.runAll();
		await done;
		const late = sent[15];
		// Where its slot would have gone next, nothing goes; it goes a second after the latest the request may have arrived.
		expect(sent.filter((at) => Math.abs(at - (late + CYCLE_MS)) < 1)).toEqual([]);
		const next = sent.filter((at) => at > late).find((at) => at >= late + 400 + WINDOW_MS - 1e-6);
		expect(next).toBeDefined();
		expect(sent.filter((at) => at === next)).toHaveLength(2);
		expect(busiestSecond(sent)).toBeLessThanOrEqual(10);
	});

	it('a burst of 429s answered together drops one slot; a 429 to a request sent after it drops another', async () => {
		const timers = new VirtualClock();
		const pacer = new Pacer(timers);
		const rates: number[] = [];
		const run = async (count: number, outcome: 'ok' | 'throttled') => {
			const batch = answered(
				timers,
				pacer,
				count,
				50,
				() => 50,
				() => outcome,
			);
			await batch.done;
			await timers.sleep(100);
			rates.push(rateOf(pacer, 'a', 50));
			return batch.sent;
		};
		const done = (async () => {
			// Alone, the lane opens its 50 slots; a 429 then drops one, and the lane is shared.
			await run(100, 'ok');
			await timers.sleep(1500);
			await run(1, 'throttled');
			// Five requests let go at one grid instant on slots come due, refused together (a stall bunched the window).
			const burst = await run(5, 'throttled');
			expect(new Set(burst).size).toBe(1);
			await run(1, 'throttled');
		})();
		await timers.runAll();
		await done;
		expect(rates).toEqual([50, 49, 48, 47]);
	});

	it.each([
		['the service', undefined],
		['the process', 0],
	])('alone, %s stalls (300 ms, then 150 ms): the requests meanwhile arrive bunched, yet none is answered 429, and at least 95 % of the limit', async (_, client) => {
		const run = await runSharedLimit({
			clients: 1,
			itemsPerClient: 1000,
			limit: 50,
			roundTripMs: 100,
			seed: 1,
			stalls: [
				{ atMs: 3000, forMs: 300, client },
				{ atMs: 9000, forMs: 150, client },
			],
		});
		expect(run.accepted).toHaveLength(1000);
		expect(run.tooMany).toBe(0);
		expect(wholeSpanPace(run.accepted) / 50).toBeGreaterThanOrEqual(0.95);
	});

	// Stalls of 200–400 ms, of the service and of one process or another, as a busy 2-core machine has them.
	const STALLS = [
		{ atMs: 2500, forMs: 200 },
		{ atMs: 6000, forMs: 400, client: 0 },
		{ atMs: 11000, forMs: 250 },
		{ atMs: 17000, forMs: 300, client: 1 },
		{ atMs: 26000, forMs: 350 },
		{ atMs: 33000, forMs: 200, client: 0 },
	];

	describe.each([2, 3, 4])('%i processes sharing a 50/s lane, 500 requests each, 100 ms round trip, six stalls', (clients) => {
		it.each([1, 2, 3, 4, 5])('network jitter seed %i: all accepted, ≤ 3 % answered 429, ≥ 90 % of the limit in sum, slowest ≤ 1.25 × fastest', async (seed) => {
			const run = await runSharedLimit({ clients, itemsPerClient: 500, limit: 50, roundTripMs: 100, seed, stalls: STALLS });
			expect(run.accepted).toHaveLength(500 * clients);
			expect(run.tooMany / (run.tooMany + run.accepted.length)).toBeLessThanOrEqual(0.03);
			expect(wholeSpanPace(run.accepted) / 50).toBeGreaterThanOrEqual(0.9);
			expect(Math.max(...run.tookMs) / Math.min(...run.tookMs)).toBeLessThanOrEqual(1.25);
		});
	});

	// However few slots the process left holds (about 25, 17 or 12 of 50), it finds the others' soon after they end.
	describe.each([1, 2, 3])('%i other process(es) finishing early (150 requests each), one going on (1,200)', (others) => {
		it.each([1, 2, 3, 4, 5])('seed %i: the one left probes within two epochs of the others’ end, and runs at 95 % of the limit within 2.5 s of that probe', async (seed) => {
			const run = await runSharedLimit({ clients: others + 1, itemsPerClient: [...Array<number>(others).fill(150), 1200], limit: 50, roundTripMs: 100, seed, recordSent: true });
			const othersDone = Math.max(...run.acceptedBy.slice(0, others).flat());
			const left = run.acceptedBy[others];
			// Probes go half-way between grid instants.
			const probe = run.sentBy[others].find((at) => at > othersDone && Math.abs(intoStep(at) - GRID_MS / 2) <= LATE_TOLERANCE_MS);
			expect(probe).toBeDefined();
			expect(probe! - othersDone).toBeLessThanOrEqual(2 * EPOCH_MS);
			const inSecondFrom = (from: number) => left.filter((at) => at >= from && at < from + WINDOW_MS).length;
			const steps = Math.floor((2500 - WINDOW_MS) / GRID_MS);
			expect([...Array(steps + 1).keys()].some((step) => inSecondFrom(probe! + step * GRID_MS) >= 0.95 * 50)).toBe(true);
		});
	});
});
