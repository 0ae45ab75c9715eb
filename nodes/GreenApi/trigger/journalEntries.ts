/**
 * GREEN-API's message journals (api/journals/) as the trigger reads them, for polling and for
 * Fetch Test Event: which journals the chosen events need, both read, and each entry made the
 * notification GREEN-API would have delivered, so that the same reading (notification.ts) gives
 * the same items; the journal entry is kept as `notification`.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import type { JournalEntry } from '../api/journals/journal';
import { lastIncomingMessages } from '../api/journals/lastIncomingMessages';
import { lastOutgoingMessages } from '../api/journals/lastOutgoingMessages';
import { isCallFailure } from '../transport/call';
import { POLLING } from './description';
import { EVENTS } from './events';
import { itemsFor } from './items';
import type { TriggerParameters } from './parameters';
import { triggerError, type Instance } from './instance';
import { text, type NotificationItem } from './notification';

export type Journal = JournalEntry['type'];

/** The events the journals hold, and which journal holds each (events.ts says). */
const JOURNAL_OF: Record<string, Journal> = Object.fromEntries(EVENTS.flatMap((event) => (event.journal ? [[event.value, event.journal]] : [])));

/**
 * The journals that hold the chosen events, for a poll or Fetch Test Event; a node error saying
 * what to choose when only statuses, calls or state changes are chosen (the journals hold messages
 * only). Under Receive By: Polling those never come, test or not; under Webhook they come once the
 * workflow is published, and only the test needs a message.
 */
export function journalsFor(node: INode, chosen: TriggerParameters): Set<Journal> {
	const journals = new Set(chosen.events.flatMap((event) => (JOURNAL_OF[event] ? [JOURNAL_OF[event]] : [])));
	if (journals.size > 0) return journals;
	if (chosen.receiveBy === POLLING) {
		throw triggerError(
			node,
			'Polling sees messages only: choose Incoming Message, Message Sent From the Phone or Message Sent Through the API.',
			"GREEN-API keeps journals of messages, which polling reads; statuses, calls and the instance's state come only by webhook (the GREEN-API Trigger).",
		);
	}
	throw triggerError(
		node,
		'Fetch Test Event shows a recent message: choose Incoming Message, Message Sent From the Phone or Message Sent Through the API.',
		"The test reads GREEN-API's message journals and writes nothing to the instance. Statuses, calls and the instance's state reach the trigger once the workflow is published.",
	);
}

/**
 * What the journals hold of the last `minutes`, both read (each 1 call, paced like every call);
 * 'starting' when the instance is restarting (after a settings write), any other failure thrown.
 */
export async function readJournals(instance: Instance, journals: Set<Journal>, minutes: number): Promise<JournalEntry[] | 'starting'> {
	const entries: JournalEntry[] = [];
	for (const [journal, method] of [
		['incoming', lastIncomingMessages],
		['outgoing', lastOutgoingMessages],
	] as const) {
		if (!journals.has(journal)) continue;
		const outcome = await instance.attempt(method, { minutes });
		if (isCallFailure(outcome)) {
			if (outcome.code === 'INSTANCE_STARTING') return 'starting';
			throw outcome.nodeError;
		}
		entries.push(...outcome.items);
	}
	return entries;
}

/** The items the entries start the workflow with: of the chosen events, through the filters, with the archive state. */
export async function itemsFromEntries(entries: JournalEntry[], chosen: TriggerParameters, instance: Instance): Promise<NotificationItem[]> {
	const items = await itemsFor(
		entries.map((entry) => asNotification(entry, instance.idInstance)),
		chosen,
		instance.archiveLookup,
		Date.now(),
	);
	return withEntries(items, entries);
}

/** The notification kind of a journal entry: a customer's message, or one sent from the phone or through the API. */
export function kindOf(entry: JournalEntry): string {
	if (entry.type === 'incoming') return 'incomingMessageReceived';
	return entry.sendByApi === true ? 'outgoingAPIMessageReceived' : 'outgoingMessageReceived';
}

/** What an entry is known by across polls: its journal and its message ID. */
export function entryKey(entry: JournalEntry): string {
	return `${entry.type}|${entry.idMessage}`;
}

/** The notification GREEN-API would have delivered for the entry, as far as the entry tells. */
export function asNotification(entry: JournalEntry, idInstance: string): IDataObject {
	const typeMessage = text(entry.typeMessage);
	const messageData: IDataObject = { typeMessage };
	if (text(entry.downloadUrl)) {
		messageData.fileMessageData = { downloadUrl: entry.downloadUrl, caption: text(entry.caption), fileName: text(entry.fileName), mimeType: text(entry.mimeType) };
	} else if (typeMessage === 'extendedTextMessage' || typeMessage === 'quotedMessage') {
		const extended = (entry.extendedTextMessage ?? {}) as IDataObject;
		messageData.extendedTextMessageData = { text: text(extended.text) || text(entry.textMessage) };
	} else {
		messageData.textMessageData = { textMessage: text(entry.textMessage) || text(entry.caption) };
	}
	const sender = entry.type === 'incoming' ? text(entry.senderId) || entry.chatId : '';
	return {
		typeWebhook: kindOf(entry),
		instanceData: { idInstance },
		timestamp: entry.timestamp,
		idMessage: entry.idMessage,
		senderData: { chatId: entry.chatId, chatName: text(entry.chatName), sender, senderName: text(entry.senderName), senderContactName: text(entry.senderContactName) },
		messageData,
		...(entry.type === 'outgoing' ? { status: text(entry.statusMessage) } : {}),
	};
}

/** The items made from entries, each with the journal entry as it came under `notification`. */
function withEntries(items: NotificationItem[], entries: JournalEntry[]): NotificationItem[] {
	const byKey = new Map(entries.map((entry) => [`${kindOf(entry)}|${entry.idMessage}`, entry]));
	return items.map((item) => {
		const entry = byKey.get(`${item.event}|${item.idMessage}`);
		// `notification` stays the last key: replacing a key keeps its place.
		return entry ? { ...item, notification: entry } : item;
	});
}
