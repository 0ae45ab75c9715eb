/**
 * Paces requests per lane (a GREEN-API instance and method) so that the instance's rate limit is
 * kept, by this process alone and by several processes sharing the instance without talking to
 * each other (n8n's queue-mode workers, other workflows, other programs).
 *
 * GREEN-API counts a lane's requests in a rolling second and answers 429 to those over the limit.
 * The pacer thinks of that second as `limit` places and keeps a list of the places this process
 * holds. A place is used at most once a cycle (a second and a margin for network jitter), so
 * processes whose places add up to the limit never see a 429. The rest rests on one more fact:
 * every process reads the same clock.
 *
 * - Places are used on a grid of instants common to all processes (the wall clock cut into steps,
 *   a whole number of them to the cycle). Tries for a place more go half-way between grid
 *   instants, when no place anyone holds is in the few milliseconds before its reuse: a try gets
 *   in only where a place is truly free, never by taking one its holder is about to use.
 * - Alone, a lane opens places up to the limit, a limit-spacing apart and no more of them
 *   unanswered than a round trip holds (processes starting together then see one 429 each, not
 *   two or three), and never sees a 429.
 * - A 429 means the second was full: the place that request was sent on is not ours, so it is
 *   dropped, and the lane stops opening places of its own accord.
 * - Every few seconds, at the same instant in every process (an epoch boundary), each process
 *   holds back one of its places and takes it again at a grid instant set by how many places it
 *   holds: the more, the later. A process that tries for one place more does so just after those
 *   holding as many as it took theirs back, and before those holding more did: a place held back
 *   by a process holding more goes to one holding fewer. So shares even out, and a place left over
 *   (10 places, 3 processes) goes round. A process keeps trying while it gets in, so places a
 *   finished process left are taken up within an epoch of someone trying, and stops at its first
 *   429: a try costs at most one. About one process every other epoch tries when shares are even;
 *   one holding few tries more often, and one that has seen no 429 for a while (the others may
 *   have left) tries for sure.
 * - A lane that has seen no 429 holds a place back too, and takes it again just after the first
 *   tries: a newcomer holding nothing gets in there, and the old lane learns that it is shared. A
 *   newcomer that found the instance full tries every epoch until a try fails, so it catches up
 *   with the others within a few epochs.
 *
 * If the clocks of the processes disagree (different machines without time sync), tries land
 * anywhere: shares then even out more slowly and a try may take a place its holder was about to
 * use (which then keeps one fewer), but the limit is kept all the same.
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

/** The service's window: at most `limit` accepted requests in any this long. */
export const WINDOW_MS = 1000;
/** A place is used at most once a cycle, this much longer than the window: arrivals jitter by a few ms, the limit is strict. */
export const SPACING_MARGIN = 1.02;
export const CYCLE_MS = WINDOW_MS * SPACING_MARGIN;
/**
 * The grid places are used on: the cycle in this many steps. Half a step (51 ms) must exceed the
 * margin (20 ms) and the network's jitter, so that a try half-way between grid instants never
 * meets a place in the last moments before its reuse.
 */
export const GRID_STEPS = 10;
export const GRID_MS = CYCLE_MS / GRID_STEPS;
/** A request let go at most this late keeps its place's grid instant (timers fire a ms or two late); later, the place moves on. */
export const LATE_TOLERANCE_MS = 5;
/** After this long without requests a lane is cold again (connections closed, caches gone, sharers maybe gone). */
export const IDLE_RESET_MS = 5000;
/** A place held back is taken again this long after its grid instant: after the places used there have arrived. */
export const REGAIN_DELAY_MS = 25;
/** A place is held back only if it comes due at most this long before the boundary (holding one longer costs too much). */
export const HOLD_WINDOW_MS = CYCLE_MS / 3;
/**
 * Epochs begin every this long on the wall clock: six cycles keep the hand-round's cost (places
 * held back, tries answered 429) to a few per cent. The four extra steps bring a place taken back
 * at its turn in one epoch round to just before the next boundary (for a process holding up to
 * four places), ready to be held back again at little cost.
 */
export const EPOCH_MS = 6 * CYCLE_MS + 4 * GRID_MS;
/** With shares even, each process tries with this times (its places / all places): about half a try an epoch in all; one holding few, more often. */
export const TRY_SHARE = 0.5;
/** A process that has seen no 429 for this many epochs per process it shares with (all places / its places) tries for sure. */
export const QUIET_EPOCHS_PER_SHARER = 0.5;

