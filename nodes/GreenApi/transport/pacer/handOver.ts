/**
 * The hand-over between processes that share an instance without talking to each other: one Epoch,
 * as this process takes part in it. Every few seconds, at the same instant in every process (an
 * epoch boundary), each process holds back one of its slots and reclaims it at a grid instant set
 * by how many slots it holds (its level): the more, the later. A process that probes for one slot
 * more does so just after those holding as many as it reclaimed theirs, and before those holding
 * more did: a slot held back by a process holding more goes to one holding fewer. So shares even
 * out, and a slot left over (10 slots, 3 processes) goes round. A process keeps probing while its
 * probes get in, so slots a finished process left are taken up within an epoch of someone probing,
 * and stops at its first 429. Probes go in rounds, one round per answer: one probe, then twice as
 * many while all get in, up to a grid step's share of the capacity (one at 10/s, five at 50/s), so
 * a refused round costs at most that many 429s; a process behind its turn catches up in a round.
 * Once more of its probes got in than the others can have held back, the slots it finds are ones a
 * finished process left: it takes them up without waiting for the turns (at 50/s, a process left
 * with a quarter of the slots runs at the limit again within two seconds of its first probe). At
 * 10/s about one process every other epoch probes when shares are even; one holding few probes
 * more often, and one that has seen no 429 for a while (the others may have left) probes for sure.
 * Above ten slots every process probes every epoch (a 429 is a smaller part of the window), so the
 * wait for slots left does not grow with capacity / slots held. A lane that has seen no 429 holds
 * a slot back too, and reclaims it just after the first probes: a newcomer holding nothing gets in
 * there, and the old lane learns that it is shared.
 *
 * The Epoch owns its own state only; what it needs of the lane comes in as a Holding, and what
 * the lane must change (a slot's due, being shared) goes back as a return value (lane.ts acts).
 */
import { CYCLE_MS, GRID_MS, GRID_STEPS, LATE_TOLERANCE_MS, type Outcome, type Slot } from './grid';

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
/** With shares even, each process probes with this times (its slots / capacity): about half a probe an epoch in all at 10/s; one holding few, more often. */
export const PROBE_SHARE = 0.5;
/** A process that has seen no 429 for this many epochs per process it shares with (capacity / its slots) probes for sure. */
export const QUIET_EPOCHS_PER_SHARER = 0.5;
/**
 * Turns (levels) an epoch has: one grid step per slot held, so that processes holding 12 and 13 of
 * 50 slots take different turns and the one holding fewer gets the slot. Fifty steps (5.1 s) still
 * end within the epoch; above 50 slots the steps are shared out.
 */
export const MAX_LEVELS = 50;

/** What the hand-over reads of a lane: its figures at the moment of asking. */
export interface Holding {
	/** Slots the lane holds. */
	held: number;
	/** Slots there are: the method's limit, rounded up. */
	capacity: number;
	/** A 429 has been seen since the lane was cold. */
	shared: boolean;
	/** The lane came to an instance others already filled: it probes every epoch until a probe fails. */
	joinedFull: boolean;
	/** When a request on the lane was last answered 429. */
	lastThrottled: number;
}

/** What a request was, for the hand-over: a plain use of a slot, a probe, or a held-back slot reclaimed. */
export type RequestRole = 'plain' | 'probe' | 'reclaim';

/** How an epoch went: a probe got in and none failed after it (probe again next epoch), the slot held back went to another (do not), or neither. */
export type EpochResult = 'won' | 'lost' | 'even';

/** What an answer in an epoch means for the lane: it holds every slot there is (alone again), or a probe was refused (no longer joining a full instance). */
export type LaneNews = 'alone' | 'probeRefused' | undefined;

/** The first epoch boundary at or after `now`. */
export function boundaryAt(now: number): number {
	return Math.ceil(now / EPOCH_MS) * EPOCH_MS;
}

/**
 * The grid step of a process holding `held` slots: one per slot up to MAX_LEVELS slots, the same
 * steps shared out above that (so that an epoch's turns end well within it at any limit).
 */
function level(holding: Holding, held = holding.held): number {
	return holding.capacity <= MAX_LEVELS ? held : Math.floor((held * MAX_LEVELS) / holding.capacity);
}

/** How likely this process probes for a slot more in an epoch, after an epoch that went `last`. */
function probeChance(holding: Holding, last: EpochResult, now: number): number {
	const { held, capacity } = holding;
	if (last === 'lost') return 0;
	if (last === 'won' || held === 0 || holding.joinedFull) return 1;
	// Above GRID_STEPS slots a probe refused is a small part of the window (one 429 an epoch per
	// process is 1.2 % of 50/s with four processes), while an epoch hands over only a slot or two:
	// every process probes every epoch, so that shares even out and slots left are found within one.
	if (capacity > GRID_STEPS) return 1;
	// Slots held tell roughly how many share the instance (capacity / held); long without a 429, the others may have gone.
	if (now - holding.lastThrottled >= EPOCH_MS * QUIET_EPOCHS_PER_SHARER * (capacity / held)) return 1;
	return Math.min(1, PROBE_SHARE * Math.max(held / capacity, 1 / held));
}

