import { chatField } from '../../api/chatField';
import type { GreenApiMethod } from '../../api/types';
import { archiveStateErrors, ignoreAlreadyArchivedOption } from './archiveState';

export const archiveChat: GreenApiMethod = {
	resource: 'chat',
	operation: 'archive',
	name: 'Archive Chat',
	action: 'Archive a chat',
	description: 'Move a WhatsApp chat to the archive',
	path: 'archiveChat',
	httpMethod: 'POST',
	rateLimitPerSecond: 10,
	safeToRepeat: true,
	fields: [chatField],
	errors: archiveStateErrors('archived'),
	ignoreAlreadyInState: ignoreAlreadyArchivedOption,
	output: (request) => [{ chatId: request.chatId, archived: true }],
};