interface Waiter {
	limit: number;
	grant: (release: Release) => void;
}

/** A place in the service's second that this process holds. */
interface Place {
	/** When it may be used again. */
	due: number;
}

/** One epoch, as this process takes part in it. */
interface Epoch {
	boundary: number;
	/** A place has been held back this epoch, or it was decided that none would be. */
	heldBackDone: boolean;
	/** The place held back, until it is used again. */
	heldBack?: Place;
	/** Trying for places (no 429 yet this epoch). */
	trying: boolean;
	/** A try is out, its answer not in. */
	awaiting: boolean;
	/** A try got in and none failed after it (try again next epoch), or the place held back went to another (do not). */
	outcome: 'won' | 'lost' | 'even';
}

interface Lane {
	queue: Waiter[];
	places: Place[];
	/** Places there are: the limit of the request at the head of the queue, rounded up. */
	most: number;
	/** How often one place may be used: a cycle, longer when the limit is under one a second. */
	period: number;
	/** When the last place was opened (alone): places are opened a limit-spacing apart. */
	lastOpen: number;
	/** Places opened whose first request is not answered yet. */
	opensOut: number;
	/** The cold lane's first request's round trip. */
	roundTrip: number;
	lastActivity: number;
	pausedUntil: number;
	/** Set while a cold lane's first request is out: resolves when it is answered. */
	opening?: Promise<void>;
	draining: boolean;
	/** Wakes the lane's loop early: an answer may let it open a place. */
	wake?: () => void;
	/** A 429 has been seen since the lane was cold: others use the instance too. */
	shared: boolean;
	/** The lane came to an instance others already filled (a place at most when the first 429 came): it tries every epoch until a try fails. */
	cameLate: boolean;
	epoch?: Epoch;
	/** When a request on this lane was last answered 429, and last succeeded. */
	lastThrottled: number;
	lastProgress: number;
}

type RequestKind = 'plain' | 'try' | 'regain';
interface Chance {
	at: number;
	kind: 'reuse' | 'open' | 'try';
	place?: Place;
}

const realClock: Clock = { now: () => Date.now(), sleep: async (ms) => await sleep(ms) };

/** The first grid instant at or after `time`. */
function gridAt(time: number): number {
	return Math.ceil(time / GRID_MS - 1e-9) * GRID_MS;
}

export class Pacer {
	private readonly lanes = new Map<string, Lane>();

