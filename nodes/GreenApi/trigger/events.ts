/**
 * The events the trigger offers, once: how the editor names each, which notification kinds
 * (typeWebhook) it covers, and which instance settings switch GREEN-API needs on to send it.
 */

export interface TriggerEvent {
	/** The value the Events parameter stores. */
	value: string;
	name: string;
	description: string;
	/** GREEN-API's typeWebhook of the notifications this event is. */
	kinds: string[];
	/** Settings that must be "yes" for GREEN-API to send them. */
	switches: string[];
	/** Whether its notifications are messages in a chat (they carry a chat, a sender and an archive state). */
	message: boolean;
	/** GREEN-API's message journal that holds it too (lastIncomingMessages / lastOutgoingMessages): what polling and Fetch Test Event read. */
	journal?: 'incoming' | 'outgoing';
}

export const EVENTS: TriggerEvent[] = [
	{
		value: 'incomingMessage',
		name: 'Incoming Message',
		description: 'A customer wrote: text, media, location, contact, a reply to buttons or a list, …',
		kinds: ['incomingMessageReceived'],
		switches: ['incomingWebhook'],
		message: true,
		journal: 'incoming',
	},
	{
		value: 'messageFromPhone',
		name: 'Message Sent From the Phone',
		description: 'A message sent from WhatsApp on the phone (or WhatsApp Web)',
		kinds: ['outgoingMessageReceived'],
		switches: ['outgoingMessageWebhook'],
		message: true,
		journal: 'outgoing',
	},
	{
		value: 'messageFromApi',
		name: 'Message Sent Through the API',
		description: 'A message sent through GREEN-API (by this or another workflow or program)',
		kinds: ['outgoingAPIMessageReceived'],
		switches: ['outgoingAPIMessageWebhook'],
		message: true,
		journal: 'outgoing',
	},
	{
		value: 'messageStatus',
		name: 'Outgoing Message Status',
		description: 'A sent message was delivered, read, or failed',
		kinds: ['outgoingMessageStatus'],
		switches: ['outgoingWebhook'],
		message: false,
	},
	{
		value: 'incomingCall',
		name: 'Incoming Call',
		description: 'Someone calls the WhatsApp number',
		kinds: ['incomingCall'],
		// GREEN-API sends calls only with incoming notifications on as well.
		switches: ['incomingWebhook', 'incomingCallWebhook'],
		message: false,
	},
	{
		value: 'stateChange',
		name: 'Instance State Change',
		description: 'The instance was authorized, logged out, blocked, went to sleep, …',
		kinds: ['stateInstanceChanged'],
		switches: ['stateWebhook'],
		message: false,
	},
	{
		value: 'other',
		name: 'Other Notifications',
		description:
			'Every notification of a kind none of the events above covers (GREEN-API adds kinds, e.g. incomingBlock), or that names no kind: as it came, with what could be read. Such notifications never pass a chat filter or Only Chats in the Archive.',
		// Matched by elimination, in eventOf.
		kinds: [],
		// Which switches such kinds need is not known; the instance sends them with whatever is on.
		switches: [],
		message: false,
	},
];

export const DEFAULT_EVENTS = ['incomingMessage'];

/** The event of notifications of kinds the other events do not cover. */
export const OTHER_EVENT = EVENTS[EVENTS.length - 1];

/** The event a notification kind belongs to: Other Notifications for kinds no other event covers. */
export function eventOf(kind: string): TriggerEvent {
	return EVENTS.find((event) => event.kinds.includes(kind)) ?? OTHER_EVENT;
}

/** The switches the chosen events need on, each once. */
export function switchesFor(values: string[]): string[] {
	return [...new Set(EVENTS.filter((event) => values.includes(event.value)).flatMap((event) => event.switches))];
}
