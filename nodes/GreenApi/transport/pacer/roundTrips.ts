/**
 * How long a lane's answers usually take, to tell when one came late. GREEN-API counts a request
 * when it arrives. One held up on its way (a process or the service stalled, the network slow for
 * a moment) arrives late, and its slot's next use, a cycle after it was sent, would arrive less
 * than a window after it: over the limit when the window is full, and every slot used during the
 * stall is refused at its next use. An answer later than usual says that the request may have
 * arrived as much later (the delay may have been on its way there), so the lane waits as much
 * longer before that slot's next use (lane.ts).
 *
 * Usual is the shortest of the recent round trips (a stall only lengthens them); only recent ones
 * count, so that a network that became slower for good is the usual again within a few cycles. A
 * network whose round trips vary by more than the margin costs some pace this way: the slots of
 * the late answers wait a grid step longer.
 */
export class RoundTrips {
	private readonly recent: number[] = [];

	/** Keeps the last `kept` round trips. */
	constructor(private readonly kept: number) {}

	/** How much longer than usual a round trip of `took` ms is; 0 while none is known. */
	lateBy(took: number): number {
		return this.recent.length ? Math.max(0, took - Math.min(...this.recent)) : 0;
	}

	record(took: number): void {
		this.recent.push(took);
		if (this.recent.length > this.kept) this.recent.shift();
	}

	/** Forgets them all (the lane is cold again: the network may have changed). */
	clear(): void {
		this.recent.length = 0;
	}
}
