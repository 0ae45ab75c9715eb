/**
 * Whether a message's chat is in the archive. GREEN-API's notifications do not say, so it is
 * learned from getChats, which lists every chat with its archive state and is limited to one call
 * per second per instance: one list serves every message that arrives while it is fresh, messages
 * that arrive meanwhile wait for the next list together, and the pacer keeps the limit with
 * everything else that uses the instance. A message never waits past the budget: then its
 * archive state is unknown (null), with the reason, and it goes on. Under "Only Chats in the
 * Archive" the budget is most of GREEN-API's 180 s, and a list refused because the instance is
 * restarting (after a settings write) is asked for again: letting every message through meanwhile
 * would start the workflow for chats in the inbox.
 */
import { sleep, type INode } from 'n8n-workflow';

import { chatList } from '../api/chat/chatList';
import { callAndDecode, isCallFailure } from '../transport/call';
import { defaultCallSettings } from '../transport/callOptions';
import type { HttpRequest } from '../transport/request';

/** A list asked for at most this long before a message arrived tells that message's archive state. */
const FRESH_MS = 1000;
/** The longest a message waits for its archive state (GREEN-API waits 180 s for an answer; n8n should answer in seconds). */
const LOOKUP_BUDGET_MS = 10000;
/** ...when its archive state decides whether it starts the workflow: within GREEN-API's 180 s, with room to answer. */
export const PATIENT_LOOKUP_BUDGET_MS = 150000;
/** While the instance restarts (a settings write; seconds), the trigger asks again this often. */
export const STARTING_RETRY_MS = 2000;

export type ArchiveState = { archived: boolean } | { archived: null; archiveLookupError: string };

/**
 * Looks up the archive state of chats, for messages that arrived at a time (an instance's
 * archiveStates, bound to it); `patient` when the state decides whether a message starts anything.
 */
export type ArchiveLookup = (chatIds: string[], arrivedAt: number, patient: boolean) => Promise<Map<string, ArchiveState>>;

/** Why a list could not be had; `starting` when the instance was restarting (worth asking again). */
interface NoList {
	reason: string;
	starting: boolean;
}

interface ChatList {
	askedAt: number;
	/** Chat ID → archived; or why the list could not be had. */
	result: Promise<Map<string, boolean> | NoList>;
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
export async function archiveStates(spec: LookupSpec, chatIds: string[], arrivedAt: number, patient = false): Promise<Map<string, ArchiveState>> {
	const unknown = (reason: string) => new Map(chatIds.map((chatId): [string, ArchiveState] => [chatId, { archived: null, archiveLookupError: reason }]));
	const budgetMs = patient ? PATIENT_LOOKUP_BUDGET_MS : LOOKUP_BUDGET_MS;
	const stopClock = new AbortController();
	const outOfTime = sleep(Math.max(0, arrivedAt + budgetMs - Date.now()), stopClock.signal).then(
		(): NoList => ({ reason: `GREEN-API's chat list did not come within ${budgetMs / 1000} s`, starting: false }),
		() => new Promise<NoList>(() => {}), // the list came first: this side of the race never settles
	);
	try {
		let list = await Promise.race([freshList(spec, arrivedAt), outOfTime]);
		// Restarting (a settings write): ask again while the budget lasts, rather than let everything through.
		while (patient && !(list instanceof Map) && list.starting && Date.now() + STARTING_RETRY_MS < arrivedAt + budgetMs) {
			await sleep(STARTING_RETRY_MS);
			list = await Promise.race([freshList(spec, Date.now()), outOfTime]);
		}
		if (!(list instanceof Map)) return unknown(list.reason);
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

async function freshList(spec: LookupSpec, arrivedAt: number): Promise<Map<string, boolean> | NoList> {
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

async function fetchList(spec: LookupSpec): Promise<Map<string, boolean> | NoList> {
	const outcome = await callAndDecode({
		node: spec.node,
		http: spec.http,
		credentials: spec.credentials,
		method: chatList,
		request: {},
		options: { ...defaultCallSettings(chatList.rateLimitPerSecond), maxThrottledWaitMs: LOOKUP_BUDGET_MS },
	});
	if (isCallFailure(outcome)) return { reason: `GREEN-API's chat list could not be had: ${outcome.nodeError.message}`, starting: outcome.code === 'INSTANCE_STARTING' };
	return new Map(outcome.items.map((chat) => [chat.chatId, chat.archived]));
}
