/**
 * The editor's list searches. `searchChats` fills Chat → From List: the instance's chats as Get
 * Many lists them (the same method description, call path and pacer as a run), filtered by what
 * the user types and handed out a page at a time, each showing name, ID and archive state.
 */
import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { getChats, type ListedChat } from '../api/getChats';
import { unpaste } from '../chatInput/pastedText';
import { looksLikePhoneNumber } from '../chatInput/phoneNumber';
import { greenApiInstance } from '../transport/call';

const PAGE_SIZE = 100;
/** The editor waits for the list: after this long throttled, saying so beats a spinner. */
const MAX_THROTTLED_WAIT_MS = 10000;

async function searchChats(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const instance = greenApiInstance({
		node: this.getNode(),
		http: async (options) => await this.helpers.httpRequest(options),
		credentials: async () => await this.getCredentials('greenApi'),
	});
	const chats = await instance.call(getChats, {}, { settings: { maxThrottledWaitMs: MAX_THROTTLED_WAIT_MS } });
	const matching = chats.filter((chat) => matches(chat, filter ?? ''));
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
 * Whether the chat's name or ID holds what the user typed, ignoring case; typed (or pasted) as a
 * phone number (+7 900 123…), its digits are looked for in the chat's number.
 */
function matches(chat: ListedChat, filter: string): boolean {
	const typed = filter.trim().toLowerCase();
	if (typed === '') return true;
	if (chat.name.toLowerCase().includes(typed) || chat.chatId.toLowerCase().includes(typed)) return true;
	const number = unpaste(typed);
	const digits = number.replace(/\D/g, '');
	return looksLikePhoneNumber(number) && digits !== '' && chat.chatId.split('@')[0].includes(digits);
}

export const listSearch = { searchChats };
