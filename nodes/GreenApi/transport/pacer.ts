/**
 * Paces requests per lane (a GREEN-API instance and method) so that the instance's rate limit is
 * kept, by this process alone and by several processes sharing the instance without talking to
 * each other (n8n's queue-mode workers, other workflows, other programs).
 *
 * GREEN-API counts a lane's requests in a rolling second and answers 429 to those over the
 * limit. The pacer thinks of that second as `limit` places:
 *
 * - Spacing. A lane sending at `rate` lets each request go 1/rate seconds (plus a small margin
 *   for network jitter) after the one before it. With a whole-number rate s, request k+s goes
 *   just over a second after request k: the process re-uses the place its own earlier request
 *   is leaving, so it holds s places, no more, for as long as it keeps sending. A late timer or a
 *   busy event loop only ever spreads requests out, never bunches them.
 * - Alone, a lane runs at the limit and never sees a 429.
 * - A 429 means the service's last second was full, so the places are shared. The process then
 *   knows exactly how many it holds: its own requests that were accepted in that second. It keeps
 *   to that many from then on, and sends the next one when its own oldest place frees up, so the
 *   processes sharing an instance settle on their shares without a further 429.
 * - Now and then it tries for one place more. If the second is full, that costs one 429 and the
 *   next try waits twice as long; if it gets in, the place is its own and the next try comes a
 *   second later. So places another process gives up (its run ended) are taken up again within
 *   seconds, while a full instance is probed ever more rarely. The wait also grows with the
 *   places held, so a process holding fewer tries more often and the shares even out.
 * - Holding no place at all (it came late to an instance others fill), it keeps trying once a
 *   second (a quarter of the limit, for small limits), halving that per 429 in a row down to a
 *   floor: a place another process is about to re-use is sometimes won that way, and the
 *   process that lost it then keeps to one fewer.
 *
 * Answers to requests sent before the last adjustment say nothing about the new rate and are
 * not counted again.
 *
 * A lane that is new or has been idle starts with one request and waits for its answer: the
 * first request to a host also pays for DNS and the connection, so it reaches the service late,
 * and the ones queued behind it would otherwise arrive bunched up with it.
 *
 * One pacer serves the whole n8n process: every node and execution using the same instance draws
 * from the same lane, while different instances and methods never wait for each other.
 */
import { sleep } from 'n8n-workflow';

export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

/** What became of a request, told to the pacer when its answer (or failure) is in. */
export type Outcome = 'ok' | 'throttled' | 'failed';

/** Call once when the request's answer is in: `throttled` for a 429, `ok` for any other answer from the service. */
export type Release = (outcome: Outcome) => void;

/** Slots are this much wider than 1/rate: arrivals jitter by a few ms, the limit is strict. */
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
/** The service's window: a 429 speaks of the requests it accepted in this long before it. */
export const WINDOW_MS = 1000;
/**
 * Wait between tries for one more place: this per place held, doubled per failed try, at most
 * PROBE_MAX_WAIT_MS. Each failed try costs one 429: these keep that to a few per cent of the
 * requests, while places another process gives up are found within seconds (see the benchmark).
 */
export const PROBE_WAIT_MS = 3000;
export const PROBE_MAX_WAIT_MS = 16000;
/** ...and at most this per place held: a process left with few places must not starve behind long waits. */
export const PROBE_MAX_WAIT_PER_PLACE_MS = 5000;
const PROBE_MAX_DOUBLINGS = 4;
/** Holding no place, the rate halves per 429 down to this share of the limit. */
export const MIN_RATE_SHARE = 0.02;

interface Waiter {
	limit: number;
	grant: (release: Release) => void;
}

interface GrantedRequest {
	at: number;
	throttled: boolean;
}

/** What this process has learnt of the others on a shared lane (absent while it has seen no 429). */
interface Shared {
	/** Requests per second this process keeps to: the places it holds (and, while probing, one more). */
	rate: number;
	/** When the rate was last set: answers to requests sent before this do not count again. */
	adjustedAt: number;
	/** When it last tried for one more place; a 429 within a window of that is the try failing. */
	probedAt: number;
	/** Tries in a row that failed: each doubles the wait before the next. */
	failures: number;
}

interface Lane {
	queue: Waiter[];
	lastGrant: number;
	lastActivity: number;
	pausedUntil: number;
	/** Set while a cold lane's first request is out: resolves when it is answered. */
	opening?: Promise<void>;
	draining: boolean;
	shared?: Shared;
	/** This process's requests of the last window or two, to count the places it holds. */
	recent: GrantedRequest[];
	/** When a request on this lane last succeeded (not a 429). */
	lastProgress: number;
}

const realClock: Clock = { now: () => Date.now(), sleep: async (ms) => await sleep(ms) };

export class Pacer {
	private readonly lanes = new Map<string, Lane>();

	constructor(private readonly clock: Clock = realClock) {}

