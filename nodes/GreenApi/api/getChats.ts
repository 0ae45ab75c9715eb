/**
 * getChats as GREEN-API answers it: every chat of the instance with its archive state, most
 * recently active first (GREEN-API refreshes that order at most once a minute). The method's own
 * `count` takes the newest chats before any filter, so it is never sent. The trigger's archive
 * look-up, the chat picker and Get Many (actions/chat/getAll.operation.ts) all read this one list.
 */
import type { IDataObject } from 'n8n-workflow';

import { UnexpectedAnswer, type MethodCall } from './types';

/** A chat with its archive state, as every reader of the list gets it. */
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

export const getChats: MethodCall<ListedChat> = {
	path: 'getChats',
	httpMethod: 'GET',
	// Not in GREEN-API's table of limits; its other listing methods allow 1 per second.
	rateLimitPerSecond: 1,
	safeToRepeat: true,
	errors: [],
	output: (_request, response) => {
		if (!Array.isArray(response) || !response.every(isChat)) throw new UnexpectedAnswer('expected a list of chats');
		return response.map((chat) => ({ chatId: chat.id, name: chat.name ?? '', type: chat.type ?? (chat.id.endsWith('@g.us') ? 'group' : 'user'), archived: chat.archive === true }));
	},
};
