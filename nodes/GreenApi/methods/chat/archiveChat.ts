import { chatIdField } from '../fields/chatId';
import type { GreenApiMethod } from '../types';
import { archiveStateErrors } from './archiveErrors';

export const archiveChat: GreenApiMethod = {
	resource: 'chat',
	operation: 'archive',
	name: 'Archive Chat',
	action: 'Archive a chat',
	description: 'Move a WhatsApp chat to the archive',
	path: 'archiveChat',
	httpMethod: 'POST',
	rateLimitPerSecond: 10,
	fields: [chatIdField],
	errors: archiveStateErrors('archived'),
	alreadyInStateWord: 'archived',
	output: (request) => [{ chatId: request.chatId, archived: true }],
};
