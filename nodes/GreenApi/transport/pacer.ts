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
import { sleep } from 'n8n-workflow';

export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
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
	spacing: number;
	grant: (release: Release) => void;
}

interface Lane {
	queue: Waiter[];
	lastGrant: number;
	lastActivity: number;
	pausedUntil: number;
	/** Set while a cold lane's first request is out: resolves when it is answered. */
	opening?: Promise<void>;
	draining: boolean;
}

const realClock: Clock = { now: () => Date.now(), sleep: async (ms) => await sleep(ms) };

export class Pacer {
	private readonly lanes = new Map<string, Lane>();

	constructor(private readonly clock: Clock = realClock) {}

	/** Resolves when a request may be sent on `lane` at `perSecond`; call the Release when it is answered. */
	acquire(lane: string, perSecond: number, signal?: AbortSignal): Promise<Release> {
		const state = this.lane(lane);
		return new Promise<Release>((resolve, reject) => {
			if (signal?.aborted) return reject(signal.reason);
			const onAbort = () => {
				state.queue = state.queue.filter((queued) => queued !== waiter);
				reject(signal?.reason);
			};
			const waiter: Waiter = {
				spacing: (1000 / perSecond) * SPACING_MARGIN,
				grant: (release) => {
					signal?.removeEventListener('abort', onAbort);
					resolve(release);
				},
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			state.queue.push(waiter);
			void this.drain(state);
		});
	}

	/** Holds every request on `lane` for `ms` (the service answered 429). */
	pause(lane: string, ms: number): void {
		const state = this.lane(lane);
		state.pausedUntil = Math.max(state.pausedUntil, this.clock.now() + ms);
	}

	/** One loop per lane lets the queue go; after every wait it looks again (a pause may have come). */
	private async drain(state: Lane): Promise<void> {
		if (state.draining) return;
		state.draining = true;
		try {
			while (state.queue.length) {
				if (state.opening) {
					await state.opening;
					continue;
				}
				const now = this.clock.now();
				const earliest = Math.max(state.pausedUntil, state.lastGrant + state.queue[0].spacing);
				if (earliest > now) {
					await this.clock.sleep(earliest - now);
					continue;
				}
				const waiter = state.queue.shift()!;
				state.lastGrant = now - earliest <= LATE_TOLERANCE_MS ? earliest : now;
				const cold = now - state.lastActivity > IDLE_RESET_MS;
				state.lastActivity = now;
				waiter.grant(cold ? this.opener(state) : () => (state.lastActivity = this.clock.now()));
			}
		} finally {
			state.draining = false;
		}
	}

	/** The Release of a cold lane's first request: the rest go once it is answered. */
	private opener(state: Lane): Release {
		let answered!: () => void;
		state.opening = new Promise<void>((resolve) => (answered = resolve));
		let released = false;
		return () => {
			if (released) return;
			released = true;
			const answeredAt = this.clock.now();
			state.lastActivity = answeredAt;
			// It reached the service by the time it answered at the latest: count it as sent then.
			state.lastGrant = Math.max(state.lastGrant, answeredAt);
			state.opening = undefined;
			answered();
		};
	}

	private lane(name: string): Lane {
		let state = this.lanes.get(name);
		if (!state) {
			state = { queue: [], lastGrant: -Infinity, lastActivity: -Infinity, pausedUntil: 0, draining: false };
			this.lanes.set(name, state);
		}
		return state;
	}
}

/** The process-wide pacer the node uses. */
export const sharedPacer = new Pacer();