	constructor(
		private readonly clock: Clock = realClock,
		private readonly random: () => number = Math.random,
	) {}

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
			// A lane that had nothing to do for a while starts afresh, alone at the limit: whoever shared it may have gone too.
			if (!state.queue.length && this.clock.now() - state.lastActivity > IDLE_RESET_MS) this.reset(state);
			state.queue.push(waiter);
			void this.drain(state);
		});
	}

	/** Holds every request on `lane` for `ms` (the service asked for it with Retry-After). */
	pause(lane: string, ms: number): void {
		const state = this.lane(lane);
		state.pausedUntil = Math.max(state.pausedUntil, this.clock.now() + ms);
	}

	/** Places `lane` holds now, for a caller whose limit is `limit`: the limit while alone. */
	rate(lane: string, limit: number): number {
		const state = this.lane(lane);
		return state.shared ? state.places.length : limit;
	}

	/** When a request on `lane` last succeeded; -Infinity if none has. */
	lastProgress(lane: string): number {
		return this.lane(lane).lastProgress;
	}

	/** One loop per lane lets the queue go; after every wait it looks again (an answer, a 429 or an epoch may have come). */
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
				state.most = Math.max(1, Math.ceil(limit));
				state.period = (CYCLE_MS * state.most) / limit;
				this.planEpoch(state, now);
				const chance = this.nextChance(state, limit, now);
				if (chance.at > now) {
					// Wake at least once a grid step, or when an answer comes: it may change the plan.
					await Promise.race([this.clock.sleep(Math.min(chance.at - now, GRID_MS)), new Promise<void>((resolve) => (state.wake = resolve))]);
					state.wake = undefined;
					continue;
				}
				if (chance.kind === 'reuse' && this.holdBack(state, chance.place!)) continue;
				this.grant(state, chance, now);
			}
		} finally {
			state.draining = false;
		}
	}

	/** The earliest of: using the place due first, opening a new one (alone), or this epoch's next try. */
	private nextChance(state: Lane, limit: number, now: number): Chance {
		// A pause (Retry-After) ends at a grid instant; otherwise a chance whose moment has passed goes now.
		const resumes = state.pausedUntil > now ? gridAt(state.pausedUntil) : -Infinity;
		let best: Chance = { at: Infinity, kind: 'open' };
		const consider = (chance: Chance) => {
			if (chance.at < best.at) best = chance;
		};
		let first: Place | undefined;
		for (const place of state.places) if (!first || place.due < first.due) first = place;
		if (first) consider({ at: Math.max(resumes, first.due), kind: 'reuse', place: first });
		const room = state.places.length < state.most;
		// Opening places, no more unanswered than a round trip holds: should the second be full already, few are refused.
		const spacing = CYCLE_MS / limit;
		const inFlight = Math.max(1, Math.round(state.roundTrip / spacing));
		if (room && !state.shared && state.opensOut < inFlight) consider({ at: Math.max(resumes, state.lastOpen + spacing), kind: 'open' });
		const epoch = state.epoch;
		if (room && state.shared && epoch?.trying && !epoch.awaiting && epoch.heldBackDone && !epoch.heldBack) {
			// At its turn, or (late, after an earlier try's answer) at the next half-way instant.
			const halfway = gridAt(now - GRID_MS / 2 - LATE_TOLERANCE_MS) + GRID_MS / 2;
			consider({ at: Math.max(resumes, this.tryTime(state, epoch), halfway), kind: 'try' });
		}
		return best;
	}

	private grant(state: Lane, chance: Chance, now: number): void {
		// On time (or a few ms late, as timers fire), the schedule is kept; later, it counts from now.
		const usedAt = now - chance.at <= LATE_TOLERANCE_MS ? chance.at : now;
		const place = chance.place ?? { due: 0 };
		if (!chance.place) state.places.push(place);
		place.due = gridAt(usedAt + state.period);
		if (chance.kind === 'open') {
			state.lastOpen = usedAt;
			state.opensOut++;
		}
		const cold = state.lastActivity === -Infinity;
		state.lastActivity = now;
		const epoch = state.epoch;
		let kind: RequestKind = chance.kind === 'try' ? 'try' : 'plain';
		if (epoch && epoch.heldBack && epoch.heldBack === chance.place) {
			epoch.heldBack = undefined;
			kind = 'regain';
		}
		if (epoch && kind === 'try') epoch.awaiting = true;
		state.queue.shift()!.grant(this.release(state, place, kind, cold, chance.kind === 'open', now));
	}

	/** Joins the coming epoch once its boundary is less than a cycle away. */
	private planEpoch(state: Lane, now: number): void {
		const boundary = Math.ceil(now / EPOCH_MS) * EPOCH_MS;
		const epoch = state.epoch;
		if (epoch && !epoch.heldBackDone && now > this.turn(state, epoch)) epoch.heldBackDone = true;
		if (epoch?.boundary === boundary || now < boundary - CYCLE_MS) return;
		if (!state.places.length && !state.shared) return;
		const chance = this.tryChance(state, epoch?.outcome ?? 'even', now);
		// Holding nothing, there is nothing to hold back: its tries may begin at once.
		state.epoch = { boundary, heldBackDone: !state.places.length, trying: state.shared && this.random() < chance, awaiting: false, outcome: 'even' };
	}

	/** How likely this process tries for a place more in the coming epoch. */
	private tryChance(state: Lane, last: Epoch['outcome'], now: number): number {
		const held = state.places.length;
		if (last === 'lost') return 0;
		if (last === 'won' || held === 0 || state.cameLate) return 1;
		// Places held tell roughly how many share the instance (most / held); long without a 429, the others may have gone.
		if (now - state.lastThrottled >= EPOCH_MS * QUIET_EPOCHS_PER_SHARER * (state.most / held)) return 1;
		return Math.min(1, TRY_SHARE * Math.max(held / state.most, 1 / held));
	}

	/**
	 * Hold this place back for the epoch? The last place due at or before the boundary is held
	 * back until this process's turn, free for every try before it; a place due much earlier
	 * would cost too much, and then none is.
	 */
	private holdBack(state: Lane, place: Place): boolean {
		const epoch = state.epoch;
		if (!epoch || epoch.heldBackDone || place.due > epoch.boundary) return false;
		if (state.places.some((other) => other !== place && other.due > place.due && other.due <= epoch.boundary)) return false;
		epoch.heldBackDone = true;
		if (epoch.boundary - place.due > HOLD_WINDOW_MS || (!state.shared && state.places.length < 2)) return false;
		epoch.heldBack = place;
		place.due = this.turn(state, epoch);
		return true;
	}

	/**
	 * The grid step of a process holding `held` places: one per place up to ten places, the same
	 * ten steps shared out above that (so that an epoch's turns fit in a cycle at any limit).
	 */
	private level(state: Lane, held: number): number {
		return state.most <= GRID_STEPS ? held : Math.floor((held * GRID_STEPS) / state.most);
	}

	/** When this process takes back the place it held: alone, just after a newcomer's try; shared, at its level. */
	private turn(state: Lane, epoch: Epoch): number {
		const step = state.shared ? this.level(state, state.places.length) : 1;
		return epoch.boundary + step * GRID_MS + REGAIN_DELAY_MS;
	}

	/** ...and tries for one more half-way to the next grid instant: after those holding as many took theirs back, before those holding more. */
	private tryTime(state: Lane, epoch: Epoch): number {
		return epoch.boundary + this.level(state, state.places.length) * GRID_MS + GRID_MS / 2;
	}

	/** The Release of one request; a cold lane's first request holds the rest until it is answered. */
	private release(state: Lane, place: Place, kind: RequestKind, cold: boolean, opened: boolean, sentAt: number): Release {
		let answered: (() => void) | undefined;
		if (cold) state.opening = new Promise<void>((resolve) => (answered = resolve));
		const epoch = state.epoch;
		let released = false;
		return (outcome) => {
			if (released) return;
			released = true;
			const now = this.clock.now();
			state.lastActivity = now;
			if (opened) state.opensOut--;
			state.wake?.();
			if (outcome === 'ok') state.lastProgress = now;
			if (outcome === 'throttled') {
				// The second was full when this request came: that place is someone else's.
				state.places = state.places.filter((held) => held !== place);
				if (!state.shared) state.cameLate = state.places.length <= 1;
				state.shared = true;
				state.lastThrottled = now;
				if (epoch && kind === 'regain') epoch.outcome = 'lost';
			}
			if (epoch && kind === 'try') {
				epoch.awaiting = false;
				if (outcome === 'ok') {
					if (epoch.outcome === 'even') epoch.outcome = 'won';
					// Holding every place there is, the lane is alone again as far as it can tell.
					if (state.places.length >= state.most) state.shared = false;
				} else {
					epoch.trying = false;
					state.cameLate = false;
					// A place changed hands (a try got in, then one did not): none is left over.
					if (epoch.outcome === 'won') epoch.outcome = 'even';
				}
			}
			if (answered) {
				// It reached the service by the time it answered at the latest: count it as sent then.
				place.due = Math.max(place.due, gridAt(now + state.period));
				state.roundTrip = now - sentAt;
				state.lastOpen = Math.max(state.lastOpen, now);
				state.opening = undefined;
				answered();
			}
		};
	}

	private reset(state: Lane): void {
		state.places = [];
		state.opensOut = 0;
		state.shared = false;
		state.cameLate = false;
		state.epoch = undefined;
		state.lastActivity = -Infinity;
		state.lastThrottled = -Infinity;
	}

	private lane(name: string): Lane {
		let state = this.lanes.get(name);
		if (!state) {
			state = {
				queue: [],
				places: [],
				most: 1,
				period: CYCLE_MS,
				lastOpen: -Infinity,
				opensOut: 0,
				roundTrip: 0,
				lastActivity: -Infinity,
				pausedUntil: 0,
				draining: false,
				shared: false,
				cameLate: false,
				lastThrottled: -Infinity,
				lastProgress: -Infinity,
			};
			this.lanes.set(name, state);
		}
		return state;
	}
}

/** The process-wide pacer the node uses. */
export const sharedPacer = new Pacer();
