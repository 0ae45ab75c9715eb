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
 * MAX_PER_POLL messages, oldest first, and leaves the rest for the next.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { JOURNAL_LAG_S, MAX_JOURNAL_MINUTES } from '../api/journals/journal';
import { POLLING } from './description';
import { triggerParameters } from './handling';
import { instanceFromCredential, triggerError } from './instance';
import { entryKey, itemsFromEntries, journalsFor, readJournals } from './journalEntries';
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
	const journals = journalsFor(chosen.events);
	if (journals.size === 0) {
		throw triggerError(
			this.getNode(),
			'Polling sees messages only: choose Incoming Message, Message Sent From the Phone or Message Sent Through the API.',
			"GREEN-API keeps journals of messages, which polling reads; statuses, calls and the instance's state come only by webhook (Receive By: Webhook).",
		);
	}
	const instance = await instanceFromCredential(this);
	const now = Math.floor(Date.now() / 1000);
	const state = this.getWorkflowStaticData('node');
	if (!hasCursor(state)) {
		startCursor(state);
		return null;
	}
	const cursor = state.journalCursor as JournalCursor;
	const from = Math.max(cursor.startedAt ?? 0, cursor.since - OVERLAP_S);
	const minutes = Math.min(MAX_JOURNAL_MINUTES, Math.ceil((now - from) / 60) + 1);
	const journaled = await readJournals(instance, journals, minutes);
	// Restarting (a settings write): the cursor stays, and the next poll reads what this one would have.
	if (journaled === 'starting') return null;
	const fresh = journaled
		.filter((entry) => entry.timestamp >= from && cursor.emitted[entryKey(entry)] === undefined)
		.sort((a, b) => a.timestamp - b.timestamp || a.idMessage.localeCompare(b.idMessage));
	const taken = fresh.slice(0, MAX_PER_POLL);
	const items = await itemsFromEntries(taken, chosen, instance);
	// Left over: the cursor stops at the last one taken, and the next poll goes on from there; never
	// past now, whatever an entry's clock says (a cursor in the future would ask for negative minutes).
	const since = taken.length < fresh.length ? Math.min(taken[taken.length - 1].timestamp, now) : now;
	const emitted: Record<string, number> = {};
	const kept = [...Object.entries(cursor.emitted), ...taken.map((entry): [string, number] => [entryKey(entry), entry.timestamp])]
		.filter(([, at]) => at >= since - OVERLAP_S)
		.slice(-MAX_REMEMBERED);
	for (const [key, at] of kept) emitted[key] = at;
	state.journalCursor = { startedAt: cursor.startedAt, since, emitted } satisfies JournalCursor;
	return items.length ? [items.map((json) => ({ json }))] : null;
}
