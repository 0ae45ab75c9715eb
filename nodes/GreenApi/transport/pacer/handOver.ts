/**
 * The hand-over between processes that share an instance without talking to each other. Every few
 * seconds, at the same instant in every process (an epoch boundary), each process holds back one
 * of its slots and reclaims it at a grid instant set by how many slots it holds: the more, the
 * later. A process that probes for one slot more does so just after those holding as many as it
 * reclaimed theirs, and before those holding more did: a slot held back by a process holding more
 * goes to one holding fewer. So shares even out, and a slot left over (10 slots, 3 processes) goes
 * round. A process keeps probing while its probes get in, so slots a finished process left are
 * taken up within an epoch of someone probing, and stops at its first 429: a probe costs at most
 * one. About one process every other epoch probes when shares are even; one holding few probes
 * more often, and one that has seen no 429 for a while (the others may have left) probes for sure.
 * A lane that has seen no 429 holds a slot back too, and reclaims it just after the first probes:
 * a newcomer holding nothing gets in there, and the old lane learns that it is shared.
 */
import { CYCLE_MS, GRID_MS, GRID_STEPS } from './grid';
import type { Lane, Outcome, Slot } from './slots';

/** A slot held back is reclaimed this long after its grid instant: after the slots used there have arrived. */
export const RECLAIM_DELAY_MS = 25;
/** A slot is held back only if it comes due at most this long before the boundary (holding one longer costs too much). */
export const HOLD_WINDOW_MS = CYCLE_MS / 3;
/**
 * Epochs begin every this long on the wall clock: six cycles keep the hand-over's cost (slots held
 * back, probes answered 429) to a few per cent. The four extra steps bring a slot reclaimed at its
 * turn in one epoch round to just before the next boundary (for a process holding up to four
 * slots), ready to be held back again at little cost.
 */
export const EPOCH_MS = 6 * CYCLE_MS + 4 * GRID_MS;
/** With shares even, each process probes with this times (its slots / capacity): about half a probe an epoch in all; one holding few, more often. */
export const PROBE_SHARE = 0.5;
/** A process that has seen no 429 for this many epochs per process it shares with (capacity / its slots) probes for sure. */
export const QUIET_EPOCHS_PER_SHARER = 0.5;

/** One epoch, as this process takes part in it. */
export interface Epoch {
	boundary: number;
	/** A slot has been held back this epoch, or it was decided that none would be. */
	holdBackDecided: boolean;
	/** The slot held back, until it is reclaimed. */
	heldBack?: Slot;
	/** Probing for slots (no 429 yet this epoch). */
	probing: boolean;
	/** A probe is out, its answer not in. */
	probeUnanswered: boolean;
	/** A probe got in and none failed after it (probe again next epoch), or the slot held back went to another (do not). */
	result: 'won' | 'lost' | 'even';
}

/** What a request was, for the hand-over: a plain use of a slot, a probe, or a held-back slot reclaimed. */
export type RequestRole = 'plain' | 'probe' | 'reclaim';

/** Joins the coming epoch once its boundary is less than a cycle away. */
export function planEpoch(lane: Lane, now: number, random: () => number): void {
	const boundary = Math.ceil(now / EPOCH_MS) * EPOCH_MS;
	const epoch = lane.epoch;
	if (epoch && !epoch.holdBackDecided && now > reclaimTime(lane, epoch)) epoch.holdBackDecided = true;
	if (epoch?.boundary === boundary || now < boundary - CYCLE_MS) return;
	if (!lane.slots.length && !lane.shared) return;
	const chance = probeChance(lane, epoch?.result ?? 'even', now);
	// Holding nothing, there is nothing to hold back: its probes may begin at once.
	lane.epoch = { boundary, holdBackDecided: !lane.slots.length, probing: lane.shared && random() < chance, probeUnanswered: false, result: 'even' };
}

