/**
 * What archiveChat and its mirror unarchiveChat share: the errors GREEN-API documents for them
 * (unarchiveChat answers in the same words, its "already" text saying archive=false), and the
 * option that counts "already archived / not archived" as success.
 */
import type { INodeProperties } from 'n8n-workflow';

import { chatIdOf, type DocumentedError } from '../../errors/catalogue';
import { invalidChatId } from '../../api/chatIdErrors';

/** Options → Ignore Already Archived/Unarchived. Its name is what saved workflows hold. */
export const ignoreAlreadyArchivedOption: INodeProperties = {
	displayName: 'Ignore Already Archived/Unarchived',
	name: 'ignoreAlreadyArchived',
	type: 'boolean',
	default: false,
	description: 'Whether a chat that is already in the requested state (already archived for Archive, not archived for Unarchive) counts as success, marked alreadyInState: true, instead of an error',
};

export function archiveStateErrors(target: 'archived' | 'unarchived'): DocumentedError[] {
	const archiveFlag = target === 'archived' ? 'true' : 'false';
	return [
		{
			code: target === 'archived' ? 'ALREADY_ARCHIVED' : 'ALREADY_UNARCHIVED',
			status: 400,
			match: new RegExp(`already archive=${archiveFlag}`, 'i'),
			says: `ArchiveChatError: chat with id 71234567890@c.us already archive=${archiveFlag}`,
			message: (c) => `Chat ${chatIdOf(c.request)} is already ${target}.`,
			hint: `Turn on Options → ${ignoreAlreadyArchivedOption.displayName} to count this as success.`,
			alreadyInState: true,
		},
		{
			code: 'NO_MESSAGES_IN_CHAT',
			status: 400,
			match: /last message not found/i,
			says: 'ArchiveChatError: cannot archive chat cause last message not found in chat',
			message: (c) => `Chat ${chatIdOf(c.request)} has no messages, or the chat ID is wrong.`,
			hint: 'Only chats with at least one incoming message can be archived. Check the number, and that the instance setting "Receive webhooks on incoming messages and files" is on (GREEN-API must see incoming messages).',
		},
		{
			code: 'CHAT_NOT_FOUND',
			status: 400,
			match: /chat with id .* not found/i,
			says: 'ArchiveChatError: chat with id 71234567890@c.us not found',
			message: (c) => `Chat ${chatIdOf(c.request)} is not among the contacts of this WhatsApp account.`,
			hint: 'Check the number or chat ID; the account must have a chat with this contact.',
		},
		{
			code: 'EMPTY_REQUEST',
			status: 400,
			match: /must have at least 1 key/i,
			says: "Validation failed. Details: 'value' must have at least 1 key",
			message: 'GREEN-API received no chat ID in the request.',
			hint: 'This should not happen with this node: please report it with the input item.',
		},
		// Last: the service's other texts also say "Validation failed".
		invalidChatId,
	];
}
