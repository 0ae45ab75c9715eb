/**
 * The Chat ID field: a WhatsApp chat id as GREEN-API wants it, or a phone number a CRM holds.
 * Checked and normalised before any request, because the service answers a boolean with a 500
 * crash and a number above 2^53 has already lost digits (group ids are that long).
 */
import { FieldError, type FieldSpec } from '../types';

/** Accepted as they are: personal, group (old and new form) and linked-device ids. */
const CHAT_ID = /^(\d+@c\.us|\d+@g\.us|\d+-\d+@g\.us|\d+@lid)$/;
/** A phone number with an optional leading +, and spaces, brackets or dashes between digits. */
const PHONE = /^\+?[\d\s()-]+$/;
/** E.164: at most 15 digits; shorter than 7 is no international number. */
const PHONE_DIGITS = { min: 7, max: 15 };

const FORMAT_HINT =
	'Use a chat ID such as 79001234567@c.us (person) or 120363043968066561@g.us (group), or an international phone number such as +7 (900) 123-45-67.';

export function normaliseChatId(value: unknown): string {
	if (typeof value !== 'string') {
		throw new FieldError(`must be text, but is ${describe(value)}`, typeHint(value));
	}
	const chatId = value.trim();
	if (chatId === '') throw new FieldError('is empty', FORMAT_HINT);
	if (CHAT_ID.test(chatId)) return chatId;
	if (PHONE.test(chatId)) {
		const digits = chatId.replace(/\D/g, '');
		if (digits.length >= PHONE_DIGITS.min && digits.length <= PHONE_DIGITS.max) {
			return `${digits}@c.us`;
		}
		throw new FieldError(
			`"${chatId}" has ${digits.length} digits; an international phone number has ${PHONE_DIGITS.min} to ${PHONE_DIGITS.max}`,
			'Write the number with its country code (e.g. +7 (900) 123-45-67), or give the chat ID (e.g. 79001234567@c.us).',
		);
	}
	throw new FieldError(`"${clip(chatId)}" is neither a chat ID nor a phone number`, FORMAT_HINT);
}

function describe(value: unknown): string {
	if (value === null || value === undefined) return 'empty';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	return `the ${typeof value} ${clip(String(value))}`;
}

function typeHint(value: unknown): string {
	return typeof value === 'number'
		? 'Map it as text, e.g. {{ String($json.phone) }}: numbers lose digits beyond 15 and group IDs are longer than that. ' + FORMAT_HINT
		: FORMAT_HINT;
}

function clip(text: string): string {
	return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

export const chatIdField: FieldSpec = {
	property: {
		displayName: 'Chat ID',
		name: 'chatId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 79001234567@c.us or +7 (900) 123-45-67',
		description:
			'The WhatsApp chat: a chat ID (79001234567@c.us for a person, 120363043968066561@g.us for a group, or a …@lid ID from a webhook), or the person\'s international phone number',
		hint: 'A phone number works too: +, spaces, brackets and dashes are removed and @c.us is added',
	},
	normalise: normaliseChatId,
};
