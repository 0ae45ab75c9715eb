/**
 * readChat: marks a chat's messages read (the unread badge on the phone goes), or those up to one
 * message. What CRM closing flows do next to Archive. Marking read twice changes nothing.
 */
import { chatField } from '../chatField';
import { textField } from '../fields';
import { UnexpectedAnswer, type GreenApiMethod } from '../types';
import { invalidChatId } from './chatIdErrors';

/** Message IDs as GREEN-API gives them: hex or digits, no spaces or slashes. */
const MESSAGE_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export const readChat: GreenApiMethod = {
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
			description:
				'The ID of an incoming message (idMessage in the trigger\'s output): it and every message before it are marked read. Empty marks every unread message of the chat.',
			required: false,
			placeholder: 'e.g. BAE5F4886F6F2D05',
			pattern: { test: MESSAGE_ID, says: 'is not a GREEN-API message ID (letters and digits, as idMessage in the trigger\'s output)' },
		}),
	],
	errors: [invalidChatId],
	output: (request, response) => {
		const setRead = (response as { setRead?: unknown } | undefined)?.setRead;
		if (typeof setRead !== 'boolean') throw new UnexpectedAnswer('expected { "setRead": true or false }');
		return [{ chatId: request.chatId, ...(request.idMessage === undefined ? {} : { idMessage: request.idMessage }), read: setRead }];
	},
};
