/**
 * When each chat last had a message, learned from GREEN-API's two journals (one read each): the
 * latest incoming and outgoing message per chat, and from when on the journals are known to hold
 * every message. What the journals cannot show is never taken for silence:
 * - a journal holds its last JOURNAL_CAP messages, so one that comes back that full holds
 *   everything only back to its oldest entry;
 * - a journal holds messages only from when the instance's switch for them was on; the node cannot
 *   read that back, so the filter's hint asks the user (see actions/chat/getAll.operation.ts);
 * - a message may show up to 2 minutes late (JOURNAL_LAG_S): the last 2 minutes are never known.
 * An outgoing entry's time may be its last status change, later than the message: that makes a
 * chat look less quiet, never more.
 */
import type { MethodCall, RequestFields } from '../api/types';
import { JOURNAL_CAP, listingOf, type JournalEntry, type JournalListing } from '../api/journals/journal';
import { lastIncomingMessages } from '../api/journals/lastIncomingMessages';
import { lastOutgoingMessages } from '../api/journals/lastOutgoingMessages';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How a call is made where the history is read (an operation's own step). */
export type JournalCall = (method: MethodCall<JournalListing>, request: RequestFields) => Promise<JournalListing[]>;

export interface ChatHistory {
	/** Per chat, its latest incoming and outgoing message (ms since the epoch). */
	lastIncoming: Map<string, number>;
	lastOutgoing: Map<string, number>;
	/**
	 * From when on (ms) both journals hold every message, as far as the node can tell: the start of
	 * the period asked for, or the oldest entry of a journal that came back full.
	 */
	completeSince: number;
	/** The journals that came back full (JOURNAL_CAP entries), which is why completeSince is later than asked. */
	full: Array<'incoming' | 'outgoing'>;
}

/** Reads both journals for the last `days` days (2 calls), at `now` (ms). */
export async function loadChatHistory(call: JournalCall, days: number, now: number): Promise<ChatHistory> {
	const minutes = Math.ceil(days * 24 * 60);
	const [incoming] = await call(listingOf(lastIncomingMessages), { minutes });
	const [outgoing] = await call(listingOf(lastOutgoingMessages), { minutes });
	const full: ChatHistory['full'] = [];
	let completeSince = now - days * DAY_MS;
	for (const [journal, { entries, listed }] of [
		['incoming', incoming],
		['outgoing', outgoing],
	] as const) {
		// Full by what GREEN-API listed, entries it gave without an ID or a time included.
		if (listed < JOURNAL_CAP) continue;
		full.push(journal);
		// Complete back to its oldest placeable entry; with none, nothing is known before now.
		const oldest = entries.reduce((min, entry) => Math.min(min, entry.timestamp * 1000), now);
		completeSince = Math.max(completeSince, oldest);
	}
	return { lastIncoming: latestByChat(incoming.entries), lastOutgoing: latestByChat(outgoing.entries), completeSince, full };
}

function latestByChat(entries: JournalEntry[]): Map<string, number> {
	const latest = new Map<string, number>();
	for (const { chatId, timestamp } of entries) latest.set(chatId, Math.max(latest.get(chatId) ?? 0, timestamp * 1000));
	return latest;
}

/** A chat's last message times, ISO 8601, or null when the journals hold none for it. */
export interface LastMessageTimes {
	[key: string]: string | null;
	lastIncomingAt: string | null;
	lastOutgoingAt: string | null;
	lastMessageAt: string | null;
}

export function lastMessageTimes(history: ChatHistory, chatId: string): LastMessageTimes {
	const incoming = history.lastIncoming.get(chatId);
	const outgoing = history.lastOutgoing.get(chatId);
	const iso = (at: number | undefined) => (at === undefined ? null : new Date(at).toISOString());
	const last = incoming === undefined && outgoing === undefined ? undefined : Math.max(incoming ?? 0, outgoing ?? 0);
	return { lastIncomingAt: iso(incoming), lastOutgoingAt: iso(outgoing), lastMessageAt: iso(last) };
}

/** Whether a chat had no message either way for `days` days: yes, no, or not provable from the journals. */
export function quietFor(history: ChatHistory, chatId: string, days: number, now: number): 'quiet' | 'active' | 'unproven' {
	const since = now - days * DAY_MS;
	const last = Math.max(history.lastIncoming.get(chatId) ?? 0, history.lastOutgoing.get(chatId) ?? 0);
	if (last >= since) return 'active';
	// No message since `since` in the journals: silence only if they hold every message of the period.
	return history.completeSince <= since ? 'quiet' : 'unproven';
}
