import { Pacer, SPACING_MARGIN } from '../nodes/GreenApi/transport/pacer';

/** A clock that only moves when the pacer sleeps: the test sees when each request would be sent. */
function virtualTime() {
	let now = 1_000_000;
	const pacer = new Pacer(
		() => now,
		async (ms) => {
			now += ms;
		},
	);
	return { pacer, now: () => now, advance: (ms: number) => (now += ms) };
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

describe('pacer', () => {
	it('never puts more than the limit in any rolling second, and stays within 5 % of it', async () => {
		const clock = virtualTime();
		const sent: number[] = [];
		const start = clock.now();
		for (let i = 0; i < 200; i++) {
			await clock.pacer.acquire('a', 10);
			sent.push(clock.now());
		}
		expect(busiestSecond(sent)).toBe(10);
		const rate = (sent.length - 1) / ((sent[sent.length - 1] - start) / 1000);
		expect(rate).toBeGreaterThanOrEqual(9.5);
		expect(rate).toBeCloseTo(10 / SPACING_MARGIN, 5);
	});

	it('keeps lanes independent: another instance does not wait', async () => {
		const clock = virtualTime();
		for (let i = 0; i < 50; i++) await clock.pacer.acquire('instance-a', 10);
		const before = clock.now();
		await clock.pacer.acquire('instance-b', 10);
		expect(clock.now()).toBe(before);
	});

	it('a pause (429) holds every request on the lane until it ends', async () => {
		const clock = virtualTime();
		await clock.pacer.acquire('a', 10);
		clock.pacer.pause('a', 3000);
		const pausedAt = clock.now();
		await clock.pacer.acquire('a', 10);
		expect(clock.now()).toBeGreaterThanOrEqual(pausedAt + 3000);
	});

	it('a pause set while a request waits for its slot holds that request too', async () => {
		let now = 0;
		const sleepers: Array<() => void> = [];
		const pacer = new Pacer(
			() => now,
			(ms) =>
				new Promise<void>((resolve) => {
					sleepers.push(() => {
						now += ms;
						resolve();
					});
				}),
		);
		await pacer.acquire('a', 10); // slot at 0, no wait
		const waiting = pacer.acquire('a', 10); // slot at ~103 ms: sleeps
		pacer.pause('a', 5000);
		sleepers.shift()!(); // wakes at ~103 ms, inside the pause: must take a new slot
		await Promise.resolve();
		await Promise.resolve();
		expect(sleepers).toHaveLength(1);
		sleepers.shift()!();
		await waiting;
		expect(now).toBeGreaterThanOrEqual(5000);
	});
});
