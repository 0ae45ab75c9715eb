/**
 * The editor's list searches. `searchChats` fills Chat → From List: the instance's chats as Get
 * Many lists them (the same method description, transport and pacer as a run), filtered by what
 * the user types and handed out a page at a time, each showing name, ID and archive state.
 */
import { NodeOperationError, type IDataObject, type ILoadOptionsFunctions, type INodeListSearchItems, type INodeListSearchResult } from 'n8n-workflow';

import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './description';
import { toNodeError, unexpectedAnswerError } from './errors/nodeError';
import { getChats } from './methods/chat/getChats';
import { PHONE } from './methods/fields/chatId';
import { UnexpectedAnswer } from './methods/types';
import { callMethod, type GreenApiCredentials } from './transport/request';

const PAGE_SIZE = 100;
/** The editor waits for the list: after this long throttled, saying so beats a spinner. */
const MAX_THROTTLED_WAIT_MS = 10000;

interface ListedChat {
	chatId: string;
	name: string;
	archived: boolean;
}

async function searchChats(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const credentials = (await this.getCredentials('greenApi')) as unknown as GreenApiCredentials;
	const outcome = await callMethod(async (options) => await this.helpers.httpRequest(options), credentials, getChats, {}, {
		timeoutMs: DEFAULT_TIMEOUT_MS,
		maxRetries: DEFAULT_MAX_RETRIES,
		requestsPerSecond: getChats.rateLimitPerSecond,
		maxThrottledWaitMs: MAX_THROTTLED_WAIT_MS,
	});
	if ('error' in outcome) throw toNodeError(this.getNode(), outcome.error);
	let chats: IDataObject[];
	try {
		chats = getChats.output({}, outcome.response, { returnAll: true });
	} catch (error) {
		if (error instanceof UnexpectedAnswer) throw unexpectedAnswerError(this.getNode(), getChats.path, error.message);
		throw new NodeOperationError(this.getNode(), error as Error);
	}
	const matching = (chats as unknown as ListedChat[]).filter((chat) => matches(chat, filter ?? ''));
	const start = Number(paginationToken ?? 0) || 0;
	const page = matching.slice(start, start + PAGE_SIZE);
	return {
		results: page.map((chat): INodeListSearchItems => ({ name: label(chat), value: chat.chatId })),
		paginationToken: start + PAGE_SIZE < matching.length ? String(start + PAGE_SIZE) : undefined,
	};
}

/** "Anna Petrova — 79001234567@c.us", "(archived)" added for chats in the archive. */
function label(chat: ListedChat): string {
	const named = chat.name && chat.name !== chat.chatId ? `${chat.name} — ${chat.chatId}` : chat.chatId;
	return chat.archived ? `${named} (archived)` : named;
}

/**
 * Whether the chat's name or ID holds what the user typed, ignoring case; typed as a phone number
 * (+7 900 123…), its digits are looked for in the chat's number.
 */
function matches(chat: ListedChat, filter: string): boolean {
	const typed = filter.trim().toLowerCase();
	if (typed === '') return true;
	if (chat.name.toLowerCase().includes(typed) || chat.chatId.toLowerCase().includes(typed)) return true;
	const digits = typed.replace(/\D/g, '');
	return PHONE.test(typed) && digits !== '' && chat.chatId.split('@')[0].includes(digits);
}

export const listSearch = { searchChats };
