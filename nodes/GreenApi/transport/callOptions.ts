/**
 * The options that shape every call (Timeout, Max Retries, Max Wait When Rate Limited, Requests
 * Per Second): each one's default and bounds, once. The editor shows them from here and a run
 * reads them through here, so an expression cannot set what the editor forbids.
 */
import type { IDataObject } from 'n8n-workflow';

export interface NumberBounds {
	/** The entry's name in the node's Options collection, and its label. */
	name: string;
	displayName: string;
	/** The default; Requests Per Second has none here: it is each method's documented limit. */
	default?: number;
	min: number;
	max: number;
	/** Whether only whole numbers make sense (a count). */
	whole: boolean;
	unit: string;
}

export const TIMEOUT: NumberBounds = { name: 'timeout', displayName: 'Timeout', default: 15000, min: 100, max: 600000, whole: false, unit: 'ms' };
export const MAX_RETRIES: NumberBounds = { name: 'maxRetries', displayName: 'Max Retries', default: 3, min: 0, max: 10, whole: true, unit: '' };
/** Seconds an item may wait out 429s while nothing on its instance gets through. */
export const MAX_RATE_LIMIT_WAIT: NumberBounds = {
	name: 'maxRateLimitWait',
	displayName: 'Max Wait When Rate Limited',
	default: 300,
	min: 0,
	max: 86400,
	whole: false,
	unit: 's',
};
/**
 * Requests Per Second can only lower a call's pace. The pacer runs each lane (instance and method)
 * at the method's documented limit, whatever the callers ask, so that workflows with different
 * values sharing a lane cannot change what the lane sends (pacer/lane.ts); a value under the limit
 * holds the calls made with it to that pace (calls asking the same value in one n8n process share
 * it: the pacer sees requests, not workflows), and one above it is the limit. The bounds stay wide
 * so that a workflow saved with a higher value still runs.
 */
export const REQUESTS_PER_SECOND: NumberBounds = { name: 'requestsPerSecond', displayName: 'Requests Per Second', min: 0.1, max: 1000, whole: false, unit: '' };

/** What shapes one call: its timeout, retries, pace and cancellation. */
export interface CallOptions {
	timeoutMs: number;
	/** Resends after faults (502, timeouts, resets…) of a method safe to repeat; 429s do not count, see maxThrottledWaitMs. */
	maxRetries: number;
	/** The most this call asks for; the method's documented limit when higher (see REQUESTS_PER_SECOND). */
	requestsPerSecond: number;
	/** How long an item keeps being resent while answered 429 and nothing on its lane gets through. */
	maxThrottledWaitMs: number;
	/** The execution's cancel signal: stops waiting, retrying and the request in flight. */
	signal?: AbortSignal;
}

/** A call's options without the cancel signal (the router adds it per execution). */
export type CallSettings = Omit<CallOptions, 'signal'>;

/** The defaults, for a method documented at `rateLimitPerSecond`. */
export function defaultCallSettings(rateLimitPerSecond: number): CallSettings {
	return {
		timeoutMs: TIMEOUT.default!,
		maxRetries: MAX_RETRIES.default!,
		requestsPerSecond: rateLimitPerSecond,
		maxThrottledWaitMs: MAX_RATE_LIMIT_WAIT.default! * 1000,
	};
}

/** The Options values as a call's settings; or, for a value out of its bounds, what is wrong. */
export function readCallSettings(options: IDataObject, rateLimitPerSecond: number): CallSettings | { problem: string } {
	const values: number[] = [];
	for (const bounds of [TIMEOUT, MAX_RETRIES, MAX_RATE_LIMIT_WAIT, REQUESTS_PER_SECOND]) {
		const value = options[bounds.name] ?? bounds.default ?? rateLimitPerSecond;
		const problem = outOfBounds(value, bounds);
		if (problem) return { problem };
		values.push(value as number);
	}
	const [timeoutMs, maxRetries, maxRateLimitWait, requestsPerSecond] = values;
	return { timeoutMs, maxRetries, requestsPerSecond, maxThrottledWaitMs: maxRateLimitWait * 1000 };
}

function outOfBounds(value: unknown, bounds: NumberBounds): string | undefined {
	const fits = typeof value === 'number' && Number.isFinite(value) && value >= bounds.min && value <= bounds.max && (!bounds.whole || Number.isInteger(value));
	if (fits) return undefined;
	const unit = bounds.unit ? ` ${bounds.unit}` : '';
	const shown = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
	return `Options → ${bounds.displayName} must be ${bounds.whole ? 'a whole number' : 'a number'} from ${bounds.min} to ${bounds.max}${unit}, but is ${shown}`;
}