export class Epoch {
	/** A slot has been held back this epoch, or it was decided that none would be. */
	private holdBackDecided: boolean;
	/** The slot held back, until it is reclaimed. */
	private heldBack?: Slot;
	/** Probing for slots (no 429 yet this epoch). */
	private probing: boolean;
	/** Probes out, their answers not in: a round, sent at one half-way instant. */
	private probesOut = 0;
	/** When the round's first probe went. */
	private roundAt = -Infinity;
	/** Probes a round may send: one, then twice as many after a round that all got in, up to the grid step's share of the capacity. */
	private roundSize = 1;
	private readonly maxRoundSize: number;
	/** Probes that got in this epoch. */
	private probesWon = 0;
	/** About how many slots the others hold back this epoch: one each (capacity / held tells how many share). */
	private readonly othersHoldingBack: number;
	private outcome: EpochResult = 'even';

	/** Joins the epoch beginning at `boundary`, after one that went `last`. */
	constructor(
		readonly boundary: number,
		holding: Holding,
		last: EpochResult,
		now: number,
		random: () => number,
	) {
		// Holding nothing, there is nothing to hold back: its probes may begin at once.
		this.holdBackDecided = holding.held === 0;
		this.probing = holding.shared && random() < probeChance(holding, last, now);
		this.maxRoundSize = Math.max(1, Math.ceil(holding.capacity / GRID_STEPS));
		this.othersHoldingBack = Math.ceil(holding.capacity / Math.max(1, holding.held)) - 1;
	}

	get result(): EpochResult {
		return this.outcome;
	}

	/** When this process reclaims the slot it held back: alone, just after a newcomer's probe; shared, at its level. */
	reclaimTime(holding: Holding): number {
		const step = holding.shared ? level(holding) : 1;
		return this.boundary + step * GRID_MS + RECLAIM_DELAY_MS;
	}

	/**
	 * ...and probes for one more half-way to the next grid instant: after those holding as many
	 * reclaimed theirs, before those holding more. Once more of its probes got in than the others
	 * can have held back, what it finds are slots left: no turn to wait for.
	 */
	probeTime(holding: Holding): number {
		if (this.probesWon > this.othersHoldingBack) return this.boundary + GRID_MS / 2;
		return this.boundary + level(holding) * GRID_MS + GRID_MS / 2;
	}

	/** Its turn to hold a slot back is over (the reclaim time passed with none due): none will be this epoch. */
	closeHoldBack(holding: Holding, now: number): void {
		if (!this.holdBackDecided && now > this.reclaimTime(holding)) this.holdBackDecided = true;
	}

	/**
	 * Offers `slot`, about to be used, for holding back: the last slot due at or before the boundary
	 * is held back until this process's turn, free for every probe before it; a slot due much earlier
	 * would cost too much, and then none is. Returns the time the slot is due again if held back.
	 */
	holdBackIfLast(slot: Slot, slots: readonly Slot[], holding: Holding): number | undefined {
		if (this.holdBackDecided || slot.due > this.boundary) return undefined;
		if (slots.some((other) => other !== slot && other.due > slot.due && other.due <= this.boundary)) return undefined;
		this.holdBackDecided = true;
		if (this.boundary - slot.due > HOLD_WINDOW_MS || (!holding.shared && holding.held < 2)) return undefined;
		this.heldBack = slot;
		return this.reclaimTime(holding);
	}

	/** Whether this epoch's next probe may go: probing, the round's answers in (or the round still going out), and the slot held back (if any) reclaimed. */
	mayProbe(holding: Holding, now: number): boolean {
		const roomInRound = this.probesOut === 0 || (this.probesOut < this.roundSize && now - this.roundAt <= LATE_TOLERANCE_MS);
		return holding.shared && this.probing && roomInRound && this.holdBackDecided && !this.heldBack;
	}

	/** Records a request granted `slot` (none: a new one) and says its role: a probe is now out, a held-back slot reclaimed. */
	recordSent(slot: Slot | undefined, probe: boolean, now: number): RequestRole {
		if (slot && this.heldBack === slot) {
			this.heldBack = undefined;
			return 'reclaim';
		}
		if (probe) {
			if (this.probesOut++ === 0) this.roundAt = now;
			return 'probe';
		}
		return 'plain';
	}

	/** Records what the answer to a request sent in this epoch tells the hand-over, and says what it means for the lane. */
	recordAnswer(role: RequestRole, outcome: Outcome, holding: Holding): LaneNews {
		if (outcome === 'throttled' && role === 'reclaim') this.outcome = 'lost';
		if (role !== 'probe') return undefined;
		this.probesOut--;
		if (outcome === 'ok') {
			this.probesWon++;
			// (After a refusal in the same round the window is full again: none is left over.)
			if (this.probing && this.outcome === 'even') this.outcome = 'won';
			if (this.probing && this.probesOut === 0) this.roundSize = Math.min(this.maxRoundSize, 2 * this.roundSize);
			// Holding every slot there is, the lane is alone again as far as it can tell.
			return holding.held >= holding.capacity ? 'alone' : undefined;
		}
		this.probing = false;
		// A slot changed hands (a probe got in, then one did not): none is left over.
		if (this.outcome === 'won') this.outcome = 'even';
		return 'probeRefused';
	}
}
