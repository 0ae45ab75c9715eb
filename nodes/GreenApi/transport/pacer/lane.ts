/**
 * One lane (an instance's method) as this process paces it; the Lane is the only code that changes
 * a lane's state. Its limit is the method's documented one, fixed when the lane is made: what a
 * request asks for (a lower *Requests Per Second*) only holds that request back (allowance.ts),
 * never changes the lane's capacity, so callers asking different paces cannot flip it.
 *
 * Alone, the lane opens slots up to its capacity, a limit-spacing apart, no more unanswered than a
 * round trip holds (processes starting together then see one 429 each, not two or three). A 429
 * means the window was full: the slot that request went on is someone else's and is dropped, and
 * the lane is shared from then on; the hand-over (handOver.ts) then evens out the shares. Two
 * things keep a stall (of this process, of the service) from costing slots that are the lane's
 * own: an answer later than usual moves its slot's next use as much later (roundTrips.ts), since
 * the request may have arrived that late; and several 429s answered together cost one slot, not
 * one each (recordThrottled). A lane that is new or has been idle starts with one request and
 * waits for its answer: the first request to a host also pays for DNS and the connection, so it
 * reaches the service late, and the ones queued behind it would otherwise arrive bunched up with
 * it.
 */
import { Allowance } from './allowance';
import { CYCLE_MS, GRID_MS, gridAt, LATE_TOLERANCE_MS, SPACING_MARGIN, type Clock, type Outcome, type Slot } from './grid';
import { boundaryAt, Epoch, type Holding, type RequestRole } from './handOver';
import { RoundTrips } from './roundTrips';

/** After this long without requests a lane is cold again (connections closed, caches gone, sharers maybe gone). */
export const IDLE_RESET_MS = 5000;
/** 429s answered within this of one another came in one crowded moment: the requests of a grid instant are answered well within it, those of the next are not. */
const BURST_MS = GRID_MS / 2;

/** Call once when the request's answer is in: `throttled` for a 429, `ok` for any other answer from the service. */
export type Release = (outcome: Outcome) => void;

/** A request waiting for a slot: the pace it asked for, and how to let it go. */
export interface Waiter {
	requested: number;
	grant: (release: Release) => void;
}

/** A waiter in the queue, with the allowance that holds it to a lower pace (none at the limit). */
interface Queued {
	waiter: Waiter;
	allowance?: Allowance;
}

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
	epoch?: Epoch;
	/** It went on a slot it opened (alone). */
	opened: boolean;
	/** It went on a slot new to the lane (opened or probed), not on one the lane held. */
	fresh: boolean;
	/** The lane was shared when it went (not opening slots alone). */
	shared: boolean;
	/** It is the first request of a cold lane: the others wait for its answer. */
	first: boolean;
	sentAt: number;
}

export class Lane {
	/** Slots there are: the limit rounded up. */
	readonly capacity: number;
	/** How often one slot may be used: a cycle, longer when the limit is under one a second. */
	private readonly period: number;
	private queue: Queued[] = [];
	private slots: Slot[] = [];
	/** Lower paces asked for on this lane, by requests per second. */
	private allowances = new Map<number, Allowance>();
	/** When the last slot was opened (alone): slots are opened a limit-spacing apart. */
	private lastOpened = -Infinity;
	/** Slots opened whose first request is not answered yet. */
	private openingUnanswered = 0;
	/** The cold lane's first request's round trip. */
	private roundTrip = 0;
	/** The round trips of the answers since: when one is late, its request may have arrived late. */
	private readonly roundTrips: RoundTrips;
	private lastActivity = -Infinity;
	private pausedUntil = 0;
	/** Set while a cold lane's first request is out: resolves when it is answered. */
	private firstAnswer?: Promise<void>;
	private draining = false;
	/** Wakes the lane's loop early: an answer may let it open a slot. */
	private wake?: () => void;
	/** A 429 has been seen since the lane was cold: others use the instance too. */
	private shared = false;
	/** The lane came to an instance others already filled (a slot at most when the first 429 came): it probes every epoch until a probe fails. */
	private joinedFull = false;
	private epoch?: Epoch;
	private lastThrottled = -Infinity;
	/** When a 429 last dropped a slot: a 429 to a request sent before then was part of the same burst. */
	private lastDropped = -Infinity;
	private lastSucceeded = -Infinity;

	constructor(
		/** Requests per second the method allows (GREEN-API's documented limit). */
		readonly limit: number,
		private readonly clock: Clock,
		private readonly random: () => number,
	) {
		this.capacity = Math.max(1, Math.ceil(limit));
		this.period = (CYCLE_MS * this.capacity) / limit;
		// Two cycles' worth: a network slower for good is the usual again within two cycles.
		this.roundTrips = new RoundTrips(Math.max(8, 2 * this.capacity));
	}

	/** When a request on the lane last succeeded; -Infinity if none has. */
	get lastProgress(): number {
		return this.lastSucceeded;
	}

