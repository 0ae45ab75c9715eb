/**
 * Mark as Read (readChat): marks a chat's messages read (the unread badge on the phone goes), or those up to one
 * message. What CRM closing flows do next to Archive. Marking read twice changes nothing.
 */
import { chatField } from '../../api/chatField';
import { MESSAGE_ID, textField } from '../../api/fields';
import { UnexpectedAnswer, type GreenApiMethod } from '../../api/types';
import { invalidChatId } from '../../api/chatIdErrors';

export const markChatAsRead: GreenApiMethod = {
	resource: 'chat',
	operation: 'markAsRead',
	name: 'Mark as Read',
	action: 'Mark a chat as read',
	description: "Mark a chat's messages as read, all of them or those up to one message",
	path: 'readChat',
	httpMethod: 'POST',
	rateLimitPerSecond: 10,
	safeToRepeat: true,
	fields: [
		chatField,
		textField({
			name: 'idMessage',
			displayName: 'Up to Message ID',
			description: "The ID of an incoming message (idMessage in the trigger's output): it and every message before it are marked read. Empty marks every unread message of the chat.",
			required: false,
			placeholder: 'e.g. BAE5F4886F6F2D05',
			pattern: MESSAGE_ID,
		}),
	],
	errors: [invalidChatId],
	output: (request, response) => {
		const setRead = (response as { setRead?: unknown } | undefined)?.setRead;
		if (typeof setRead !== 'boolean') throw new UnexpectedAnswer('expected { "setRead": true or false }');
		return [{ chatId: request.chatId, ...(request.idMessage === undefined ? {} : { idMessage: request.idMessage }), read: setRead }];
	},
};
