/**
 * Send Once Per Key: a send whose key was sent before is not sent again, across the items of a run,
 * executions, manual re-runs, Retry of a failed execution (and, for the claim n8n's store keeps,
 * across processes). Built on n8n's own deduplication store (`checkProcessedAndRecord`, one row per
 * workflow and node), making up for what it lacks:
 * - the same key twice in one call comes back "new" twice: a run claims each key once itself;
 * - the store reads, changes and writes its row back with no lock: within this process every
 *   check-and-record of a node goes one at a time, so two executions at the same moment send once
 *   and neither erases the other's key;
 * - two first writes of a new row collide on its primary key: the losing one is asked again;
 * - the row would grow without end: it keeps the newest MAX_KEYS keys (older ones are forgotten, and
 *   could be sent again).
 * Order: the key is recorded first, then the message sent. A send that certainly did not reach
 * GREEN-API (refused, invalid, rate-limited: any failure but MAY_HAVE_HAPPENED and the node's own
 * faults) gives its key back, so that a retry with the same key sends it; one that may have happened
 * keeps it, so nothing sends it twice.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { ErrorCode } from '../errors/codes';

/** Keys kept per node: n8n's store forgets the oldest beyond this. */
export const MAX_KEYS = 10000;

const STORE = { mode: 'entries', maxEntries: MAX_KEYS } as const;

/** Failures after which the message certainly did not reach GREEN-API, so its key is given back. */
export function certainlyNotSent(code: ErrorCode): boolean {
	return code !== 'MAY_HAVE_HAPPENED' && code !== 'NODE_FAULT' && code !== 'CANCELLED';
}

/** Check-and-record of one node, one at a time within this process. */
const queues = new Map<string, Promise<unknown>>();

function inTurn<Value>(scope: string, work: () => Promise<Value>): Promise<Value> {
	const previous = queues.get(scope) ?? Promise.resolve();
	const next = previous.then(work, work);
	const settled = next.then(
		() => undefined,
		() => undefined,
	);
	queues.set(scope, settled);
	void settled.then(() => {
		if (queues.get(scope) === settled) queues.delete(scope);
	});
	return next;
}

export interface OnceKeys {
	/** Claims `key` for this item: false when it was sent before (or is being sent by another item of the run). */
	claim(key: string): Promise<boolean>;
	/** Gives a claimed key back: its send certainly did not happen. */
	release(key: string): Promise<void>;
}

/** The keys of one run of one node. Throws, naming what to do, when the workflow has no ID (an unsaved workflow). */
export function onceKeys(context: IExecuteFunctions): OnceKeys {
	const workflowId = context.getWorkflow().id;
	const scope = `${workflowId ?? ''}|${context.getNode().id}`;
	const claimedInRun = new Set<string>();
	const ask = async <Value>(work: () => Promise<Value>): Promise<Value> => {
		if (!workflowId) throw new Error('Send Once Per Key needs a saved workflow: save it, then run it again');
		return await inTurn(scope, async () => {
			try {
				return await work();
			} catch {
				// Two first writes of the node's row at the same moment collide (another process): the row exists now.
				return await work();
			}
		});
	};
	return {
		claim: async (key) => {
			if (claimedInRun.has(key)) return false;
			claimedInRun.add(key);
			const { new: fresh } = await ask(async () => await context.helpers.checkProcessedAndRecord([key], 'node', STORE));
			return fresh.length === 1;
		},
		release: async (key) => {
			claimedInRun.delete(key);
			await ask(async () => await context.helpers.removeProcessed([key], 'node', STORE));
		},
	};
}
