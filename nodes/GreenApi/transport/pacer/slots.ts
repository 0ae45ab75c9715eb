/**
 * One lane's slots: what this process knows of one instance's method. Alone, a lane opens slots
 * up to its capacity, a limit-spacing apart; a 429 means the window was full, so the slot that
 * request went on is someone else's and is dropped, and the lane is shared from then on.
 */
import { CYCLE_MS } from './grid';
import type { Epoch } from './handOver';

/** After this long without requests a lane is cold again (connections closed, caches gone, sharers maybe gone). */
export const IDLE_RESET_MS = 5000;

/** A slot in the service's window that this process holds. */
export interface Slot {
	/** When it may be used again. */
	due: number;
}

/** A request waiting for a slot: the limit it was asked with, and how to let it go. */
export interface Waiter {
	limit: number;
	grant: (release: (outcome: Outcome) => void) => void;
}

/** What became of a request, told to the pacer when its answer (or failure) is in. */
export type Outcome = 'ok' | 'throttled' | 'failed';

export interface Lane {
	queue: Waiter[];
	slots: Slot[];
	/** Slots there are: the limit of the request at the head of the queue, rounded up. */
	capacity: number;
	/** How often one slot may be used: a cycle, longer when the limit is under one a second. */
	period: number;
	/** When the last slot was opened (alone): slots are opened a limit-spacing apart. */
	lastOpened: number;
	/** Slots opened whose first request is not answered yet. */
	openingUnanswered: number;
	/** The cold lane's first request's round trip. */
	roundTrip: number;
	lastActivity: number;
	pausedUntil: number;
	/** Set while a cold lane's first request is out: resolves when it is answered. */
	firstAnswer?: Promise<void>;
	draining: boolean;
	/** Wakes the lane's loop early: an answer may let it open a slot. */
	wake?: () => void;
	/** A 429 has been seen since the lane was cold: others use the instance too. */
	shared: boolean;
	/** The lane came to an instance others already filled (a slot at most when the first 429 came): it probes every epoch until a probe fails. */
	joinedFull: boolean;
	epoch?: Epoch;
	/** When a request on this lane was last answered 429, and last succeeded. */
	lastThrottled: number;
	lastProgress: number;
}

export function newLane(): Lane {
	return {
		queue: [],
		slots: [],
		capacity: 1,
		period: CYCLE_MS,
		lastOpened: -Infinity,
		openingUnanswered: 0,
		roundTrip: 0,
		lastActivity: -Infinity,
		pausedUntil: 0,
		draining: false,
		shared: false,
		joinedFull: false,
		lastThrottled: -Infinity,
		lastProgress: -Infinity,
	};
}

/** A lane idle for IDLE_RESET_MS starts afresh, alone at the limit: whoever shared it may have gone too. */
export function resetLane(lane: Lane): void {
	lane.slots = [];
	lane.openingUnanswered = 0;
	lane.shared = false;
	lane.joinedFull = false;
	lane.epoch = undefined;
	lane.lastActivity = -Infinity;
	lane.lastThrottled = -Infinity;
}

/** The slot due first, if the lane holds any. */
export function firstDue(lane: Lane): Slot | undefined {
	let first: Slot | undefined;
	for (const slot of lane.slots) if (!first || slot.due < first.due) first = slot;
	return first;
}

/** A 429 on `slot`: the window was full when it came, so that slot is someone else's. */
export function dropSlot(lane: Lane, slot: Slot, now: number): void {
	lane.slots = lane.slots.filter((held) => held !== slot);
	if (!lane.shared) lane.joinedFull = lane.slots.length <= 1;
	lane.shared = true;
	lane.lastThrottled = now;
}
