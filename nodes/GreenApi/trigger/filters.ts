/**
 * The trigger's filters: by chat type, by chat (IDs or phone numbers, read by the same chat rules
 * as the action node's Chat, Default Country included), and "only chats in the archive".
 */
import { parseChatInput } from '../chatInput/chatId';
import type { NotificationItem } from './notification';

export interface Filters {
	chatType: 'all' | 'user' | 'group';
	/** Chat IDs as GREEN-API writes them; empty for every chat. */
	chats: Set<string>;
	onlyArchived: boolean;
}

/** What the user wrote in Filters → Chats: one chat per line or between commas or semicolons. */
export function parseChatFilter(text: string, defaultCountry: string): { chats: Set<string> } | { problem: string; hint: string } {
	const chats = new Set<string>();
	for (const entry of text
		.split(/[\n,;]+/)
		.map((part) => part.trim())
		.filter(Boolean)) {
		const reading = parseChatInput(entry, defaultCountry);
		if ('problem' in reading) {
			// The chat rules quote the value themselves when they say what it is not.
			const problem = reading.problem.startsWith('"') ? reading.problem : `"${entry}" ${reading.problem}`;
			return { problem: `Filters → Chats: ${problem}`, hint: reading.hint };
		}
		chats.add(reading.chatId);
	}
	return { chats };
}

/** Whether any filter is set: a notification the trigger cannot place (an unknown kind) passes none. */
export function filtering(filters: Filters): boolean {
	return filters.chatType !== 'all' || filters.chats.size > 0 || filters.onlyArchived;
}

/** Whether a notification's chat passes the chat-type and chat filters (notifications about no chat always do). */
export function passesChatFilters(item: NotificationItem, filters: Filters): boolean {
	if (item.chatId === '') return true;
	if (filters.chatType !== 'all' && item.chatType !== filters.chatType) return false;
	return filters.chats.size === 0 || filters.chats.has(item.chatId);
}

/** With "only chats in the archive": a message whose chat is known not to be archived starts nothing; unknown (null) passes. */
export function passesArchiveFilter(archived: boolean | null, filters: Filters): boolean {
	return !filters.onlyArchived || archived !== false;
}
