/**
 * A GREEN-API notification as one item with flat fields a person maps without reading GREEN-API's
 * docs; the notification as received stays under `notification`. Every kind becomes an item:
 * kinds this trigger does not know keep what can be read (event, instance, time, chat, the rest
 * empty), never dropped. A notification that cannot be read in full (no kind, no instance, a time
 * no date can hold) still becomes an item, with `problem` saying what was wrong: a delivery is
 * never refused for its content, or GREEN-API would resend it for a day.
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
	/** Only on a notification that could not be read in full: what was wrong with it. */
	problem?: string;
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

/** The instance a notification says it is for, as text; empty when it names none. */
export function notifiedInstance(notification: IDataObject): string {
	return text(objectAt(notification, ['instanceData']).idInstance);
}

export function toItem(notification: IDataObject): NotificationItem {
	const senderData = objectAt(notification, ['senderData']);
	const messageData = objectAt(notification, ['messageData']);
	const file = objectAt(messageData, ['fileMessageData']);
	const messageType = text(messageData.typeMessage);
	const chatId = text(senderData.chatId) || text(notification.chatId) || text(notification.from);
	const timestamp = isoTime(notification.timestamp);
	const problems = [
		text(notification.typeWebhook) === '' && 'it names no kind (typeWebhook)',
		notifiedInstance(notification) === '' && 'it names no instance (instanceData.idInstance)',
		notification.timestamp !== undefined && timestamp === null && `its timestamp ${JSON.stringify(notification.timestamp)} is no time`,
	].filter((problem): problem is string => typeof problem === 'string');
	return {
		event: text(notification.typeWebhook),
		instanceId: notifiedInstance(notification),
		timestamp,
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
		...(problems.length ? { problem: `The notification could not be read in full: ${problems.join('; ')}.` } : {}),
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

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(value: IDataObject, path: string[]): IDataObject {
	let current: unknown = value;
	for (const key of path) current = isObject(current) ? current[key] : undefined;
	return isObject(current) ? current : {};
}

/** A field as text: a string as it is, a number as its digits (GREEN-API sends idInstance as a number), anything else ''. */
export function text(value: unknown): string {
	return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** Unix seconds as ISO 8601; null for no time, or one no date can hold (±8.64e12 s, as JavaScript's dates reach). */
function isoTime(seconds: unknown): string | null {
	const value = typeof seconds === 'number' ? seconds : typeof seconds === 'string' && seconds.trim() !== '' ? Number(seconds) : NaN;
	const date = new Date(value * 1000);
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The item with more fields, the notification as received kept last (where a person reads it least). */
export function withFields(item: NotificationItem, fields: IDataObject): NotificationItem {
	const { notification, ...flat } = item;
	return { ...flat, ...fields, notification } as NotificationItem;
}
