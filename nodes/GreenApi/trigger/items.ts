/**
 * The items notifications start the workflow with, however they arrived (webhook, poll, test
 * event): of the chosen events, passing the filters, messages with their archive state.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ArchiveLookup, ArchiveState } from './archiveLookup';
import { eventOf, OTHER_EVENT } from './events';
import { filtering, passesArchiveFilter, passesChatFilters } from './filters';
import { toItem, withFields, type NotificationItem } from './notification';
import type { TriggerParameters } from './parameters';

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
