/**
 * Paces requests per GREEN-API instance and method so that no rolling second carries more than
 * the limit: each request takes the next free slot, slots spaced 1/limit seconds apart (plus a
 * small margin for network jitter between our clock and the service's). Spacing, rather than
 * bursts of `limit`, keeps the rate smooth at any round-trip time.
 *
 * One pacer is shared by the whole n8n process, so every node and execution using the same
 * instance draws from the same budget, while different instances never wait for each other.
 */

export type Clock = () => number;
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Slots are this much wider than 1/limit: arrivals jitter by a few ms, the limit is strict. */
export const SPACING_MARGIN = 1.03;

interface Lane {
	nextSlot: number;
	pausedUntil: number;
}

export class Pacer {
	private readonly lanes = new Map<string, Lane>();

	constructor(
		private readonly clock: Clock = Date.now,
		private readonly sleep: Sleep = abortableSleep,
	) {}

	/** Resolves when a request may be sent on `lane` at `perSecond`. */
	async acquire(lane: string, perSecond: number, signal?: AbortSignal): Promise<void> {
		const state = this.lane(lane);
		const spacing = (1000 / perSecond) * SPACING_MARGIN;
		for (;;) {
			const now = this.clock();
			const slot = Math.max(now, state.nextSlot, state.pausedUntil);
			state.nextSlot = slot + spacing;
			if (slot > now) await this.sleep(slot - now, signal);
			// A 429 that arrived while we slept pauses everyone, including slots already handed out.
			if (this.clock() >= state.pausedUntil) return;
		}
	}

	/** Holds every request on `lane` for `ms` (the service said 429). */
	pause(lane: string, ms: number): void {
		const state = this.lane(lane);
		state.pausedUntil = Math.max(state.pausedUntil, this.clock() + ms);
	}

	private lane(name: string): Lane {
		let state = this.lanes.get(name);
		if (!state) {
			state = { nextSlot: 0, pausedUntil: 0 };
			this.lanes.set(name, state);
		}
		return state;
	}
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason ?? new Error('Aborted'));
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal?.reason ?? new Error('Aborted'));
		};
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

/** The process-wide pacer the node uses. */
export const sharedPacer = new Pacer();
