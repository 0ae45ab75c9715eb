/**
 * The chat rules: what a chat is, read from what a person or a CRM gives — a WhatsApp chat ID as
 * GREEN-API wants it, or a phone number (international, or national in a default country; text or
 * a JSON number, pasted as people paste it), checked against the real numbering plan. Shared by
 * everything that names a chat, so a chat means the same everywhere. Checked strictly because
 * the service answers a boolean with a 500 crash, a national number goes to a non-existent
 * account, and a number above 2^53 has already lost digits (group IDs are that long).
 */
import { unpaste } from './pastedText';
import { findCountry, looksLikePhoneNumber, PHONE_DIGITS, parsePhoneNumber } from './phoneNumber';

/** Accepted as they are: personal, group (old and new form) and linked-device IDs. */
export const CHAT_ID = /^(\d+@c\.us|\d+@g\.us|\d+-\d+@g\.us|\d+@lid)$/;
/** How other WhatsApp tools and webhooks spell a personal chat; GREEN-API wants @c.us. */
const WHATSAPP_NET_ID = /^(\d+)@s\.whatsapp\.net$/;

/** The chat ID GREEN-API wants, or what is wrong with the value and what to do (`problem` reads after the field's name). */
export type ChatReading = { chatId: string } | { problem: string; hint: string };

export const CHAT_FORMAT_HINT = 'Use a chat ID such as 79001234567@c.us (person) or 120363043968066561@g.us (group), or a phone number such as +7 (900) 123-45-67.';

/** Reads `value` as a chat; `defaultCountryCode` (ISO, e.g. RU) reads national numbers of that country. */
export function parseChatInput(value: unknown, defaultCountryCode = ''): ChatReading {
	const given = asText(value);
	if ('problem' in given) return given;
	const chatId = unpaste(given.text);
	if (chatId === '') return { problem: 'is empty', hint: CHAT_FORMAT_HINT };
	if (CHAT_ID.test(chatId)) return { chatId };
	const whatsAppNet = WHATSAPP_NET_ID.exec(chatId);
	if (whatsAppNet) return { chatId: `${whatsAppNet[1]}@c.us` };
	if (!looksLikePhoneNumber(chatId)) return { problem: `"${clip(chatId)}" is neither a chat ID nor a phone number`, hint: CHAT_FORMAT_HINT };
	const defaultCountry = defaultCountryCode ? findCountry(defaultCountryCode) : undefined;
	if (defaultCountryCode && !defaultCountry) {
		return {
			problem: `cannot be read: Options → Default Country "${clip(defaultCountryCode)}" is no country code`,
			hint: 'Choose the country from the list, or map a two-letter code such as RU, KZ or GB.',
		};
	}
	const digits = chatId.replace(/\D/g, '').length;
	// National numbers of small places are shorter; without +, a trunk prefix or 00 adds up to two.
	const fewest = defaultCountry ? 1 : PHONE_DIGITS.min;
	const most = PHONE_DIGITS.max + (chatId.startsWith('+') ? 0 : 2);
	if (digits < fewest || digits > most) {
		return {
			problem: `"${chatId}" has ${digits} digits; a phone number has ${PHONE_DIGITS.min} to ${PHONE_DIGITS.max}`,
			hint: 'Write the number with its country code (e.g. +7 (900) 123-45-67), or give the chat ID (e.g. 79001234567@c.us).',
		};
	}
	const reading = parsePhoneNumber(chatId, defaultCountry);
	if ('problem' in reading) return { problem: reading.problem, hint: `${reading.hint} Or give the chat ID, e.g. 79001234567@c.us.` };
	return { chatId: `${reading.digits}@c.us` };
}

/** Text as given; a JSON number only when it is a whole phone number that survived as a number. */
function asText(value: unknown): { text: string } | { problem: string; hint: string } {
	if (typeof value === 'string') return { text: value };
	if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) {
		const digits = String(value);
		if (digits.length >= PHONE_DIGITS.min && digits.length <= PHONE_DIGITS.max) return { text: digits };
	}
	return { problem: `must be text, but is ${describe(value)}`, hint: typeHint(value) };
}

function describe(value: unknown): string {
	if (value === null || value === undefined) return 'empty';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	return `the ${typeof value} ${clip(String(value))}`;
}

function typeHint(value: unknown): string {
	return typeof value === 'number'
		? 'A phone number as a JSON number works only whole and with 7 to 15 digits; longer ones (group IDs) have already lost digits. Map it as text, e.g. {{ String($json.phone) }}. ' + CHAT_FORMAT_HINT
		: CHAT_FORMAT_HINT;
}

function clip(text: string): string {
	return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
