/**
 * Send Once Per Key: a send whose key was sent before is not sent again, across the items of a run,
 * executions, manual re-runs, Retry of a failed execution and processes (queue-mode workers).
 * Built on n8n's own deduplication store (`checkProcessedAndRecord`, one row per workflow and node),
 * making up for what it lacks:
 * - the same key twice in one call comes back "new" twice: a run claims each key once itself;
 * - two first writes of a new row collide on its primary key: the losing one is asked again;
 * - the store reads its row, changes it and writes it back whole, with no lock. Within this process
 *   every check-and-record of a node goes one at a time. Across processes a claim is made the way
 *   Fischer's mutual exclusion works with plain reads and writes and a bound on their time:
 *   1. record the key together with a token of this claim; a key already there is someone else's;
 *   2. wait SETTLE_MS, longer than any check-and-record this node trusts (a slower one of its own
 *      fails the item, below), so every write that read the row before ours has landed;
 *   3. record both again: our token still there → ours (another claim that read before our write
 *      was overwritten by it; one that read after saw the key); the key there without our token →
 *      another's (whose token is there); neither → an unrelated write erased ours: claim again.
 *   A check-and-record of its own slower than SETTLE_MS may have landed after another claim's check,
 *   so that item is not sent and fails MAY_HAVE_HAPPENED (another execution may have sent it). What
 *   remains: a write delayed past SETTLE_MS (a stalled process or database) can still erase a key
 *   another process recorded meanwhile; docs/node.md says so.
 * - the row would grow without end: it keeps the newest MAX_KEYS keys (with their tokens).
 * Order: the key is recorded first, then the message sent. A send that certainly did not reach
 * GREEN-API (refused, invalid, rate-limited: any failure but MAY_HAVE_HAPPENED and the node's own
 * faults) gives its key back, so that a retry with the same key sends it; one that may have happened
 * keeps it, so nothing sends it twice.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { ErrorCode } from '../errors/codes';
import { pause } from '../transport/pause';

/** Keys kept per node: n8n's store forgets the oldest beyond this. */
export const MAX_KEYS = 10000;
/** How long a claim waits before its check, and the longest check-and-record it trusts. */
export const SETTLE_MS = 1000;
/** Claims erased by unrelated writes are made again at most this often before the item fails. */
const MAX_ROUNDS = 8;

// Each key is stored with its claim's token.
const STORE = { mode: 'entries', maxEntries: 2 * MAX_KEYS } as const;

/**
 * Failures after which the message certainly did not reach GREEN-API, so its key is given back.
 * CANCELLED is one: a send cancelled while its request was out fails MAY_HAVE_HAPPENED instead.
 */
export function certainlyNotSent(code: ErrorCode): boolean {
	return code !== 'MAY_HAVE_HAPPENED' && code !== 'NODE_FAULT';
}

/** Why a claimed key may not be sent although it was new here: another execution may have sent it. */
export class ClaimUnconfirmed extends Error {}

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
	/** Claims `key` for this item: false when it was sent before (or is being sent elsewhere); throws ClaimUnconfirmed when that cannot be told. */
	claim(key: string): Promise<boolean>;
	/** Gives a claimed key back: its send certainly did not happen. */
	release(key: string): Promise<void>;
}

interface Claim {
	key: string;
	token: string;
	settle: (owned: boolean | Error) => void;
}

/** The keys of one run of one node. Throws, naming what to do, when the workflow has no ID (an unsaved workflow). */
export function onceKeys(context: IExecuteFunctions, signal?: AbortSignal): OnceKeys {
	const workflowId = context.getWorkflow().id;
	const scope = `${workflowId ?? ''}|${context.getNode().id}`;
	const claimedInRun = new Set<string>();
	const tokens = new Map<string, string>();
	/** One check-and-record, in turn, asked again after a first-write collision; with how long it took. */
	const record = async (values: string[]): Promise<{ present: Set<string>; tookMs: number }> =>
		await inTurn(scope, async () => {
			const startedAt = Date.now();
			let output;
			try {
				output = await context.helpers.checkProcessedAndRecord(values, 'node', STORE);
			} catch {
				// Two first writes of the node's row at the same moment collide (another process): the row exists now.
				output = await context.helpers.checkProcessedAndRecord(values, 'node', STORE);
			}
			return { present: new Set(output.processed.map(String)), tookMs: Date.now() - startedAt };
		});

	// The items of a run claim together: one write, one wait and one check for all the keys asked meanwhile.
	let waiting: Claim[] = [];
	const settleBatch = async (batch: Claim[]): Promise<void> => {
		let open = batch;
		let written = await record(open.flatMap(({ key, token }) => [key, token]));
		// A key already there before our first write is someone else's.
		for (const claim of open) if (written.present.has(claim.key)) claim.settle(false);
		open = open.filter((claim) => !written.present.has(claim.key));
		for (let round = 1; open.length > 0; round++) {
			if (written.tookMs > SETTLE_MS) {
				for (const claim of open) claim.settle(new ClaimUnconfirmed(`Recording the once-key took ${written.tookMs} ms, longer than the ${SETTLE_MS} ms the node trusts`));
				return;
			}
			// Claims erased together would be made again together and erase each other again: a claim made again waits a random while longer.
			await pause(SETTLE_MS + (round > 1 ? Math.floor(Math.random() * SETTLE_MS) : 0), signal);
			written = await record(open.flatMap(({ key, token }) => [key, token]));
			const erased: Claim[] = [];
			for (const claim of open) {
				if (written.present.has(claim.token)) claim.settle(true);
				else if (written.present.has(claim.key)) claim.settle(false);
				else erased.push(claim);
			}
			// Erased by an unrelated write: the check just recorded key and token again, so it is the new claim.
			open = erased;
			if (open.length > 0 && round >= MAX_ROUNDS) {
				for (const claim of open) claim.settle(new ClaimUnconfirmed(`The once-key was erased by other writes ${round} times in a row`));
				return;
			}
		}
	};
	const flush = async (): Promise<void> => {
		const batch = waiting;
		waiting = [];
		try {
			await settleBatch(batch);
		} catch (error) {
			for (const claim of batch) claim.settle(error instanceof Error ? error : new Error(String(error)));
		}
	};

	return {
		claim: async (key) => {
			if (!workflowId) throw new Error('Send Once Per Key needs a saved workflow: save it, then run it again');
			if (claimedInRun.has(key)) return false;
			claimedInRun.add(key);
			const token = `${key}\u0000claim ${crypto.randomUUID()}`;
			tokens.set(key, token);
			const verdict = await new Promise<boolean | Error>((settle) => {
				if (waiting.push({ key, token, settle }) === 1) void Promise.resolve().then(flush);
			});
			if (verdict instanceof Error) throw verdict;
			return verdict;
		},
		release: async (key) => {
			claimedInRun.delete(key);
			await inTurn(scope, async () => await context.helpers.removeProcessed([key, tokens.get(key) ?? key], 'node', STORE));
		},
	};
}
