/**
 * Paces requests per lane (a GREEN-API instance and method) so that the instance's rate limit is
 * kept, by this process alone and by several processes sharing the instance without talking to
 * each other (n8n's queue-mode workers, other workflows, other programs). One pacer serves the
 * whole n8n process: every node and execution using the same instance draws from the same lane,
 * while different instances and methods never wait for each other.
 *
 * Words, as the code keeps to them:
 * - **window**: GREEN-API's rolling second, in which it accepts at most `limit` requests of a lane.
 * - **capacity**: the limit rounded up: how many slots there are.
 * - **slot**: a place in the window this process holds, used at most once a **cycle** (the window
 *   and a margin for network jitter): processes whose slots add up to the capacity never see a 429.
 * - **grid**: the instants slots are used on, the same in every process because all read the same
 *   clock (grid.ts).
 * - **open**: a lane alone takes a new slot, a limit-spacing apart, no more unanswered than a round
 *   trip holds (processes starting together then see one 429 each, not two or three).
 * - **shared**: the lane has seen a 429; the slot that request went on is dropped (slots.ts).
 * - **epoch**, **hold back**, **reclaim**, **probe**: how processes hand slots over so that shares
 *   even out and slots a finished process left are taken up (handOver.ts). A probe goes half-way
 *   between grid instants, when no slot anyone holds is in the moments before its reuse: it gets
 *   in only where a slot is truly free, never by taking one its holder is about to use.
 *
 * If the clocks of the processes disagree (different machines without time sync), probes land
 * anywhere: shares then even out more slowly and a probe may take a slot its holder was about to
 * use (which then keeps one fewer), but the limit is kept all the same.
 *
 * A lane that is new or has been idle starts with one request and waits for its answer: the first
 * request to a host also pays for DNS and the connection, so it reaches the service late, and the
 * ones queued behind it would otherwise arrive bunched up with it.
 */
import { CYCLE_MS, GRID_MS, gridAt, LATE_TOLERANCE_MS, realClock, type Clock } from './grid';
import { afterAnswer, holdBack, mayProbe, planEpoch, probeTime, roleOf, type RequestRole } from './handOver';
import { dropSlot, firstDue, IDLE_RESET_MS, newLane, resetLane, type Lane, type Outcome, type Slot, type Waiter } from './slots';

export type { Clock } from './grid';
export type { Outcome } from './slots';

/** Call once when the request's answer is in: `throttled` for a 429, `ok` for any other answer from the service. */
export type Release = (outcome: Outcome) => void;

/** The next moment a request could go, and how: on a held slot, on a new one (alone), or as a probe. */
interface Chance {
	at: number;
	how: 'reuse' | 'open' | 'probe';
	slot?: Slot;
}

/** A request let go: what its answer must be told against. */
interface Sent {
	slot: Slot;
	role: RequestRole;
	/** It went on a slot it opened (alone). */
	opened: boolean;
	/** It is the first request of a cold lane: the others wait for its answer. */
	first: boolean;
	sentAt: number;
}

export class Pacer {
	private readonly lanes = new Map<string, Lane>();

	constructor(
		private readonly clock: Clock = realClock,
		private readonly random: () => number = Math.random,
	) {}

