/**
 * What the trigger does with notifications, however they arrived: reads its parameters, turns
 * each notification into an item, keeps those of the chosen events that pass the filters, and
 * adds each message's archive state.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import type { ArchiveLookup, ArchiveState } from './archiveLookup';
import { eventOf, OTHER_EVENT } from './events';
import { triggerError } from './instance';
import { filtering, passesArchiveFilter, passesChatFilters, readChatList, type Filters } from './filters';
import { toItem, withFields, type NotificationItem } from './notification';

/** The GREEN-API Polling Trigger's node name: a node of that type polls, whatever its parameters say. */
export const POLLING_TRIGGER = 'greenApiPollingTrigger';

export interface TriggerParameters {
	receiveBy: string;
	events: string[];
	filters: Filters;
	replaceWebhookUrl: boolean;
	/** Options → Add Archive State: messages carry `archived` (a chat list is read for it). */
	addArchiveState: boolean;
}

/** n8n's getNodeParameter as a trigger's functions offer it. */
export type ParameterReader = (name: string, fallback?: unknown) => unknown;

/** The trigger's parameters, checked; or what is wrong with them. */
function readTriggerParameters(get: ParameterReader, way: string): TriggerParameters | { problem: string; hint: string } {
	const filters = (get('filters', {}) ?? {}) as IDataObject;
	const options = (get('options', {}) ?? {}) as IDataObject;
	const chats = readChatList(String(filters.chats ?? ''), typeof options.defaultCountry === 'string' ? options.defaultCountry : '');
	if ('problem' in chats) return chats;
	const chatType = filters.chatType === 'user' || filters.chatType === 'group' ? filters.chatType : 'all';
	const events = get('events', []);
	if (!Array.isArray(events) || events.length === 0) return { problem: 'Events: choose at least one event', hint: 'Incoming Message is the usual one.' };
	return {
		// Versions 1 and 2 of the GREEN-API Trigger choose (Receive By); the other triggers are one way.
		receiveBy: String(get('receiveBy', way)),
		events: events.map(String),
		filters: { chatType, chats: chats.chats, onlyArchived: filters.onlyArchived === true },
		replaceWebhookUrl: options.replaceWebhookUrl === true,
		addArchiveState: options.addArchiveState !== false,
	};
}

/** The trigger's parameters as n8n's hook, webhook or poll functions give them; a node error saying what is wrong with them. */
export function triggerParameters(functions: { getNode(): INode; getNodeParameter(name: string, fallback?: unknown): unknown }): TriggerParameters {
	const way = functions.getNode().type.endsWith(`.${POLLING_TRIGGER}`) ? 'polling' : 'webhook';
	const read = readTriggerParameters((name, fallback) => functions.getNodeParameter(name, fallback), way);
	if ('problem' in read) throw triggerError(functions.getNode(), read.problem, read.hint);
	return read;
}

/**
 * The items the notifications start the workflow with, in their order: of the chosen events,
 * passing the filters; messages with `archived`. A notification of a kind no event covers comes
 * only with Other Notifications chosen, and never through a filter: nothing says it is about a
 * chat that filter would let through.
 */
export async function itemsFor(notifications: IDataObject[], parameters: TriggerParameters, lookup: ArchiveLookup, arrivedAt: number): Promise<NotificationItem[]> {
	const chosen = notifications.map(toItem).filter((item) => {
		const event = eventOf(item.event);
		if (!parameters.events.includes(event.value)) return false;
		// Nothing places it in a chat: an unknown kind, or a message that names no chat.
		if (event === OTHER_EVENT || (event.message && item.chatId === '')) return !filtering(parameters.filters);
		return passesChatFilters(item, parameters.filters);
	});
	const { onlyArchived } = parameters.filters;
	const messages = chosen.filter((item) => eventOf(item.event).message);
	// The chat list is read only when the archive state is wanted: in the items, or to filter by it.
	if (messages.length === 0 || !(parameters.addArchiveState || onlyArchived)) return chosen;
	const chatIds = [...new Set(messages.map((item) => item.chatId).filter(Boolean))];
	const states = chatIds.length ? await lookup(chatIds, arrivedAt, onlyArchived) : new Map<string, ArchiveState>();
	return chosen.flatMap((item) => {
		if (!messages.includes(item)) return [item];
		const state = states.get(item.chatId) ?? { archived: null, archiveLookupError: 'the message names no chat' };
		return passesArchiveFilter(state.archived, parameters.filters) ? [withFields(item, state)] : [];
	});
}