	/** Whether nothing waits and nothing has happened for IDLE_RESET_MS: the lane would start afresh. */
	isIdle(): boolean {
		return !this.queue.length && this.clock.now() - this.lastActivity > IDLE_RESET_MS;
	}

	/** Requests per second the lane lets through now: the slots it holds once shared, the limit while alone. */
	currentRate(): number {
		return this.shared ? this.slots.length : this.limit;
	}

	/** The allowance for requests asking `rate` per second; none at or above the limit (they take what the lane has). */
	private allowanceFor(rate: number): Allowance | undefined {
		if (rate >= this.limit) return undefined;
		let allowance = this.allowances.get(rate);
		if (!allowance) {
			allowance = new Allowance(rate);
			this.allowances.set(rate, allowance);
		}
		return allowance;
	}

	/** Queues a request; a lane idle for IDLE_RESET_MS first starts afresh, alone at the limit: whoever shared it may have gone too. */
	enqueue(waiter: Waiter): void {
		if (this.isIdle()) this.reset();
		this.queue.push({ waiter, allowance: this.allowanceFor(waiter.requested) });
		void this.drain();
	}

	/** Takes a request that stopped waiting (its execution was cancelled) out of the queue. */
	withdraw(waiter: Waiter): void {
		this.queue = this.queue.filter((queued) => queued.waiter !== waiter);
	}

	/** Holds every request for `ms` (the service asked for it with Retry-After). */
	pause(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
	}

	private reset(): void {
		this.slots = [];
		this.allowances.clear();
		this.openingUnanswered = 0;
		this.shared = false;
		this.joinedFull = false;
		this.epoch = undefined;
		this.lastActivity = -Infinity;
		this.lastThrottled = -Infinity;
		this.lastDropped = -Infinity;
		this.roundTrips.clear();
	}

	/** What the hand-over reads of the lane now. */
	private holding(): Holding {
		return { held: this.slots.length, capacity: this.capacity, shared: this.shared, joinedFull: this.joinedFull, lastThrottled: this.lastThrottled };
	}

	/** One loop lets the queue go; after every wait it looks again (an answer, a 429 or an epoch may have come). */
	private async drain(): Promise<void> {
		if (this.draining) return;
		this.draining = true;
		try {
			while (this.queue.length) {
				if (this.firstAnswer) {
					await this.firstAnswer;
					continue;
				}
				const now = this.clock.now();
				this.joinComingEpoch(now);
				const chance = this.nextChance(now);
				// A request that asked for a lower pace waits for its allowance; one behind it that did not may go first.
				const readyAt = Math.min(...this.queue.map((queued) => queued.allowance?.nextAt() ?? -Infinity));
				const at = Math.max(chance.at, readyAt);
				if (at > now) {
					// Wake at least once a grid step, or when an answer comes: it may change the plan.
					await Promise.race([this.clock.sleep(Math.min(at - now, GRID_MS)), new Promise<void>((resolve) => (this.wake = resolve))]);
					this.wake = undefined;
					continue;
				}
				if (chance.how === 'reuse' && this.holdBackForEpoch(chance.slot!)) continue;
				this.grant(chance, at, now);
			}
		} finally {
			this.draining = false;
		}
	}

	/** Joins the coming epoch once its boundary is less than a cycle away. */
	private joinComingEpoch(now: number): void {
		this.epoch?.closeHoldBack(this.holding(), now);
		const boundary = boundaryAt(now);
		if (this.epoch?.boundary === boundary || now < boundary - CYCLE_MS) return;
		if (!this.slots.length && !this.shared) return;
		this.epoch = new Epoch(boundary, this.holding(), this.epoch?.result ?? 'even', now, this.random);
	}

	/** Holds `slot` back until this process's turn in the epoch, if the epoch wants it; true if it did. */
	private holdBackForEpoch(slot: Slot): boolean {
		const reclaimAt = this.epoch?.holdBackIfLast(slot, this.slots, this.holding());
		if (reclaimAt === undefined) return false;
		slot.due = reclaimAt;
		return true;
	}

	/** The earliest of: using the slot due first, opening a new one (alone), or this epoch's next probe. */
	private nextChance(now: number): Chance {
		// A pause (Retry-After) ends at a grid instant; otherwise a chance whose moment has passed goes now.
		const resumes = this.pausedUntil > now ? gridAt(this.pausedUntil) : -Infinity;
		let best: Chance = { at: Infinity, how: 'open' };
		const consider = (chance: Chance) => {
			if (chance.at < best.at) best = chance;
		};
		const first = this.firstDue();
		if (first) consider({ at: Math.max(resumes, first.due), how: 'reuse', slot: first });
		const room = this.slots.length < this.capacity;
		// Opening slots, no more unanswered than a round trip holds: should the window be full already, few are refused.
		const spacing = CYCLE_MS / this.limit;
		const inFlight = Math.max(1, Math.round(this.roundTrip / spacing));
		if (room && !this.shared && this.openingUnanswered < inFlight) consider({ at: Math.max(resumes, this.lastOpened + spacing), how: 'open' });
		const holding = this.holding();
		if (room && this.epoch?.mayProbe(holding, now)) {
			// At its turn, or (late, after an earlier probe's answer) at the next half-way instant.
			const halfway = gridAt(now - GRID_MS / 2 - LATE_TOLERANCE_MS) + GRID_MS / 2;
			consider({ at: Math.max(resumes, this.epoch.probeTime(holding), halfway), how: 'probe' });
		}
		return best;
	}

