/**
 * What a pacer holds on a lane, read from its private state: the tests check the slots a 429
 * drops and a reset restores, which nothing outside the pacer needs to know.
 */
import type { Pacer } from '../../nodes/GreenApi/transport/pacer';
import type { Lane } from '../../nodes/GreenApi/transport/pacer/slots';

/** Requests per second the lane lets through now: the slots it holds once shared, the limit while alone. */
export function rateOf(pacer: Pacer, lane: string, limit: number): number {
	const state = (pacer as unknown as { lanes: Map<string, Lane> }).lanes.get(lane);
	return state?.shared ? state.slots.length : limit;
}
