/**
 * Receive By: Polling, for an n8n GREEN-API cannot reach: each poll reads GREEN-API's message
 * journals (lastIncomingMessages, lastOutgoingMessages) from a cursor kept in the node's static
 * data. The journals are read-only and independent of where notifications go, so polling needs
 * no particular webhook URL and writes no settings; nothing is taken from GREEN-API, so a poll cut
 * short (n8n killed, its time up) loses nothing: the cursor moves only with what n8n keeps of the
 * poll. They hold messages only: statuses, calls and state changes come by webhook alone.
 *
 * A journal shows a message up to 2 minutes late, so each poll reads back OVERLAP_S before its
 * cursor and drops what it has already emitted (by journal and idMessage). A poll emits at most
 * MAX_PER_POLL messages, oldest first, and leaves the rest for the next. Where n8n gives a poll a
 * time budget (2.41), a poll that would overrun it emits nothing and moves nothing.
 */
import { sleep, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import { JOURNAL_LAG_S, MAX_JOURNAL_MINUTES } from '../api/journals/journal';
import { POLLING } from './description';
import { triggerParameters, type TriggerParameters } from './parameters';
import { instanceFromCredential, type Instance } from './instance';
import { entryKey, itemsFromEntries, journalsFor, readJournals, type Journal } from './journalEntries';
import type { NotificationItem } from './notification';
import { warnIfStaticDataIsNotKept } from './staticDataKept';
import { fetchTestEvent } from './testFetch';

/** How far back before its cursor a poll reads: the lag and a minute more. */
export const OVERLAP_S = JOURNAL_LAG_S + 60;
/** Messages one poll emits at most; the rest wait for the next poll. */
export const MAX_PER_POLL = 100;
/** Entries remembered as emitted (within the overlap): a journal's own cap. */
const MAX_REMEMBERED = 10000;

/**
 * Where polling has got to (UNIX seconds): the journals are read from `since` less the overlap, but
 * never from before `startedAt` (the activation); `emitted` are the keys emitted within the overlap, with their time.
 */
interface JournalCursor extends IDataObject {
	startedAt: number;
	since: number;
	emitted: Record<string, number>;
}

/** Starts polling from now (activation): what came before is not the workflow's. */
export function startCursor(state: IDataObject): void {
	const now = Math.floor(Date.now() / 1000);
	state.journalCursor = { startedAt: now, since: now, emitted: {} } satisfies JournalCursor;
}

export function hasCursor(state: IDataObject): boolean {
	return typeof state.journalCursor === 'object' && state.journalCursor !== null;
}

export async function pollNotifications(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const chosen = triggerParameters(this);
	// Fetch Test Event, in either mode: a recent message, and nothing written (see testFetch.ts).
	if (this.getMode() === 'manual') {
		const items = await fetchTestEvent(this.getNode(), chosen, await instanceFromCredential(this));
		return [items.map((json) => ({ json }))];
	}
	// The node has both a webhook and polling: in webhook mode its polls have nothing to do.
	if (chosen.receiveBy !== POLLING) return null;
	warnIfStaticDataIsNotKept(this, 'poll');
	const journals = journalsFor(this.getNode(), chosen);
	// Read once: with n8n 2.41's durable poll cursors this is the poll's own copy, which n8n commits
	// with the execution the poll starts (or alone when it emits nothing).
	const state = this.getWorkflowStaticData('node');
	if (!hasCursor(state)) {
		startCursor(state);
		return null;
	}
	const budgetMs = pollBudgetMs(this);
	const polled = await withinBudget(readFromCursor(state.journalCursor as JournalCursor, journals, chosen, await instanceFromCredential(this)), budgetMs);
	if (polled === 'outOfTime') {
		this.logger.warn(`GREEN-API Trigger: a poll did not finish within n8n's budget of ${Math.round(budgetMs! / 1000)} s; it emits nothing and the next poll reads the same messages`, {
			workflowId: this.getWorkflow().id,
			node: this.getNode().name,
		});
		return null;
	}
	// Restarting (a settings write): the cursor stays, and the next poll reads what this one would have.
	if (polled === 'starting') return null;
	state.journalCursor = polled.cursor;
	return polled.items.length ? [polled.items.map((json) => ({ json }))] : null;
}

/**
 * How long n8n lets this poll run before it gives the poll's lease away (n8n 2.41:
 * `getPollBudgetMs()`, 36 s with durable poll cursors' defaults), less a margin to hand the items
 * over; undefined where n8n sets no budget (n8n 1.x).
 */
function pollBudgetMs(functions: IPollFunctions): number | undefined {
	const budget = typeof functions.getPollBudgetMs === 'function' ? functions.getPollBudgetMs() : undefined;
	return typeof budget === 'number' && Number.isFinite(budget) ? Math.max(0, budget - HAND_OVER_MS) : undefined;
}

/** Kept of n8n's poll budget for handing the items over. */
const HAND_OVER_MS = 2000;

/** The poll's outcome, or 'outOfTime' when the budget ran out first (the reads go on unseen, and change nothing). */
async function withinBudget<T>(work: Promise<T>, budgetMs: number | undefined): Promise<T | 'outOfTime'> {
	if (budgetMs === undefined) return await work;
	const stopClock = new AbortController();
	const outOfTime = sleep(budgetMs, stopClock.signal).then(
		() => 'outOfTime' as const,
		() => new Promise<never>(() => {}), // the poll finished first: this side of the race never settles
	);
	try {
		return await Promise.race([work, outOfTime]);
	} finally {
		stopClock.abort();
	}
}

/**
 * One poll's reading from the cursor: the items to emit and the cursor after them, changing
 * nothing itself (the caller keeps the cursor only when the poll hands its items to n8n);
 * 'starting' while the instance restarts.
 */
async function readFromCursor(cursor: JournalCursor, journals: Set<Journal>, chosen: TriggerParameters, instance: Instance): Promise<{ items: NotificationItem[]; cursor: JournalCursor } | 'starting'> {
	const now = Math.floor(Date.now() / 1000);
	const from = Math.max(cursor.startedAt ?? 0, cursor.since - OVERLAP_S);
	const minutes = Math.min(MAX_JOURNAL_MINUTES, Math.ceil((now - from) / 60) + 1);
	const journaled = await readJournals(instance, journals, minutes);
	if (journaled === 'starting') return 'starting';
	const fresh = journaled.filter((entry) => entry.timestamp >= from && cursor.emitted[entryKey(entry)] === undefined).sort((a, b) => a.timestamp - b.timestamp || a.idMessage.localeCompare(b.idMessage));
	const taken = fresh.slice(0, MAX_PER_POLL);
	const items = await itemsFromEntries(taken, chosen, instance);
	// Left over: the cursor stops at the last one taken, and the next poll goes on from there; never
	// past now, whatever an entry's clock says (a cursor in the future would ask for negative minutes).
	const since = taken.length < fresh.length ? Math.min(taken[taken.length - 1].timestamp, now) : now;
	const emitted: Record<string, number> = {};
	const kept = [...Object.entries(cursor.emitted), ...taken.map((entry): [string, number] => [entryKey(entry), entry.timestamp])].filter(([, at]) => at >= since - OVERLAP_S).slice(-MAX_REMEMBERED);
	for (const [key, at] of kept) emitted[key] = at;
	return { items, cursor: { startedAt: cursor.startedAt, since, emitted } };
}
