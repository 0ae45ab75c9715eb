/**
 * The trigger's parameters, read and checked in one place for every way in (activation, webhook,
 * poll, test event), and which way in a node takes.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import type { Filters } from './filters';
import { parseChatFilter } from './filters';
import { triggerError } from './instance';

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
	const chats = parseChatFilter(String(filters.chats ?? ''), typeof options.defaultCountry === 'string' ? options.defaultCountry : '');
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
