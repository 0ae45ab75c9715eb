/**
 * Send Once Per Key: a send whose key was sent before is not sent again, across the items of a run,
 * executions, manual re-runs, Retry of a failed execution and processes (queue-mode workers).
 * Built on n8n's own deduplication store (`checkProcessedAndRecord`, one row per workflow and node),
 * making up for what it lacks:
 * - the same key twice in one call comes back "new" twice: a run claims each key once itself;
 * - two first writes of a new row collide on its primary key: the losing one is asked again (and
 *   any failed write, up to STORE_TRIES; then the item fails ONCE_KEY_STORE_FAILED);
 * - every check-and-record reads and writes the whole row: the run's claims asked while one is out
 *   go together in the next, so a bulk run pays per write, not per key;
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
/** How long a claim waits before its check, and the longest check-and-record it trusts: three times the slowest measured under load (docs/benchmarks.md#sending). */
export const SETTLE_MS = 3000;
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

/** Why a key cannot be claimed at all: n8n keeps keys per workflow ID, and an unsaved workflow has none. */
export class UnsavedWorkflow extends Error {}

/** n8n's store failed (its database, say) on every try: whether the key is recorded is not known. */
export class OnceKeyStoreFailed extends Error {}

/** Tries of one check-and-record: a first write colliding with another's, or a database hiccup, is asked again. */
const STORE_TRIES = 3;

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

interface Recorded {
	/** The values that were in the row before this write. */
	present: Set<string>;
	/** From the first try to the answer: how long the write may have been on its way. */
	tookMs: number;
	/** A try failed first: it may have written, so what was present may include this claim's own values. */
	retried: boolean;
}

/** The keys of one run of one node. Throws, naming what to do, when the workflow has no ID (an unsaved workflow). */
export function onceKeys(context: IExecuteFunctions): OnceKeys {
	const workflowId = context.getWorkflow().id;
	const scope = `${workflowId ?? ''}|${context.getNode().id}`;
	const claimedInRun = new Set<string>();
	const tokens = new Map<string, string>();
	/**
	 * One store call, in turn, asked again after a failed try (a first-write collision, a database
	 * hiccup). Not cut short by a cancel: a claim under way is finished, so that it knows whether the
	 * key is its own to give back (a key another execution recorded is never removed).
	 */
	const tryStore = async <Output>(call: () => Promise<Output>): Promise<{ output: Output; tookMs: number; retried: boolean }> =>
		await inTurn(scope, async () => {
			// Timed from the first try: a try that failed may still have written.
			const startedAt = Date.now();
			let failure: unknown;
			for (let tried = 1; tried <= STORE_TRIES; tried++) {
				if (tried > 1) await pause(50 * tried);
				try {
					return { output: await call(), tookMs: Date.now() - startedAt, retried: tried > 1 };
				} catch (error) {
					// Two first writes of the node's row at the same moment collide (another process): the row exists now, so the next try updates it.
					failure = error;
				}
			}
			throw new OnceKeyStoreFailed(`n8n's deduplication store failed ${STORE_TRIES} times in a row: ${failure instanceof Error ? failure.message : String(failure)}`);
		});
	const recordNow = async (values: string[]): Promise<Recorded> => {
		const { output, tookMs, retried } = await tryStore(async () => await context.helpers.checkProcessedAndRecord(values, 'node', STORE));
		return { present: new Set(output.processed.map(String)), tookMs, retried };
	};

	// The store reads and writes its whole row (up to 2 × MAX_KEYS values) each time: what the run's
	// claims ask while a write is out goes together in the next one, so a bulk run pays per write, not per key.
	let asked: Array<{ values: string[]; answer: (recorded: Recorded | Error) => void }> = [];
	let writing = false;
	const writeAsked = async (): Promise<void> => {
		writing = true;
		while (asked.length) {
			const batch = asked;
			asked = [];
			const recorded = await recordNow(batch.flatMap(({ values }) => values)).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
			for (const { answer } of batch) answer(recorded);
		}
		writing = false;
	};
	const record = async (values: string[]): Promise<Recorded> => {
		const recorded = await new Promise<Recorded | Error>((answer) => {
			asked.push({ values, answer });
			// Claims made in the same turn of the event loop (a run's first items) join the first write.
			if (!writing) {
				writing = true;
				void Promise.resolve().then(writeAsked);
			}
		});
		if (recorded instanceof Error) throw recorded;
		return recorded;
	};

	/** Steps 1-3 above for one key; true when it is this execution's to send. */
	const settle = async (key: string, token: string): Promise<boolean> => {
		let written = await record([key, token]);
		// A failed try that wrote leaves our token there: whether the key was new before it cannot be told.
		if (written.retried && written.present.has(token)) throw new OnceKeyStoreFailed("n8n's deduplication store failed once but still recorded the once-key, so whether it was new cannot be told");
		// A key already there before our first write is someone else's.
		if (written.present.has(key)) return false;
		for (let round = 1; ; round++) {
			if (written.tookMs > SETTLE_MS) throw new ClaimUnconfirmed(`Recording the once-key took ${written.tookMs} ms, longer than the ${SETTLE_MS} ms the node trusts`);
			// Claims erased together would be made again together and erase each other again: a claim made again waits a random while longer.
			await pause(SETTLE_MS + (round > 1 ? Math.floor(Math.random() * SETTLE_MS) : 0));
			written = await record([key, token]);
			// After a failed try that wrote, our values being there says nothing: taken as erased, so the claim is made again.
			if (!written.retried) {
				if (written.present.has(token)) return true;
				if (written.present.has(key)) return false;
			}
			// Erased by an unrelated write: the check just recorded key and token again, so it is the new claim.
			if (round >= MAX_ROUNDS) throw new ClaimUnconfirmed(`The once-key was erased by other writes ${round} times in a row`);
		}
	};

	return {
		claim: async (key) => {
			if (!workflowId) throw new UnsavedWorkflow('Send Once Per Key needs a saved workflow: save it, then run it again');
			if (claimedInRun.has(key)) return false;
			claimedInRun.add(key);
			const token = `${key}\u0000claim ${crypto.randomUUID()}`;
			tokens.set(key, token);
			return await settle(key, token);
		},
		release: async (key) => {
			claimedInRun.delete(key);
			await tryStore(async () => await context.helpers.removeProcessed([key, tokens.get(key) ?? key], 'node', STORE));
		},
	};
}
