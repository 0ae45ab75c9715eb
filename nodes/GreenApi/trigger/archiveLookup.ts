/**
 * Whether a message's chat is in the archive. GREEN-API's notifications do not say, so it is
 * learned from getChats, which lists every chat with its archive state and is limited to one call
 * per second per instance: one list serves every message that arrives while it is fresh, messages
 * that arrive meanwhile wait for the next list together, and the pacer keeps the limit with
 * everything else that uses the instance. A message never waits past the budget: then its
 * archive state is unknown (null), with the reason, and it goes on.
 */
import { sleep, type INode } from 'n8n-workflow';

import { getChats } from '../api/chat/getChats';
import { callAndDecode, isCallFailure } from '../transport/call';
import { defaultCallSettings } from '../transport/callOptions';
import type { HttpRequest } from '../transport/request';

/** A list asked for at most this long before a message arrived tells that message's archive state. */
const FRESH_MS = 1000;
/** The longest a message waits for its archive state (GREEN-API waits 180 s for an answer; n8n should answer in seconds). */
const LOOKUP_BUDGET_MS = 10000;

export type ArchiveState = { archived: boolean } | { archived: null; archiveLookupError: string };

interface ChatList {
	askedAt: number;
	/** Chat ID → archived; or why the list could not be had. */
	result: Promise<Map<string, boolean> | string>;
}

export interface LookupSpec {
	node: INode;
	http: HttpRequest;
	credentials: () => Promise<object>;
	/** One list per instance: the credential's API URL and instance ID. */
	instanceKey: string;
}

/** The newest list per instance, shared by every trigger in this n8n process. */
const lists = new Map<string, ChatList>();

/** The archive state of each chat in `chatIds`, as of a list asked for no earlier than FRESH_MS before `arrivedAt`. */
export async function archiveStates(spec: LookupSpec, chatIds: string[], arrivedAt: number): Promise<Map<string, ArchiveState>> {
	const unknown = (reason: string) => new Map(chatIds.map((chatId): [string, ArchiveState] => [chatId, { archived: null, archiveLookupError: reason }]));
	const stopClock = new AbortController();
	const outOfTime = sleep(Math.max(0, arrivedAt + LOOKUP_BUDGET_MS - Date.now()), stopClock.signal).then(
		() => `GREEN-API's chat list did not come within ${LOOKUP_BUDGET_MS / 1000} s`,
		() => new Promise<string>(() => {}), // the list came first: this side of the race never settles
	);
	try {
		const list = await Promise.race([freshList(spec, arrivedAt), outOfTime]);
		if (typeof list === 'string') return unknown(list);
		return new Map(
			chatIds.map((chatId): [string, ArchiveState] => {
				const archived = list.get(chatId);
				return [chatId, archived === undefined ? { archived: null, archiveLookupError: `chat ${chatId} is not in GREEN-API's chat list yet` } : { archived }];
			}),
		);
	} finally {
		stopClock.abort();
	}
}

async function freshList(spec: LookupSpec, arrivedAt: number): Promise<Map<string, boolean> | string> {
	for (;;) {
		const latest = lists.get(spec.instanceKey);
		if (latest && latest.askedAt >= arrivedAt - FRESH_MS) return await latest.result;
		// An older list still on its way: wait for it, then ask anew (the pacer spaces the two).
		if (latest) await latest.result;
		if (lists.get(spec.instanceKey) !== latest) continue;
		const list: ChatList = { askedAt: Date.now(), result: fetchList(spec) };
		lists.set(spec.instanceKey, list);
		return await list.result;
	}
}

async function fetchList(spec: LookupSpec): Promise<Map<string, boolean> | string> {
	const outcome = await callAndDecode({
		node: spec.node,
		http: spec.http,
		credentials: spec.credentials,
		method: getChats,
		request: {},
		options: { ...defaultCallSettings(getChats.rateLimitPerSecond), maxThrottledWaitMs: LOOKUP_BUDGET_MS },
		parameters: { returnAll: true },
	});
	if (isCallFailure(outcome)) return `GREEN-API's chat list could not be had: ${outcome.nodeError.message}`;
	return new Map(outcome.items.map((chat) => [chat.chatId, chat.archived]));
}
