/**
 * The triggers' UI parameters: which events, the filters, the options; for the GREEN-API Trigger's
 * versions 1 and 2 also how notifications arrive (Receive By: webhook or polling). Version 3 is the
 * webhook alone, and the GREEN-API Polling Trigger polling alone: each shows only what matters to it.
 */
import type { INodeProperties } from 'n8n-workflow';

import { CHAT_TYPE_OPTIONS, defaultCountryOption } from '../api/chatField';
import { DEFAULT_EVENTS, EVENTS } from './events';

export const WEBHOOK = 'webhook';
export const POLLING = 'polling';

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Receive By',
		name: 'receiveBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Webhook', value: WEBHOOK, description: 'Instant. GREEN-API must be able to reach this n8n (a public URL).' },
			{ name: 'Polling', value: POLLING, description: "For an n8n behind a firewall: on a schedule, n8n reads GREEN-API's message journals (messages only)" },
		],
		default: WEBHOOK,
	},
	{
		displayName:
			"On activation the trigger reads the instance's settings. If the instance has no webhook URL, it sets this workflow's URL, a secret token, and the switches of the chosen events; GREEN-API then restarts the instance and applies the settings within a few minutes. If the instance already sends here, nothing is written. A webhook URL of another system is never replaced unless you turn on Options → Replace an Existing Webhook URL. On deactivation the trigger clears only what is still its own. Fetch Test Event shows the newest message of the last day that passes the events and filters, from GREEN-API's message journals, and writes nothing (Poll Times only matter for Polling).",
		name: 'webhookNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { receiveBy: [WEBHOOK] } },
	},
	{
		displayName:
			"Polling reads GREEN-API's message journals (the last 10,000 messages each way, up to 2 minutes late) from where the last poll stopped: it takes nothing from GREEN-API and writes no settings, so the instance's webhook URL can point anywhere. It sees messages only (statuses, calls and state changes come by webhook), those after activation, and only while the instance's switches for them are on (Receive webhooks on incoming messages; on messages sent from the phone).",
		name: 'pollingNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { receiveBy: [POLLING] } },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: EVENTS.map(({ name, value, description }) => ({ name, value, description })),
		default: [...DEFAULT_EVENTS],
		required: true,
		description: 'Which notifications start the workflow. Notifications of kinds this node does not know yet always pass, with what can be read.',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Chat Type',
				name: 'chatType',
				type: 'options',
				options: CHAT_TYPE_OPTIONS,
				default: 'all',
				description: 'Which chats start the workflow, by kind',
			},
			{
				displayName: 'Chats',
				name: 'chats',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				placeholder: 'e.g. 79001234567@c.us, +7 (900) 765-43-21',
				description: "Only these chats: chat IDs or phone numbers, one per line or separated by commas, read like the GREEN-API node's Chat (national numbers with Options → Default Country)",
			},
			{
				displayName: 'Only Chats in the Archive',
				name: 'onlyArchived',
				type: 'boolean',
				default: false,
				description:
					'Whether only messages to archived chats start the workflow. WhatsApp keeps a chat archived when a new message arrives and does not notify about it. The archive state is learned from GREEN-API; while the instance restarts (after a settings change) the trigger waits for it, up to 150 s. When it still cannot be learned the message passes with archived: null.',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Add Archive State',
				name: 'addArchiveState',
				type: 'boolean',
				default: true,
				description:
					"Whether each message carries archived (true or false), learned from GREEN-API's chat list (at most one list a second per instance). Off, and without Filters → Only Chats in the Archive, the trigger never reads the chat list.",
			},
			{ ...defaultCountryOption, description: 'The country whose national numbers Filters → Chats may hold, e.g. 8 (900) 123-45-67 in Russia' },
			{
				displayName: 'Replace an Existing Webhook URL',
				name: 'replaceWebhookUrl',
				type: 'boolean',
				default: false,
				description: 'Whether to take over the instance when it already sends its notifications to another URL. That system then receives nothing.',
				displayOptions: { show: { '/receiveBy': [WEBHOOK] } },
			},
		],
	},
];

/** Where the notices send people for the depth (docs/trigger.md). */
const TRIGGER_DOCS = 'https://github.com/n8n-nodes-green-api/n8n-nodes-green-api/blob/main/docs/trigger.md';

/** A parameter of the versions with Receive By, as a trigger of one way shows it: no condition on Receive By left. */
function withoutReceiveBy(property: INodeProperties): INodeProperties {
	const { displayOptions, ...rest } = property;
	const show = { ...displayOptions?.show };
	delete show.receiveBy;
	delete show['/receiveBy'];
	return Object.keys(show).length ? { ...rest, displayOptions: { ...displayOptions, show } } : rest;
}

const named = (name: string) => triggerProperties.find((property) => property.name === name)!;

/** The GREEN-API Trigger, version 3: notifications by webhook only; nothing of polling shown. */
export const webhookTriggerProperties: INodeProperties[] = [
	{
		displayName: `On activation the trigger points the instance's webhook at this workflow (never over another system's URL unless Options say so), and on deactivation clears what is still its own. <a href="${TRIGGER_DOCS}#webhook" target="_blank">What it writes, and when</a>`,
		name: 'webhookNotice',
		type: 'notice',
		default: '',
	},
	named('events'),
	named('filters'),
	{ ...named('options'), options: (named('options').options as INodeProperties[]).map(withoutReceiveBy) },
];

/** The GREEN-API Polling Trigger: the message journals on a schedule; only the events they hold, nothing of webhooks shown. */
export const pollingTriggerProperties: INodeProperties[] = [
	{
		displayName: `Reads GREEN-API's message journals on a schedule: messages only, up to 2 minutes late, nothing written to the instance. <a href="${TRIGGER_DOCS}#polling" target="_blank">What polling sees</a>`,
		name: 'pollingNotice',
		type: 'notice',
		default: '',
	},
	{ ...named('events'), options: (named('events').options ?? []).filter((option) => 'value' in option && EVENTS.some((event) => event.value === option.value && event.journal)) },
	named('filters'),
	{ ...named('options'), options: (named('options').options as INodeProperties[]).filter((option) => option.name !== 'replaceWebhookUrl') },
];
