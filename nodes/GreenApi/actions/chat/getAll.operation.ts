/**
 * Get Many: the instance's chats (api/getChats.ts) with their archive state, filtered by archive state
 * and type; when asked, when each chat last had a message, learned from GREEN-API's journals
 * (journals/chatHistory.ts), and only the chats quiet for at least some days. The journals are
 * read once per execution whatever the number of items and chats, so one Get Many makes at most
 * 3 calls: the list and the two journals. A chat is called quiet only when the journals prove it.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { CHAT_TYPE_OPTIONS } from '../../api/chatField';
import { lastMessageTimes, quietFor, loadChatHistory, type ChatHistory } from '../../helpers/chatHistory';
import { FieldError, type GreenApiMethod, type OperationStep } from '../../api/types';
import { getChats, type ListedChat } from '../../api/getChats';

/** How far back last message times are read when no longer quiet period is asked for. */
export const HISTORY_DAYS = 30;

const quietForDays: INodeProperties = {
	displayName: 'Quiet for at Least (Days)',
	name: 'quietForDays',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 0,
	description: 'Only chats with no message either way for at least this many days; 0 for any chat. Chats that cannot be proven quiet are left out.',
	hint:
		"Proven from GREEN-API's message journals, which hold the last 10,000 messages each way, and only messages from while the instance's notifications of incoming messages and of messages sent from the phone were on. " +
		'Keep those on for at least this many days before relying on it; a message of the last 2 minutes may not show yet.',
};

const addLastMessageTimes: INodeProperties = {
	displayName: 'Add Last Message Times',
	name: 'addLastMessageTimes',
	type: 'boolean',
	default: false,
	description: `Whether each chat gets lastIncomingAt, lastOutgoingAt and lastMessageAt (ISO 8601; null when none in the last ${HISTORY_DAYS} days or the quiet period), from GREEN-API's message journals (two more calls per execution)`,
};

const outputParameters: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	addLastMessageTimes,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Archived',
				name: 'archived',
				type: 'options',
				options: [
					{ name: 'All', value: 'all' },
					{ name: 'Archived Only', value: 'archived' },
					{ name: 'Not Archived', value: 'notArchived' },
				],
				default: 'all',
				description: 'Which chats to return by archive state',
			},
			quietForDays,
			{
				displayName: 'Type',
				name: 'type',
				type: 'options',
				options: CHAT_TYPE_OPTIONS,
				default: 'all',
				description: 'Which chats to return by kind',
			},
		],
	},
];

/** A Get Many item: the chat, and with times asked for, when it last had a message and from when the journals knew. */
export type GetManyChat = ListedChat & Partial<Record<'lastIncomingAt' | 'lastOutgoingAt' | 'lastMessageAt' | 'messagesKnownSince', string | null>>;

/** Filters → Quiet for at Least (Days): a number of days, 0 when not set. */
function readQuietDays(filters: IDataObject): number {
	const value = filters.quietForDays ?? 0;
	const days = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof days !== 'number' || !Number.isFinite(days) || days < 0) {
		throw new FieldError(
			`Filters → ${quietForDays.displayName} must be a number of days from 0 up, but is ${JSON.stringify(value)}`,
			'Use 30 for chats nobody wrote in for a month; 0 (or no filter) for every chat.',
		);
	}
	return days;
}

async function listChats(step: OperationStep): Promise<GetManyChat[]> {
	const { parameters } = step;
	const filters = (parameters.filters ?? {}) as IDataObject;
	const archived = filters.archived ?? 'all';
	const type = filters.type ?? 'all';
	const days = readQuietDays(filters);
	// One list for every item of the execution, as the journals are.
	let chats: GetManyChat[] = (await step.once('getChats', async () => await step.call(getChats, {})))
		.filter((chat) => archived === 'all' || chat.archived === (archived === 'archived'))
		.filter((chat) => type === 'all' || chat.type === type);
	if (days > 0 || parameters.addLastMessageTimes === true) {
		const now = Date.now();
		const period = Math.max(days, HISTORY_DAYS);
		const history = await step.once(`chatHistory|${period}`, async () => await loadChatHistory(step.call, period, now));
		const messagesKnownSince = new Date(history.completeSince).toISOString();
		if (days > 0) chats = keepQuiet(step, chats, history, days, now);
		chats = chats.map((chat) => ({ ...chat, ...lastMessageTimes(history, chat.chatId), messagesKnownSince }));
	}
	return parameters.returnAll === true ? chats : chats.slice(0, Number(parameters.limit ?? 50));
}

/** The chats proven quiet; those the journals cannot prove quiet are left out, and the editor is told why. */
function keepQuiet(step: OperationStep, chats: GetManyChat[], history: ChatHistory, days: number, now: number): GetManyChat[] {
	const verdicts = chats.map((chat) => quietFor(history, chat.chatId, days, now));
	const unproven = verdicts.filter((verdict) => verdict === 'unproven').length;
	if (unproven > 0) {
		const full = history.full.map((journal) => `the ${journal} journal is full (it keeps the last 10,000 messages)`).join(' and ');
		step.hint(
			`${unproven} chat${unproven === 1 ? '' : 's'} with no message since ${new Date(history.completeSince).toISOString()} left out: ` +
				`GREEN-API's journals hold every message only from then on (${full}), so they cannot prove ${days} days of quiet.`,
		);
	}
	return chats.filter((_, index) => verdicts[index] === 'quiet');
}

export const getManyChats: GreenApiMethod<GetManyChat> = {
	...getChats,
	resource: 'chat',
	operation: 'getAll',
	name: 'Get Many',
	action: 'Get many chats',
	description: 'List the chats of the instance with their archive state, and when each last had a message',
	toolDescription: 'get many chats (with their archive state, when each last had a message, or only those quiet for at least some days)',
	fields: [],
	outputParameters,
	execute: listChats,
};