/** How likely this process probes for a slot more in the coming epoch. */
function probeChance(lane: Lane, last: Epoch['result'], now: number): number {
	const held = lane.slots.length;
	if (last === 'lost') return 0;
	if (last === 'won' || held === 0 || lane.joinedFull) return 1;
	// Slots held tell roughly how many share the instance (capacity / held); long without a 429, the others may have gone.
	if (now - lane.lastThrottled >= EPOCH_MS * QUIET_EPOCHS_PER_SHARER * (lane.capacity / held)) return 1;
	return Math.min(1, PROBE_SHARE * Math.max(held / lane.capacity, 1 / held));
}

/**
 * Hold this slot back for the epoch? The last slot due at or before the boundary is held back
 * until this process's turn, free for every probe before it; a slot due much earlier would cost
 * too much, and then none is.
 */
export function holdBack(lane: Lane, slot: Slot): boolean {
	const epoch = lane.epoch;
	if (!epoch || epoch.holdBackDecided || slot.due > epoch.boundary) return false;
	if (lane.slots.some((other) => other !== slot && other.due > slot.due && other.due <= epoch.boundary)) return false;
	epoch.holdBackDecided = true;
	if (epoch.boundary - slot.due > HOLD_WINDOW_MS || (!lane.shared && lane.slots.length < 2)) return false;
	epoch.heldBack = slot;
	slot.due = reclaimTime(lane, epoch);
	return true;
}

/**
 * The grid step of a process holding `held` slots: one per slot up to ten slots, the same ten
 * steps shared out above that (so that an epoch's turns fit in a cycle at any limit).
 */
function level(lane: Lane, held: number): number {
	return lane.capacity <= GRID_STEPS ? held : Math.floor((held * GRID_STEPS) / lane.capacity);
}

/** When this process reclaims the slot it held back: alone, just after a newcomer's probe; shared, at its level. */
function reclaimTime(lane: Lane, epoch: Epoch): number {
	const step = lane.shared ? level(lane, lane.slots.length) : 1;
	return epoch.boundary + step * GRID_MS + RECLAIM_DELAY_MS;
}

/** ...and probes for one more half-way to the next grid instant: after those holding as many reclaimed theirs, before those holding more. */
export function probeTime(lane: Lane, epoch: Epoch): number {
	return epoch.boundary + level(lane, lane.slots.length) * GRID_MS + GRID_MS / 2;
}

/** Whether this epoch's next probe may go: probing, none out, and the slot held back (if any) reclaimed. */
export function mayProbe(lane: Lane): lane is Lane & { epoch: Epoch } {
	const epoch = lane.epoch;
	return !!epoch && lane.shared && epoch.probing && !epoch.probeUnanswered && epoch.holdBackDecided && !epoch.heldBack;
}

/** The role of a request granted `slot` now; marks a probe out, and a held-back slot reclaimed. */
export function roleOf(lane: Lane, slot: Slot | undefined, probe: boolean): RequestRole {
	const epoch = lane.epoch;
	if (epoch && slot && epoch.heldBack === slot) {
		epoch.heldBack = undefined;
		return 'reclaim';
	}
	if (epoch && probe) {
		epoch.probeUnanswered = true;
		return 'probe';
	}
	return 'plain';
}

/** What an answer tells the hand-over of the epoch the request was sent in. */
export function afterAnswer(lane: Lane, epoch: Epoch | undefined, role: RequestRole, outcome: Outcome): void {
	if (!epoch) return;
	if (outcome === 'throttled' && role === 'reclaim') epoch.result = 'lost';
	if (role !== 'probe') return;
	epoch.probeUnanswered = false;
	if (outcome === 'ok') {
		if (epoch.result === 'even') epoch.result = 'won';
		// Holding every slot there is, the lane is alone again as far as it can tell.
		if (lane.slots.length >= lane.capacity) lane.shared = false;
	} else {
		epoch.probing = false;
		lane.joinedFull = false;
		// A slot changed hands (a probe got in, then one did not): none is left over.
		if (epoch.result === 'won') epoch.result = 'even';
	}
}
