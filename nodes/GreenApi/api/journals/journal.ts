/**
 * GREEN-API's message journals (lastIncomingMessages, lastOutgoingMessages): the recent messages
 * of an instance, read-only and whatever the instance's notifications go to. They hold the last
 * 10,000 messages each, only those after the matching switch was on, and show a message up to
 * 2 minutes late. An outgoing entry's timestamp may be the time of its last status change.
 */
import type { IDataObject } from 'n8n-workflow';

import { UnexpectedAnswer, type MethodCall } from '../types';

/** One message as a journal lists it; only what the trigger relies on is typed, the rest kept as it came. */
export interface JournalEntry extends IDataObject {
	type: 'incoming' | 'outgoing';
	idMessage: string;
	/** UNIX seconds. */
	timestamp: number;
	chatId: string;
}

/** An entry as it may come: its `type` is GREEN-API's to give, and may be missing. */
interface ListedEntry extends IDataObject {
	type?: string;
	idMessage: string;
	timestamp: number;
	chatId: string;
}

/** A journal answer's entries; one without an ID, a time (that a date can hold) or a chat cannot be placed and is left out. */
function readJournal(response: unknown): ListedEntry[] {
	if (!Array.isArray(response)) throw new UnexpectedAnswer('expected a list of messages');
	return response.filter(
		(entry): entry is ListedEntry =>
			typeof entry === 'object' &&
			entry !== null &&
			typeof entry.idMessage === 'string' &&
			entry.idMessage !== '' &&
			typeof entry.timestamp === 'number' &&
			!Number.isNaN(new Date(entry.timestamp * 1000).getTime()) && // a time a date can hold
			typeof entry.chatId === 'string',
	);
}

/** Both journals: GET with `minutes` (how far back), 1 call a second each. */
export function journalMethod(path: 'lastIncomingMessages' | 'lastOutgoingMessages', type: JournalEntry['type']): MethodCall<JournalEntry> {
	return {
		path,
		httpMethod: 'GET',
		rateLimitPerSecond: 1,
		safeToRepeat: true,
		errors: [],
		// GREEN-API's type field decides; an entry of the other journal's type is not this journal's.
		output: (_request, response) =>
			readJournal(response)
				.filter((entry) => entry.type === undefined || entry.type === type)
				.map((entry) => ({ ...entry, type })),
	};
}

/** The furthest back the trigger asks a journal for: GREEN-API's default, a day. */
export const MAX_JOURNAL_MINUTES = 1440;

/** GREEN-API: a message may show in a journal up to 2 minutes late. */
export const JOURNAL_LAG_S = 120;

/** GREEN-API: a journal holds the last 10,000 messages; an answer this long may have lost older ones. */
export const JOURNAL_CAP = 10000;

/** A journal answer as one item: the entries that can be placed, and how many GREEN-API listed. */
export interface JournalListing extends IDataObject {
	entries: JournalEntry[];
	/** Every entry of the answer, placeable or not: whether the journal came back full is judged on this. */
	listed: number;
}

/** The same call as `method`, its answer as one JournalListing (for telling a full journal). */
export function listingOf(method: MethodCall<JournalEntry>): MethodCall<JournalListing> {
	return {
		...method,
		output: (request, response, parameters) => [{ entries: method.output(request, response, parameters), listed: Array.isArray(response) ? response.length : 0 }],
	};
}
