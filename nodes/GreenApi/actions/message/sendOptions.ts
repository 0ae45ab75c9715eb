/**
 * What every send method shares: the options GREEN-API takes with a message (Reply To Message ID,
 * Link Preview, Typing Time, where each applies), the refusals it documents for sends, and the
 * item a sent message becomes. Sends are not safe to repeat: GREEN-API takes no request ID, so the
 * same request twice is two messages (the transport resends only what certainly did not arrive).
 */
import type { INodeProperties } from 'n8n-workflow';

import { chatIdOf, type DocumentedError } from '../../errors/catalogue';
import { invalidChatId } from '../../api/chatIdErrors';
import { booleanField, MESSAGE_ID, numberField, textField } from '../../api/fields';
import { UnexpectedAnswer, type FieldSpec, type RequestFields } from '../../api/types';

/** Documented per-instance limit of each send method. */
export const SEND_RATE_LIMIT = 50;

export const quotedMessageIdOption: FieldSpec = {
	...textField({
		name: 'quotedMessageId',
		displayName: 'Reply To Message ID',
		description: "The ID of a message of the same chat to reply to, for instance the trigger's idMessage; GREEN-API must know it",
		required: false,
		placeholder: 'e.g. BAE5F4886F6F2D05',
		pattern: MESSAGE_ID,
	}),
	inOptions: true,
};

export const linkPreviewOption: FieldSpec = {
	...booleanField({ name: 'linkPreview', displayName: 'Link Preview', description: 'Whether a link in the text shows a preview (GREEN-API shows one when this is not set)', required: false, default: true }),
	inOptions: true,
};

export const typingTimeOption: FieldSpec = {
	...numberField({
		name: 'typingTime',
		displayName: 'Typing Time (Ms)',
		description: 'How long the chat shows "typing…" before the message, 1,000 to 20,000 ms; it overrides the instance\'s own typing setting',
		required: false,
		default: 3000,
		min: 1000,
		max: 20000,
		whole: true,
	}),
	inOptions: true,
};

/**
 * Refusals of a send's content. GREEN-API says "Validation failed. Details: …" for any field, so
 * the details are passed on (a bare "Validation failed" is the chat ID's, below).
 */
export const SEND_ERRORS: DocumentedError[] = [
	{
		code: 'VALIDATION_FAILED',
		status: 400,
		match: /validation failed\. details:/i,
		says: "Validation failed. Details: 'message' length must be less than or equal to 20000 characters long",
		message: (c) => `GREEN-API refused the message to ${chatIdOf(c.request)}: ${c.serviceText.replace(/^.*?validation failed\. details:\s*/i, '')}`,
		hint: 'Nothing was sent. Fix the field GREEN-API names and run the item again.',
	},
	invalidChatId,
];

/** A sent message's item: the chat, GREEN-API's idMessage, `sent: true`. */
export function sentItem(request: RequestFields, response: unknown): { chatId: string; idMessage: string; sent: true } {
	const idMessage = (response as { idMessage?: unknown } | undefined)?.idMessage;
	if (typeof idMessage !== 'string' || idMessage === '') throw new UnexpectedAnswer('expected { "idMessage": "…" }');
	return { chatId: String(request.chatId), idMessage, sent: true };
}

/** Options → Send Once Per Key (actions/sendOnce.ts does it). Its name is what saved workflows hold. */
export const sendOnceKeyOption: INodeProperties = {
	displayName: 'Send Once Per Key',
	name: 'sendOnceKey',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.dealId }}-thanks',
	description: "A key for this message, such as the deal's ID: a key already sent from this node is not sent again (the item comes out with sent: false), across runs, retries and re-runs. Empty: no check.",
};
