/**
 * A journal entry (api/journals/) as a notification, so that polling and webhooks make the same
 * items through the same reading (notification.ts), the journal entry kept as `notification`.
 */
import type { IDataObject } from 'n8n-workflow';

import type { JournalEntry } from '../api/journals/journal';
import type { NotificationItem } from './notification';

/** The notification kind of a journal entry: a customer's message, or one sent from the phone or through the API. */
export function kindOf(entry: JournalEntry): string {
	if (entry.type === 'incoming') return 'incomingMessageReceived';
	return entry.sendByApi === true ? 'outgoingAPIMessageReceived' : 'outgoingMessageReceived';
}

/** What an entry is known by across polls: its journal and its message ID. */
export function entryKey(entry: JournalEntry): string {
	return `${entry.type}|${entry.idMessage}`;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

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
export function withEntries(items: NotificationItem[], entries: JournalEntry[]): NotificationItem[] {
	const byKey = new Map(entries.map((entry) => [`${kindOf(entry)}|${entry.idMessage}`, entry]));
	return items.map((item) => {
		const entry = byKey.get(`${item.event}|${item.idMessage}`);
		// `notification` stays the last key: replacing a key keeps its place.
		return entry ? { ...item, notification: entry } : item;
	});
}
