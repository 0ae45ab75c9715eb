import type { Clock } from '../../nodes/GreenApi/transport/pacer/grid';

/** Virtual time: it moves only when the test fires the next timer, so sends are seen exactly. */
export class VirtualClock implements Clock {
	time = 1_000_000;
	/** Added to every pacer sleep: a timer that fires late. */
	lateBy = 0;
	private pending: Array<{ at: number; seq: number; callback: () => void }> = [];
	private seq = 0;
	now = () => this.time;
	sleep = (ms: number) => new Promise<void>((resolve) => this.setTimeout(resolve, ms + this.lateBy));
	setTimeout(callback: () => void, ms: number) {
		this.pending.push({ at: this.time + ms, seq: this.seq++, callback });
	}
	/** Fires timers until none are left, letting promise callbacks run in between; fails if virtual time runs past `limitMs`. */
	async runAll(limitMs = 3_600_000): Promise<void> {
		const start = this.time;
		for (;;) {
			await flushPromises();
			if (!this.pending.length) return;
			if (this.time - start > limitMs) throw new Error(`Virtual time ran past ${limitMs} ms with timers still pending: something waits for ever.`);
			this.pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
			const next = this.pending.shift()!;
			this.time = Math.max(this.time, next.at);
			next.callback();
		}
	}
	advance(ms: number) {
		this.time += ms;
	}
}

export async function flushPromises() {
	for (let i = 0; i < 10; i++) await Promise.resolve();
}
