/** sendMessage: a text message to a chat (Message → Send Text). */
import { chatField } from '../../api/chatField';
import { textField } from '../../api/fields';
import type { GreenApiMethod } from '../../api/types';
import { linkPreviewOption, quotedMessageIdOption, SEND_ERRORS, SEND_RATE_LIMIT, sendOnceKeyOption, sentItem, typingTimeOption } from './sendOptions';

export const MAX_TEXT_LENGTH = 20000;

const text = textField({
	name: 'text',
	displayName: 'Text',
	description: 'The message, as it is to arrive (spaces and line breaks kept); WhatsApp formatting such as *bold* works',
	required: true,
	maxLength: MAX_TEXT_LENGTH,
});

export const sendText: GreenApiMethod = {
	resource: 'message',
	operation: 'sendText',
	name: 'Send Text',
	action: 'Send a text message',
	description: 'Send a text message to a chat',
	path: 'sendMessage',
	httpMethod: 'POST',
	rateLimitPerSecond: SEND_RATE_LIMIT,
	safeToRepeat: false,
	fields: [
		chatField,
		{
			...text,
			property: { ...text.property, typeOptions: { rows: 4 } },
			// GREEN-API's name for it; the parameter's name is what saved workflows hold.
			requestName: 'message',
		},
		quotedMessageIdOption,
		linkPreviewOption,
		typingTimeOption,
	],
	errors: SEND_ERRORS,
	onceKey: sendOnceKeyOption,
	output: (request, response) => [sentItem(request, response)],
};
