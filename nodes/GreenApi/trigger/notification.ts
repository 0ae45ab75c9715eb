/**
 * A GREEN-API notification as one item with flat fields a person maps without reading GREEN-API's
 * docs; the notification as received stays under `notification`. Every kind becomes an item:
 * kinds this trigger does not know keep what can be read (event, instance, time, chat, the rest
 * empty), never dropped.
 */
import type { IDataObject } from 'n8n-workflow';

export interface NotificationItem extends IDataObject {
	/** GREEN-API's kind of notification (typeWebhook), e.g. incomingMessageReceived. */
	event: string;
	instanceId: string;
	/** When it happened, ISO 8601; null when the notification has no time. */
	timestamp: string | null;
	idMessage: string;
	chatId: string;
	/** user or group; empty for notifications about no chat. */
	chatType: string;
	sender: string;
	senderName: string;
	chatName: string;
	/** GREEN-API's kind of message (typeMessage), e.g. textMessage, imageMessage. */
	messageType: string;
	/** The one text of a message, whatever its kind: the text, a caption, the chosen button or list row, … */
	text: string;
	/** For files: where GREEN-API keeps it (the trigger downloads nothing), its name and type. */
	downloadUrl: string;
	fileName: string;
	mimeType: string;
	/** A sent message's status (sent, delivered, read, failed…), a call's (offer, pickUp, …) or the instance's state. */
	status: string;
	notification: IDataObject;
}

/** Where a message's text is, by typeMessage: a path in messageData. */
const TEXT_AT: Record<string, string[]> = {
	textMessage: ['textMessageData', 'textMessage'],
	extendedTextMessage: ['extendedTextMessageData', 'text'],
	quotedMessage: ['extendedTextMessageData', 'text'],
	reactionMessage: ['extendedTextMessageData', 'text'],
	imageMessage: ['fileMessageData', 'caption'],
	videoMessage: ['fileMessageData', 'caption'],
	documentMessage: ['fileMessageData', 'caption'],
	audioMessage: ['fileMessageData', 'caption'],
	stickerMessage: ['fileMessageData', 'caption'],
	buttonsResponseMessage: ['buttonsResponseMessage', 'selectedButtonText'],
	templateButtonsReplyMessage: ['templateButtonReplyMessage', 'selectedDisplayText'],
	templateButtonReplyMessage: ['templateButtonReplyMessage', 'selectedDisplayText'],
	listResponseMessage: ['listResponseMessage', 'title'],
	locationMessage: ['locationMessageData', 'nameLocation'],
	contactMessage: ['contactMessageData', 'displayName'],
	pollMessage: ['pollMessageData', 'name'],
	editedMessage: ['editedMessageData', 'textMessage'],
};
/** For kinds not in the table: the first of these found one level inside messageData. */
const TEXT_KEYS = ['textMessage', 'text', 'caption', 'selectedButtonText', 'selectedDisplayText', 'title'];

/** Whether `value` has the shape of a GREEN-API notification (a kind, and the instance it is for). */
export function isNotification(value: unknown): value is IDataObject {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const { typeWebhook, instanceData } = value as IDataObject;
	return typeof typeWebhook === 'string' && typeWebhook !== '' && typeof instanceData === 'object' && instanceData !== null && 'idInstance' in instanceData;
}

/** The instance a notification is for, as text. */
export function instanceOf(notification: IDataObject): string {
	return String((notification.instanceData as IDataObject).idInstance ?? '');
}

export function toItem(notification: IDataObject): NotificationItem {
	const senderData = objectAt(notification, ['senderData']);
	const messageData = objectAt(notification, ['messageData']);
	const file = objectAt(messageData, ['fileMessageData']);
	const messageType = text(messageData.typeMessage);
	const chatId = text(senderData.chatId) || text(notification.chatId) || text(notification.from);
	return {
		event: text(notification.typeWebhook),
		instanceId: instanceOf(notification),
		timestamp: isoTime(notification.timestamp),
		idMessage: text(notification.idMessage),
		chatId,
		chatType: chatId === '' ? '' : chatId.endsWith('@g.us') ? 'group' : 'user',
		sender: text(senderData.sender),
		senderName: text(senderData.senderName) || text(senderData.senderContactName),
		chatName: text(senderData.chatName),
		messageType,
		text: messageText(messageType, messageData),
		downloadUrl: text(file.downloadUrl),
		fileName: text(file.fileName),
		mimeType: text(file.mimeType),
		status: text(notification.status) || text(notification.stateInstance),
		notification,
	};
}

function messageText(messageType: string, messageData: IDataObject): string {
	const path = TEXT_AT[messageType];
	if (path) return text(objectAt(messageData, path.slice(0, -1))[path[path.length - 1]]);
	for (const nested of Object.values(messageData)) {
		if (typeof nested !== 'object' || nested === null) continue;
		const found = TEXT_KEYS.map((key) => text((nested as IDataObject)[key])).find(Boolean);
		if (found) return found;
	}
	return '';
}

function objectAt(value: IDataObject, path: string[]): IDataObject {
	let current: unknown = value;
	for (const key of path) current = typeof current === 'object' && current !== null ? (current as IDataObject)[key] : undefined;
	return typeof current === 'object' && current !== null && !Array.isArray(current) ? (current as IDataObject) : {};
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function isoTime(seconds: unknown): string | null {
	const value = typeof seconds === 'number' ? seconds : typeof seconds === 'string' && seconds.trim() !== '' ? Number(seconds) : NaN;
	return Number.isFinite(value) ? new Date(value * 1000).toISOString() : null;
}

/** The item with more fields, the notification as received kept last (where a person reads it least). */
export function withFields(item: NotificationItem, fields: IDataObject): NotificationItem {
	const { notification, ...flat } = item;
	return { ...flat, ...fields, notification } as NotificationItem;
}
