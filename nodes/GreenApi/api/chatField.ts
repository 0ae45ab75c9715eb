/**
 * The Chat field every chat method takes: an n8n resource locator, typed or mapped (a chat ID or a
 * phone number, read by the chat rules), or picked from the instance's chats; with the Default
 * Country option those rules read. A plain string, as 0.1.0 workflows store it, is read as "By ID
 * or Phone".
 */
import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { parseChatInput } from '../chatInput/chatId';
import { allCountries } from '../chatInput/phoneNumber';
import { FieldError, type FieldSpec } from './types';

/** Options → Default Country: how national numbers (8 900 …, 07700 …) are read. */
export const defaultCountryOption: INodeProperties = {
	displayName: 'Default Country',
	name: 'defaultCountry',
	type: 'options',
	options: [{ name: 'None (Numbers Need Their Country Code)', value: '' }, ...allCountries().map((country) => ({ name: `${country.name} (+${country.callingCode})`, value: country.code }))],
	default: '',
	description:
		'The country whose national numbers Chat may hold, e.g. 8 (900) 123-45-67 in Russia or 07700 900123 in the UK: the national prefix is dropped and the calling code put in front. Numbers with + or 00 are international either way.',
};

/** A filter's choice of chat kinds: all, groups or people (GREEN-API's types group and user). */
export const CHAT_TYPE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'All', value: 'all' },
	{ name: 'Groups', value: 'group' },
	{ name: 'People', value: 'user' },
];

export const chatField: FieldSpec = {
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
	normalise: (value: unknown, options: IDataObject) => {
		const reading = parseChatInput(value, typeof options.defaultCountry === 'string' ? options.defaultCountry : '');
		if ('problem' in reading) throw new FieldError(reading.problem, reading.hint);
		return reading.chatId;
	},
	reportsInputAs: 'input',
};
