/**
 * getChats: every chat of the instance with its archive state, most recently active first
 * (GREEN-API refreshes that order at most once a minute). The answer is filtered and cut here:
 * the method's own `count` takes the newest chats before any filter, so it is not sent.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { CHAT_TYPE_OPTIONS } from '../chatField';
import { UnexpectedAnswer, type GreenApiMethod } from '../types';

const outputParameters: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Archived',
				name: 'archived',
				type: 'options',
				options: [
					{ name: 'All', value: 'all' },
					{ name: 'Archived Only', value: 'archived' },
					{ name: 'Not Archived', value: 'notArchived' },
				],
				default: 'all',
				description: 'Which chats to return by archive state',
			},
			{
				displayName: 'Type',
				name: 'type',
				type: 'options',
				options: CHAT_TYPE_OPTIONS,
				default: 'all',
				description: 'Which chats to return by kind',
			},
		],
	},
];

/** One output item: a chat with its archive state. */
export interface ListedChat extends IDataObject {
	chatId: string;
	name: string;
	type: string;
	archived: boolean;
}

/** A chat as getChats answers it. */
interface Chat {
	id: string;
	name?: string;
	type?: string;
	archive?: boolean;
}

function isChat(value: unknown): value is Chat {
	return typeof value === 'object' && value !== null && typeof (value as Chat).id === 'string';
}

export const getChats: GreenApiMethod<ListedChat> = {
	resource: 'chat',
	operation: 'getAll',
	name: 'Get Many',
	action: 'Get many chats',
	description: 'List the chats of the instance with their archive state',
	path: 'getChats',
	httpMethod: 'GET',
	// Not in GREEN-API's table of limits; its other listing methods allow 1 per second.
	rateLimitPerSecond: 1,
	safeToRepeat: true,
	fields: [],
	outputParameters,
	errors: [],
	output: (_request, response, parameters) => {
		if (!Array.isArray(response) || !response.every(isChat)) throw new UnexpectedAnswer('expected a list of chats');
		const filters = (parameters.filters ?? {}) as IDataObject;
		const archived = filters.archived ?? 'all';
		const type = filters.type ?? 'all';
		const chats = response
			.map((chat): ListedChat => ({ chatId: chat.id, name: chat.name ?? '', type: chat.type ?? (chat.id.endsWith('@g.us') ? 'group' : 'user'), archived: chat.archive === true }))
			.filter((chat) => archived === 'all' || chat.archived === (archived === 'archived'))
			.filter((chat) => type === 'all' || chat.type === type);
		return parameters.returnAll === true ? chats : chats.slice(0, Number(parameters.limit ?? 50));
	},
};
