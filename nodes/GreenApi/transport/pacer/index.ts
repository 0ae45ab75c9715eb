/**
 * Paces requests per lane (a GREEN-API instance and method) so that the method's rate limit is
 * kept, by this process alone and by several processes sharing the instance without talking to
 * each other (n8n's queue-mode workers, other workflows, other programs). One pacer serves the
 * whole n8n process: every node and execution using the same instance draws from the same lane,
 * while different instances and methods never wait for each other.
 *
 * Words, as the code keeps to them:
 * - **window**: GREEN-API's rolling second, in which it accepts at most `limit` requests of a lane.
 * - **limit**: the method's documented requests per second; it fixes the lane's capacity. A
 *   request may ask for less (*Requests Per Second*): that holds it back (an **allowance**), never
 *   the lane, so callers asking different paces cannot change what the lane may send.
 * - **capacity**: the limit rounded up: how many slots there are.
 * - **slot**: a place in the window this process holds, used at most once a **cycle** (the window
 *   and a margin for network jitter): processes whose slots add up to the capacity never see a 429.
 * - **grid**: the instants slots are used on, the same in every process because all read the same
 *   clock (grid.ts).
 * - **open**: a lane alone takes a new slot, a limit-spacing apart, no more unanswered than a round
 *   trip holds (processes starting together then see one 429 each, not two or three).
 * - **shared**: the lane has seen a 429; the slot that request went on is dropped, one slot for
 *   several 429s answered together (lane.ts).
 * - **late**: an answer later than the usual round trip: its request may have arrived that late,
 *   so its slot's next use waits as long (roundTrips.ts).
 * - **epoch**, **hold back**, **reclaim**, **probe**: how processes hand slots over so that shares
 *   even out and slots a finished process left are taken up (handOver.ts). A probe goes half-way
 *   between grid instants, when no slot anyone holds is in the moments before its reuse: it gets
 *   in only where a slot is truly free, never by taking one its holder is about to use.
 *
 * If the clocks of the processes disagree (different machines without time sync), probes land
 * anywhere: shares then even out more slowly and a probe may take a slot its holder was about to
 * use (which then keeps one fewer), but the limit is kept all the same.
 *
 * Files: grid.ts (the clock, the grid, the words slot and outcome), lane.ts (one lane: its slots,
 * its queue, the only code changing them), allowance.ts (a lower pace asked for), handOver.ts (an
 * epoch of the hand-over), roundTrips.ts (the usual round trip). This file only finds the lane a
 * request belongs to.
 */
import { realClock, type Clock } from './grid';
import { Lane, type Release, type Waiter } from './lane';

export type { Clock, Outcome } from './grid';
export type { Release } from './lane';

/** What one request asks of the pacer besides its lane. */
export interface AcquireOptions {
	/** The most requests per second this request's caller wants (Requests Per Second); above the lane's limit it is the limit. */
	requested?: number;
	signal?: AbortSignal;
}

export class Pacer {
	private readonly lanes = new Map<string, Lane>();

	constructor(
		private readonly clock: Clock = realClock,
		private readonly random: () => number = Math.random,
	) {}

	/**
	 * Resolves when a request may be sent on `laneName`, whose method allows `limit` requests per
	 * second; call the Release with its outcome.
	 */
	acquire(laneName: string, limit: number, options: AcquireOptions = {}): Promise<Release> {
		const { signal, requested = limit } = options;
		const lane = this.lane(laneName, limit);
		return new Promise<Release>((resolve, reject) => {
			if (signal?.aborted) return reject(signal.reason);
			const onAbort = () => {
				lane.withdraw(waiter);
				reject(signal?.reason);
			};
			const waiter: Waiter = {
				requested,
				grant: (release) => {
					signal?.removeEventListener('abort', onAbort);
					resolve(release);
				},
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			lane.enqueue(waiter);
		});
	}

	/** Holds every request on `laneName` for `ms` (the service asked for it with Retry-After). */
	pause(laneName: string, ms: number): void {
		this.lanes.get(laneName)?.pause(ms);
	}

	/** When a request on `laneName` last succeeded; -Infinity if none has. */
	lastProgress(laneName: string): number {
		return this.lanes.get(laneName)?.lastProgress ?? -Infinity;
	}

	/**
	 * The lane, made at the method's limit. A lane's limit never changes while it is in use; only a
	 * different documented limit (a test, the benchmark) makes an idle lane anew.
	 */
	private lane(name: string, limit: number): Lane {
		let lane = this.lanes.get(name);
		if (!lane || (lane.limit !== limit && lane.isIdle())) {
			lane = new Lane(limit, this.clock, this.random);
			this.lanes.set(name, lane);
		}
		return lane;
	}
}

/** The process-wide pacer the node uses. */
export const sharedPacer = new Pacer();
