/**
 * A lower pace asked for on a lane: the *Requests Per Second* option set under the method's limit.
 * The lane's own capacity stays the method's limit (lane.ts); an Allowance only holds back the
 * requests that asked for less, so they take at most that many a second of it, evenly, while
 * requests asking for the full limit use the rest. Requests asking for the same pace in one process
 * share one allowance: the pacer sees requests, not workflows.
 *
 * It is the lane's slots in small: ⌈rate⌉ tickets, opened about a rate-spacing apart, each used at
 * most once a period (a cycle, longer under one a second), on grid instants: so never more than
 * ⌈rate⌉ in a rolling second, and the rate over a longer run.
 */
import { CYCLE_MS, GRID_MS, gridAt } from './grid';

export class Allowance {
	private readonly tickets: number[] = [];
	private readonly capacity: number;
	private readonly period: number;
	private readonly spacing: number;
	/** When the next ticket may be opened, before rounding to the grid: a rate-spacing after the last. */
	private nextOpening = -Infinity;

	constructor(readonly rate: number) {
		this.capacity = Math.max(1, Math.ceil(rate));
		this.period = (CYCLE_MS * this.capacity) / rate;
		this.spacing = CYCLE_MS / rate;
	}

	/** The earliest grid instant a request asking this pace may go. */
	nextAt(): number {
		const due = Math.min(Infinity, ...this.tickets);
		if (this.tickets.length < this.capacity) return Math.min(due, gridAt(this.nextOpening));
		return due;
	}

	/** Uses the ticket due first (or opens one) for a request let go at `at`. */
	take(at: number): void {
		const first = this.tickets.indexOf(Math.min(...this.tickets));
		if (first >= 0 && (this.tickets[first] <= at || this.tickets.length >= this.capacity)) {
			this.tickets[first] = gridAt(at + this.period);
			return;
		}
		// Counted from the planned opening, not from the grid instant it waited for (that would lower the pace); a late one does not make up more than a step.
		this.nextOpening = Math.max(this.nextOpening, at - GRID_MS) + this.spacing;
		this.tickets.push(gridAt(at + this.period));
	}
}