	/** Resolves when a request may be sent on `lane` (limit: requests per second at most); call the Release with its outcome. */
	acquire(lane: string, limit: number, signal?: AbortSignal): Promise<Release> {
		const state = this.lane(lane);
		return new Promise<Release>((resolve, reject) => {
			if (signal?.aborted) return reject(signal.reason);
			const onAbort = () => {
				state.queue = state.queue.filter((queued) => queued !== waiter);
				reject(signal?.reason);
			};
			const waiter: Waiter = {
				limit,
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

	/** Holds every request on `lane` for `ms` (the service asked for it with Retry-After). */
	pause(lane: string, ms: number): void {
		const state = this.lane(lane);
		state.pausedUntil = Math.max(state.pausedUntil, this.clock.now() + ms);
	}

	/** The rate `lane` is sent at now, requests per second, for a caller whose limit is `limit`. */
	rate(lane: string, limit: number): number {
		return this.rateOf(this.lane(lane), limit);
	}

	/** When a request on `lane` last succeeded; -Infinity if none has. */
	lastProgress(lane: string): number {
		return this.lane(lane).lastProgress;
	}

	/** One loop per lane lets the queue go; after every wait it looks again (a pause or a 429 may have come). */
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
				const limit = state.queue[0].limit;
				this.probe(state, limit, now);
				const spacing = (1000 / this.rateOf(state, limit)) * SPACING_MARGIN;
				const earliest = Math.max(state.pausedUntil, state.lastGrant + spacing);
				if (earliest > now) {
					// Wake at least once per limit-spacing: a probe may make room meanwhile.
					await this.clock.sleep(Math.min(earliest - now, Math.max(1000 / limit, 1)));
					continue;
				}
				const waiter = state.queue.shift()!;
				state.lastGrant = now - earliest <= LATE_TOLERANCE_MS ? earliest : now;
				const cold = now - state.lastActivity > IDLE_RESET_MS;
				// An idle lane starts afresh at the limit: whoever shared it may have gone too.
				if (cold) state.shared = undefined;
				state.lastActivity = now;
				const sent: GrantedRequest = { at: state.lastGrant, throttled: false };
				state.recent.push(sent);
				while (state.recent[0].at < now - 2 * WINDOW_MS) state.recent.shift();
				waiter.grant(this.release(state, sent, limit, cold));
			}
		} finally {
			state.draining = false;
		}
	}

	/** The Release of one request; a cold lane's first request holds the rest until it is answered. */
	private release(state: Lane, sent: GrantedRequest, limit: number, cold: boolean): Release {
		let answered: (() => void) | undefined;
		if (cold) state.opening = new Promise<void>((resolve) => (answered = resolve));
		let released = false;
		return (outcome) => {
			if (released) return;
			released = true;
			const now = this.clock.now();
			state.lastActivity = now;
			if (outcome === 'ok') state.lastProgress = now;
			if (outcome === 'throttled') {
				sent.throttled = true;
				this.onThrottled(state, sent, limit, now);
			}
			if (answered) {
				// It reached the service by the time it answered at the latest: count it as sent then.
				state.lastGrant = Math.max(state.lastGrant, now);
				state.opening = undefined;
				answered();
			}
		};
	}

	/** A 429: keep to the places this process holds, and send next when its oldest one frees up. */
	private onThrottled(state: Lane, sent: GrantedRequest, limit: number, now: number): void {
		const shared = state.shared;
		if (shared && sent.at < shared.adjustedAt) return;
		// The second before this request reached the service was full; these requests of ours were in it.
		const mine = state.recent.filter((r) => !r.throttled && r.at < sent.at && r.at >= sent.at - WINDOW_MS);
		const held = Math.min(mine.length, limit);
		const before = this.rateOf(state, limit);
		const rate = held >= 1 ? held : Math.max(limit * MIN_RATE_SHARE, Math.min(1, limit / 4, before / 2));
		// A 429 soon after a try is the try failing; later, another process took a place of ours.
		const tryFailed = shared !== undefined && sent.at < shared.probedAt + WINDOW_MS;
		const failures = shared ? Math.min(PROBE_MAX_DOUBLINGS, shared.failures + (tryFailed ? 1 : 0)) : 0;
		state.shared = { rate, adjustedAt: now, probedAt: shared?.probedAt ?? -Infinity, failures };
		// Our oldest place in that second frees a second after it was taken; until then the second is full.
		if (mine.length) state.pausedUntil = Math.max(state.pausedUntil, mine[0].at + WINDOW_MS * SPACING_MARGIN);
	}

	/**
	 * Time for one more place? The wait grows with the places held (so the processes holding
	 * fewer try more often, and shares even out) and doubles per failed try, within bounds that
	 * also grow with the places held.
	 */
	private probe(state: Lane, limit: number, now: number): void {
		const shared = state.shared;
		if (!shared || shared.rate >= limit) return;
		// No 429 since the last try: it won its place, and there may be more to win: try again soon.
		const won = shared.adjustedAt <= shared.probedAt && shared.probedAt > -Infinity;
		const places = Math.max(1, shared.rate);
		const backoff = Math.min(PROBE_MAX_WAIT_MS, PROBE_MAX_WAIT_PER_PLACE_MS * places, PROBE_WAIT_MS * places * 2 ** shared.failures);
		const wait = won ? WINDOW_MS * SPACING_MARGIN : backoff;
		if (now < shared.adjustedAt + wait) return;
		state.shared = {
			rate: Math.min(limit, shared.rate >= 1 ? Math.floor(shared.rate) + 1 : shared.rate * 2),
			adjustedAt: now,
			probedAt: now,
			failures: won ? 0 : shared.failures,
		};
	}

	private rateOf(state: Lane, limit: number): number {
		return Math.min(limit, state.shared?.rate ?? limit);
	}

	private lane(name: string): Lane {
		let state = this.lanes.get(name);
		if (!state) {
			state = { queue: [], lastGrant: -Infinity, lastActivity: -Infinity, pausedUntil: 0, draining: false, recent: [], lastProgress: -Infinity };
			this.lanes.set(name, state);
		}
		return state;
	}
}

/** The process-wide pacer the node uses. */
export const sharedPacer = new Pacer();
