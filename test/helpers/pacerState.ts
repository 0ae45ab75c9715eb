/**
 * What a pacer holds on a lane, read from its private state: the tests check the slots a 429
 * drops and a reset restores, which nothing outside the pacer needs to know.
 */
import type { Pacer } from '../../nodes/GreenApi/transport/pacer';
import type { Lane } from '../../nodes/GreenApi/transport/pacer/lane';

/** Requests per second the lane lets through now: the slots it holds once shared, the limit while alone. */
export function rateOf(pacer: Pacer, lane: string, limit: number): number {
	return laneOf(pacer, lane)?.currentRate() ?? limit;
}

/** The lane itself (its limit and capacity are public; its state is not). */
export function laneOf(pacer: Pacer, lane: string): Lane | undefined {
	return (pacer as unknown as { lanes: Map<string, Lane> }).lanes.get(lane);
}