	/** Resolves when a request may be sent on `lane` (limit: requests per second at most); call the Release with its outcome. */
	acquire(laneName: string, limit: number, signal?: AbortSignal): Promise<Release> {
		const lane = this.lane(laneName);
		return new Promise<Release>((resolve, reject) => {
			if (signal?.aborted) return reject(signal.reason);
			const onAbort = () => {
				lane.queue = lane.queue.filter((queued) => queued !== waiter);
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
			if (!lane.queue.length && this.clock.now() - lane.lastActivity > IDLE_RESET_MS) resetLane(lane);
			lane.queue.push(waiter);
			void this.drain(lane);
		});
	}

	/** Holds every request on `lane` for `ms` (the service asked for it with Retry-After). */
	pause(laneName: string, ms: number): void {
		const lane = this.lane(laneName);
		lane.pausedUntil = Math.max(lane.pausedUntil, this.clock.now() + ms);
	}

	/** When a request on `lane` last succeeded; -Infinity if none has. */
	lastProgress(laneName: string): number {
		return this.lane(laneName).lastProgress;
	}

	/** One loop per lane lets the queue go; after every wait it looks again (an answer, a 429 or an epoch may have come). */
	private async drain(lane: Lane): Promise<void> {
		if (lane.draining) return;
		lane.draining = true;
		try {
			while (lane.queue.length) {
				if (lane.firstAnswer) {
					await lane.firstAnswer;
					continue;
				}
				const now = this.clock.now();
				const limit = lane.queue[0].limit;
				lane.capacity = Math.max(1, Math.ceil(limit));
				lane.period = (CYCLE_MS * lane.capacity) / limit;
				planEpoch(lane, now, this.random);
				const chance = this.nextChance(lane, limit, now);
				if (chance.at > now) {
					// Wake at least once a grid step, or when an answer comes: it may change the plan.
					await Promise.race([this.clock.sleep(Math.min(chance.at - now, GRID_MS)), new Promise<void>((resolve) => (lane.wake = resolve))]);
					lane.wake = undefined;
					continue;
				}
				if (chance.how === 'reuse' && holdBack(lane, chance.slot!)) continue;
				this.grant(lane, chance, now);
			}
		} finally {
			lane.draining = false;
		}
	}

	/** The earliest of: using the slot due first, opening a new one (alone), or this epoch's next probe. */
	private nextChance(lane: Lane, limit: number, now: number): Chance {
		// A pause (Retry-After) ends at a grid instant; otherwise a chance whose moment has passed goes now.
		const resumes = lane.pausedUntil > now ? gridAt(lane.pausedUntil) : -Infinity;
		let best: Chance = { at: Infinity, how: 'open' };
		const consider = (chance: Chance) => {
			if (chance.at < best.at) best = chance;
		};
		const first = firstDue(lane);
		if (first) consider({ at: Math.max(resumes, first.due), how: 'reuse', slot: first });
		const room = lane.slots.length < lane.capacity;
		// Opening slots, no more unanswered than a round trip holds: should the window be full already, few are refused.
		const spacing = CYCLE_MS / limit;
		const inFlight = Math.max(1, Math.round(lane.roundTrip / spacing));
		if (room && !lane.shared && lane.openingUnanswered < inFlight) consider({ at: Math.max(resumes, lane.lastOpened + spacing), how: 'open' });
		if (room && mayProbe(lane)) {
			// At its turn, or (late, after an earlier probe's answer) at the next half-way instant.
			const halfway = gridAt(now - GRID_MS / 2 - LATE_TOLERANCE_MS) + GRID_MS / 2;
			consider({ at: Math.max(resumes, probeTime(lane, lane.epoch), halfway), how: 'probe' });
		}
		return best;
	}

	private grant(lane: Lane, chance: Chance, now: number): void {
		// On time (or a few ms late, as timers fire), the schedule is kept; later, it counts from now.
		const usedAt = now - chance.at <= LATE_TOLERANCE_MS ? chance.at : now;
		const slot = chance.slot ?? { due: 0 };
		if (!chance.slot) lane.slots.push(slot);
		slot.due = gridAt(usedAt + lane.period);
		const opened = chance.how === 'open';
		if (opened) {
			lane.lastOpened = usedAt;
			lane.openingUnanswered++;
		}
		const first = lane.lastActivity === -Infinity;
		lane.lastActivity = now;
		const sent: Sent = { slot, role: roleOf(lane, chance.slot, chance.how === 'probe'), opened, first, sentAt: now };
		const epoch = lane.epoch;
		let answerFirst: (() => void) | undefined;
		if (first) lane.firstAnswer = new Promise<void>((resolve) => (answerFirst = resolve));
		let released = false;
		lane.queue.shift()!.grant((outcome) => {
			if (released) return;
			released = true;
			this.answered(lane, sent, outcome);
			afterAnswer(lane, epoch, sent.role, outcome);
			answerFirst?.();
		});
	}

	/** What an answer tells the lane: progress, a slot lost to a 429, and (for a cold lane's first request) its round trip. */
	private answered(lane: Lane, sent: Sent, outcome: Outcome): void {
		const now = this.clock.now();
		lane.lastActivity = now;
		if (sent.opened) lane.openingUnanswered--;
		lane.wake?.();
		if (outcome === 'ok') lane.lastProgress = now;
		if (outcome === 'throttled') dropSlot(lane, sent.slot, now);
		if (sent.first) {
			// It reached the service by the time it answered at the latest: count it as sent then.
			sent.slot.due = Math.max(sent.slot.due, gridAt(now + lane.period));
			lane.roundTrip = now - sent.sentAt;
			lane.lastOpened = Math.max(lane.lastOpened, now);
			lane.firstAnswer = undefined;
		}
	}

	private lane(name: string): Lane {
		let lane = this.lanes.get(name);
		if (!lane) {
			lane = newLane();
			this.lanes.set(name, lane);
		}
		return lane;
	}
}

/** The process-wide pacer the node uses. */
export const sharedPacer = new Pacer();