	/** The slot due first, if the lane holds any. */
	private firstDue(): Slot | undefined {
		let first: Slot | undefined;
		for (const slot of this.slots) if (!first || slot.due < first.due) first = slot;
		return first;
	}

	/** Lets the first request that may go now go on `chance`, planned for `plannedAt`. */
	private grant(chance: Chance, plannedAt: number, now: number): void {
		// On time (or a few ms late, as timers fire), the schedule is kept; later, it counts from now.
		const usedAt = now - plannedAt <= LATE_TOLERANCE_MS ? plannedAt : now;
		const index = this.queue.findIndex((queued) => !queued.allowance || queued.allowance.nextAt() <= now);
		const [{ waiter, allowance }] = this.queue.splice(index, 1);
		// Its own allowance may have come due after the lane's chance: the ticket counts from then.
		allowance?.take(Math.max(usedAt, allowance.nextAt()));
		const slot = chance.slot ?? { due: 0 };
		if (!chance.slot) this.slots.push(slot);
		slot.due = gridAt(usedAt + this.period);
		const opened = chance.how === 'open';
		if (opened) {
			this.lastOpened = usedAt;
			this.openingUnanswered++;
		}
		const first = this.lastActivity === -Infinity;
		this.lastActivity = now;
		const epoch = this.epoch;
		const role = epoch?.recordSent(chance.slot, chance.how === 'probe', now) ?? 'plain';
		const sent: Sent = { slot, role, epoch, opened, fresh: !chance.slot, shared: this.shared, first, sentAt: now };
		let answerFirst: (() => void) | undefined;
		if (first) this.firstAnswer = new Promise<void>((resolve) => (answerFirst = resolve));
		let released = false;
		waiter.grant((outcome) => {
			if (released) return;
			released = true;
			this.recordAnswer(sent, outcome);
			answerFirst?.();
		});
	}

	/** What an answer tells the lane: progress, a slot lost to a 429, the hand-over's news, and (for a cold lane's first request) its round trip. */
	private recordAnswer(sent: Sent, outcome: Outcome): void {
		const now = this.clock.now();
		this.lastActivity = now;
		if (sent.opened) this.openingUnanswered--;
		this.wake?.();
		if (outcome === 'ok') this.lastSucceeded = now;
		if (outcome === 'throttled') this.recordThrottled(sent, now);
		if (outcome !== 'failed' && !sent.first) {
			const took = now - sent.sentAt;
			if (outcome === 'ok') this.waitIfLate(sent, this.roundTrips.lateBy(took));
			this.roundTrips.record(took);
		}
		if (sent.first) {
			// It reached the service by the time it answered at the latest: count it as sent then.
			sent.slot.due = Math.max(sent.slot.due, gridAt(now + this.period));
			this.roundTrip = now - sent.sentAt;
			this.lastOpened = Math.max(this.lastOpened, now);
			this.firstAnswer = undefined;
		}
		const news = sent.epoch?.recordAnswer(sent.role, outcome, this.holding());
		if (news === 'alone') this.shared = false;
		if (news === 'probeRefused') this.joinedFull = false;
	}

	/**
	 * An answer `late` ms later than usual: the request may have arrived that much late, so its
	 * slot's next use waits as long, less the margin a cycle keeps, to stay a window after it.
	 */
	private waitIfLate(sent: Sent, late: number): void {
		const margin = this.period - this.period / SPACING_MARGIN;
		if (late > margin) sent.slot.due = Math.max(sent.slot.due, gridAt(sent.sentAt + this.period + late - margin));
	}

	/**
	 * A 429: the window was full when the request came. A slot new to the lane (opened or probed)
	 * was never its own, and while the lane was alone it was opening slots (and others may have
	 * been too): the slot goes. A slot the shared lane held goes too, unless another 429 dropped
	 * one just before (less than half a grid step) to a request that was out at the same time:
	 * answered together, they came in one crowded moment (a stall bunched the arrivals), which one
	 * slot dropped answers. The slot is kept; if it is someone else's after all, its next use tells.
	 */
	private recordThrottled(sent: Sent, now: number): void {
		if (sent.shared && !sent.fresh && sent.sentAt < this.lastDropped && now - this.lastDropped < BURST_MS) {
			this.lastThrottled = now;
			return;
		}
		this.dropSlot(sent.slot, now);
	}

	/** Drops `slot`, someone else's; the lane is shared from now on. */
	private dropSlot(slot: Slot, now: number): void {
		this.slots = this.slots.filter((held) => held !== slot);
		if (!this.shared) this.joinedFull = this.slots.length <= 1;
		this.shared = true;
		this.lastThrottled = now;
		this.lastDropped = now;
	}
}
