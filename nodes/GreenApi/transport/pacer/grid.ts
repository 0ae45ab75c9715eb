/**
 * The shared clock and its grid: what every process sharing an instance agrees on without talking,
 * because they read the same wall clock. GREEN-API counts a lane's requests in a rolling second
 * (the window); a slot is used at most once a cycle (the window and a margin); slots are used on
 * grid instants, the cycle cut into GRID_STEPS steps. Also the two words every pacer file uses:
 * a slot, and what became of a request.
 */
import { sleep } from 'n8n-workflow';

export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const realClock: Clock = { now: () => Date.now(), sleep: async (ms) => await sleep(ms) };

/** The service's window: at most `limit` accepted requests in any this long. */
export const WINDOW_MS = 1000;
/** A slot is used at most once a cycle, this much longer than the window: arrivals jitter by a few ms, the limit is strict. */
export const SPACING_MARGIN = 1.02;
export const CYCLE_MS = WINDOW_MS * SPACING_MARGIN;
/**
 * The grid slots are used on: the cycle in this many steps. Half a step (51 ms) must exceed the
 * margin (20 ms) and the network's jitter, so that a probe half-way between grid instants never
 * meets a slot in the last moments before its reuse.
 *
 * The same grid serves every limit, so at 50/s five slots share each instant (six when the slot
 * held back for an epoch joins them). A finer grid would spread them, but its half-steps would come
 * within the margin of a slot's reuse, where a probe takes a slot its holder is about to use; and
 * GREEN-API counts a rolling second, not instants, so five together are within the limit
 * (test/pacer.test.ts: the grid at 50/s).
 */
export const GRID_STEPS = 10;
export const GRID_MS = CYCLE_MS / GRID_STEPS;
/** A request let go at most this late keeps its slot's grid instant (timers fire a ms or two late); later, the slot moves on. */
export const LATE_TOLERANCE_MS = 5;

/** A place in the service's window that this process holds (lane.ts owns them). */
export interface Slot {
	/** When it may be used again. */
	due: number;
}

/** What became of a request, told to the pacer when its answer (or failure) is in. */
export type Outcome = 'ok' | 'throttled' | 'failed';

/** The first grid instant at or after `time`. */
export function gridAt(time: number): number {
	return Math.ceil(time / GRID_MS - 1e-9) * GRID_MS;
}
