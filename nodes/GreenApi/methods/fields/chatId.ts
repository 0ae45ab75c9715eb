/**
 * The Chat field: a WhatsApp chat id as GREEN-API wants it, or a phone number as a CRM holds
 * it (international, or national with Options → Default Country; text or a JSON number), checked
 * against the real numbering plan before any request. Checked and normalised because the service
 * answers a boolean with a 500 crash, a national number goes to a non-existent account, and a
 * number above 2^53 has already lost digits (group ids are that long).
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { FieldError, type FieldSpec } from '../types';
import { allCountries, findCountry, readPhoneNumber } from './phoneNumber';

/** Accepted as they are: personal, group (old and new form) and linked-device ids. */
const CHAT_ID = /^(\d+@c\.us|\d+@g\.us|\d+-\d+@g\.us|\d+@lid)$/;
/** How other WhatsApp tools and webhooks spell a personal chat; GREEN-API wants @c.us. */
const WHATSAPP_NET_ID = /^(\d+)@s\.whatsapp\.net$/;
/** A phone number: an optional leading +, then digits with spaces, brackets, dashes, dots or slashes between. */
export const PHONE = /^\+?[\d\s().\-/]+$/;
/** E.164: at most 15 digits; shorter than 7 is no phone number. A JSON number in this range is exact. */
const PHONE_DIGITS = { min: 7, max: 15 };

const FORMAT_HINT =
	'Use a chat ID such as 79001234567@c.us (person) or 120363043968066561@g.us (group), or a phone number such as +7 (900) 123-45-67.';

/** Options → Default Country: how national numbers (8 900 …, 07700 …) are read. */
const defaultCountryOption: INodeProperties = {
	displayName: 'Default Country',
	name: 'defaultCountry',
	type: 'options',
	options: [
		{ name: 'None (Numbers Need Their Country Code)', value: '' },
		...allCountries().map((country) => ({ name: `${country.name} (+${country.callingCode})`, value: country.code })),
	],
	default: '',
	description:
		'The country whose national numbers Chat may hold, e.g. 8 (900) 123-45-67 in Russia or 07700 900123 in the UK: the national prefix is dropped and the calling code put in front. Numbers with + or 00 are international either way.',
};

export function normaliseChatId(value: unknown, defaultCountryCode = ''): string {
	const text = asText(value);
	const chatId = text.trim();
	if (chatId === '') throw new FieldError('is empty', FORMAT_HINT);
	if (CHAT_ID.test(chatId)) return chatId;
	const whatsAppNet = WHATSAPP_NET_ID.exec(chatId);
	if (whatsAppNet) return `${whatsAppNet[1]}@c.us`;
	if (!PHONE.test(chatId)) {
		throw new FieldError(`"${clip(chatId)}" is neither a chat ID nor a phone number`, FORMAT_HINT);
	}
	const defaultCountry = defaultCountryCode ? findCountry(defaultCountryCode) : undefined;
	if (defaultCountryCode && !defaultCountry) {
		throw new FieldError(
			`cannot be read: Options → Default Country "${clip(defaultCountryCode)}" is no country code`,
			'Choose the country from the list, or map a two-letter code such as RU, KZ or GB.',
		);
	}
	const digits = chatId.replace(/\D/g, '').length;
	// National numbers of small places are shorter; without +, a trunk prefix or 00 adds up to two.
	const fewest = defaultCountry ? 1 : PHONE_DIGITS.min;
	const most = PHONE_DIGITS.max + (chatId.startsWith('+') ? 0 : 2);
	if (digits < fewest || digits > most) {
		throw new FieldError(
			`"${chatId}" has ${digits} digits; a phone number has ${PHONE_DIGITS.min} to ${PHONE_DIGITS.max}`,
			'Write the number with its country code (e.g. +7 (900) 123-45-67), or give the chat ID (e.g. 79001234567@c.us).',
		);
	}
	const reading = readPhoneNumber(chatId, defaultCountry);
	if ('problem' in reading) throw new FieldError(reading.problem, `${reading.hint} Or give the chat ID, e.g. 79001234567@c.us.`);
	return `${reading.digits}@c.us`;
}

/** Text as given; a JSON number only when it is a whole phone number that survived as a number. */
function asText(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) {
		const digits = String(value);
		if (digits.length >= PHONE_DIGITS.min && digits.length <= PHONE_DIGITS.max) return digits;
	}
	throw new FieldError(`must be text, but is ${describe(value)}`, typeHint(value));
}

function describe(value: unknown): string {
	if (value === null || value === undefined) return 'empty';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	return `the ${typeof value} ${clip(String(value))}`;
}

function typeHint(value: unknown): string {
	return typeof value === 'number'
		? 'A phone number as a JSON number works only whole and with 7 to 15 digits; longer ones (group IDs) have already lost digits. Map it as text, e.g. {{ String($json.phone) }}. ' +
				FORMAT_HINT
		: FORMAT_HINT;
}

function clip(text: string): string {
	return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/**
 * The chat as an n8n resource locator: typed or mapped (an ID or a phone number, read by the rules
 * above), or picked from the instance's chats. A plain string, as 0.1.0 workflows store it, is read
 * as "By ID or Phone".
 */
export const chatIdField: FieldSpec = {
	property: {
		displayName: 'Chat',
		name: 'chatId',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'idOrPhone', value: '' },
		description:
			"The WhatsApp chat: a chat ID (79001234567@c.us for a person, 120363043968066561@g.us for a group, or a …@lid ID from a webhook), or the person's phone number: international, or national with Options → Default Country",
		modes: [
			{
				displayName: 'By ID or Phone',
				name: 'idOrPhone',
				type: 'string',
				placeholder: 'e.g. 79001234567@c.us or +7 (900) 123-45-67',
				hint: 'A phone number works too: +7 (900) 123-45-67, or 8 (900) 123-45-67 with Default Country set',
			},
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a chat…',
				typeOptions: { searchListMethod: 'searchChats', searchable: true },
			},
		],
	},
	options: [defaultCountryOption],
	normalise: (value: unknown, options: IDataObject) => normaliseChatId(value, typeof options.defaultCountry === 'string' ? options.defaultCountry : ''),
	reportsInputAs: 'input',
};
