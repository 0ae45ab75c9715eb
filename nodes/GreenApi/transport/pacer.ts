/**
 * Paces requests per GREEN-API instance and method so that no rolling second carries more than
 * the limit. Requests queue in order; each is let go 1/limit seconds (plus a small margin for
 * network jitter) after the one before it, so a late timer or a busy event loop only ever spreads
 * requests out, never bunches them. Spacing rather than bursts keeps the rate smooth at any
 * round-trip time.
 *
 * A lane that is new or has been idle starts with one request and waits for its answer: the
 * first request to a host also pays for DNS and the connection, so it reaches the service late,
 * and the ones queued behind it would otherwise arrive bunched up with it.
 *
 * One pacer serves the whole n8n process: every node and execution using the same instance draws
 * from the same budget, while different instances never wait for each other.
 */

export interface Timers {
	now(): number;
	setTimeout(callback: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

/** Call when the request's answer (or failure) is in. */
export type Release = () => void;

/** Slots are this much wider than 1/limit: arrivals jitter by a few ms, the limit is strict. */
export const SPACING_MARGIN = 1.02;
/**
 * A request let go at most this late keeps the schedule (timers fire a millisecond or two late;
 * chaining from the actual time would lose that on every slot). Any `limit` gaps in a row still
 * span at least 1000 × SPACING_MARGIN − this, well over a second. Later than this, the schedule
 * restarts from the actual time, so a stall never bunches the requests after it.
 */
export const LATE_TOLERANCE_MS = 5;
/** After this long without requests a lane is cold again (connections closed, caches gone). */
export const IDLE_RESET_MS = 5000;

interface Waiter {
	grant: (release: Release) => void;
	fail: (reason: unknown) => void;
	spacing: number;
}

interface Lane {
	queue: Waiter[];
	lastGrant: number;
	lastActivity: number;
	pausedUntil: number;
	/** A cold lane's first request is out; the rest wait for its answer. */
	opening: boolean;
	timer?: unknown;
}

const realTimers: Timers = {
	now: () => Date.now(),
	setTimeout: (callback, ms) => setTimeout(callback, ms),
	clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class Pacer {
	private readonly lanes = new Map<string, Lane>();

	constructor(private readonly timers: Timers = realTimers) {}

	/** Resolves when a request may be sent on `lane` at `perSecond`; call the Release when it is answered. */
	acquire(lane: string, perSecond: number, signal?: AbortSignal): Promise<Release> {
		const state = this.lane(lane);
		return new Promise<Release>((resolve, reject) => {
			if (signal?.aborted) return reject(signal.reason ?? new Error('Aborted'));
			const onAbort = () => {
				state.queue = state.queue.filter((queued) => queued !== waiter);
				reject(signal?.reason ?? new Error('Aborted'));
			};
			const waiter: Waiter = {
				spacing: (1000 / perSecond) * SPACING_MARGIN,
				grant: (release) => {
					signal?.removeEventListener('abort', onAbort);
					resolve(release);
				},
				fail: reject,
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			state.queue.push(waiter);
			this.pump(state);
		});
	}

	/** Holds every request on `lane` for `ms` (the service answered 429). */
	pause(lane: string, ms: number): void {
		const state = this.lane(lane);
		state.pausedUntil = Math.max(state.pausedUntil, this.timers.now() + ms);
		this.pump(state);
	}

	private pump(state: Lane): void {
		if (state.timer !== undefined) {
			this.timers.clearTimeout(state.timer);
			state.timer = undefined;
		}
		while (state.queue.length && !state.opening) {
			const now = this.timers.now();
			const waiter = state.queue[0];
			const earliest = Math.max(state.pausedUntil, state.lastGrant + waiter.spacing);
			if (earliest > now) {
				state.timer = this.timers.setTimeout(() => {
					state.timer = undefined;
					this.pump(state);
				}, earliest - now);
				return;
			}
			state.queue.shift();
			const cold = now - state.lastActivity > IDLE_RESET_MS;
			state.lastGrant = now - earliest <= LATE_TOLERANCE_MS ? earliest : now;
			state.lastActivity = now;
			state.opening = cold;
			let released = false;
			waiter.grant(() => {
				if (released) return;
				released = true;
				const answeredAt = this.timers.now();
				state.lastActivity = answeredAt;
				if (cold) {
					// The opener reached the service by the time it answered: count it as sent then.
					state.opening = false;
					state.lastGrant = Math.max(state.lastGrant, answeredAt);
					this.pump(state);
				}
			});
		}
	}

	private lane(name: string): Lane {
		let state = this.lanes.get(name);
		if (!state) {
			state = { queue: [], lastGrant: -Infinity, lastActivity: -Infinity, pausedUntil: 0, opening: false };
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
