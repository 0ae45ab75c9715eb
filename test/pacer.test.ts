import { IDLE_RESET_MS, LATE_TOLERANCE_MS, Pacer, SPACING_MARGIN, type Clock, type Release } from '../nodes/GreenApi/transport/pacer';

/** Virtual time: it moves only when the test fires the next timer, so sends are seen exactly. */
class VirtualClock implements Clock {
	time = 1_000_000;
	/** Added to every pacer sleep: a timer that fires late. */
	lateBy = 0;
	private pending: Array<{ at: number; callback: () => void }> = [];
	now = () => this.time;
	sleep = (ms: number) => new Promise<void>((resolve) => this.setTimeout(resolve, ms + this.lateBy));
	setTimeout(callback: () => void, ms: number) {
		this.pending.push({ at: this.time + ms, callback });
	}
	/** Fires timers until none are left, letting promise callbacks run in between. */
	async runAll(): Promise<void> {
		for (;;) {
			await flushPromises();
			if (!this.pending.length) return;
			this.pending.sort((a, b) => a.at - b.at);
			const next = this.pending.shift()!;
			this.time = Math.max(this.time, next.at);
			next.callback();
		}
	}
	advance(ms: number) {
		this.time += ms;
	}
}

async function flushPromises() {
	for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Most of `times` in any half-open window of 1000 ms. */
function busiestSecond(times: number[]): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	for (let start = 0, end = 0; end < sorted.length; end++) {
		while (sorted[end] - sorted[start] >= 1000) start++;
		most = Math.max(most, end - start + 1);
	}
	return most;
}

/** Queues `count` requests on `lane`; each is answered `answerMs` after it is let go. */
function queue(timers: VirtualClock, pacer: Pacer, lane: string, count: number, perSecond: number, answerMs = 0) {
	const sent: number[] = [];
	const done = Array.from({ length: count }, () =>
		pacer.acquire(lane, perSecond).then((release: Release) => {
			sent.push(timers.now());
			if (answerMs === 0) release();
			else timers.setTimeout(release, answerMs);
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
		first();
		const controller = new AbortController();
		const waiting = pacer.acquire('a', 10, controller.signal);
		controller.abort(new Error('cancelled'));
		await expect(waiting).rejects.toThrow('cancelled');
	});
});
