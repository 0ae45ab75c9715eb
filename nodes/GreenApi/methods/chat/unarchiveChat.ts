import { chatIdField } from '../fields/chatId';
import type { GreenApiMethod } from '../types';
import { archiveStateErrors } from './archiveErrors';

export const unarchiveChat: GreenApiMethod = {
	resource: 'chat',
	operation: 'unarchive',
	name: 'Unarchive Chat',
	action: 'Unarchive a chat',
	description: 'Move a WhatsApp chat out of the archive',
	path: 'unarchiveChat',
	httpMethod: 'POST',
	rateLimitPerSecond: 10,
	fields: [chatIdField],
	errors: archiveStateErrors('unarchived'),
	alreadyInStateWord: 'unarchived',
	output: (request) => [{ chatId: request.chatId, archived: false }],
};
