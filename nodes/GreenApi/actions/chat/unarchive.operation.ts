import { chatField } from '../../api/chatField';
import type { GreenApiMethod } from '../../api/types';
import { archiveStateErrors, ignoreAlreadyArchivedOption } from './archiveState';

export const unarchiveChat: GreenApiMethod = {
	resource: 'chat',
	operation: 'unarchive',
	name: 'Unarchive Chat',
	action: 'Unarchive a chat',
	description: 'Move a WhatsApp chat out of the archive',
	path: 'unarchiveChat',
	httpMethod: 'POST',
	rateLimitPerSecond: 10,
	safeToRepeat: true,
	fields: [chatField],
	errors: archiveStateErrors('unarchived'),
	ignoreAlreadyInState: ignoreAlreadyArchivedOption,
	output: (request) => [{ chatId: request.chatId, archived: false }],
};
