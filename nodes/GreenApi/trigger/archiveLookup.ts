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
import { sleep } from 'n8n-workflow';

import { getChats } from '../api/getChats';
import { isCallFailure, type GreenApiInstance } from '../transport/call';

/** A list asked for at most this long before a message arrived tells that message's archive state. */
const FRESH_MS = 1000;
/** The longest a message waits for its archive state (GREEN-API waits 180 s for an answer; n8n should answer in seconds). */
const LOOKUP_BUDGET_MS = 10000;
/** ...when its archive state decides whether it starts the workflow: within GREEN-API's 180 s, with room to answer. */
export const PATIENT_LOOKUP_BUDGET_MS = 150000;

export type ArchiveState = { archived: boolean } | { archived: null; archiveLookupError: string };

/**
 * Looks up the archive state of chats, for messages that arrived at a time (an instance's
 * archiveStates, bound to it); `patient` when the state decides whether a message starts anything.
 */
export type ArchiveLookup = (chatIds: string[], arrivedAt: number, patient: boolean) => Promise<Map<string, ArchiveState>>;

/** Why a list could not be had. */
interface NoList {
	reason: string;
}

interface ChatList {
	/** When it was asked for; while it waits out a restart, when it was last asked again. */
	askedAt: number;
	/** Until when the list waits out a restart of the instance (see CallHow.restartUntil); 0 when it does not. */
	restartUntil: number;
	/** Chat ID → archived; or why the list could not be had. */
	result: Promise<Map<string, boolean> | NoList>;
}

export interface LookupSpec {
	instance: GreenApiInstance;
	/** One list per instance: the credential's API URL and instance ID. */
	key: string;
}

/** The newest list per instance, shared by every trigger in this n8n process. */
const lists = new Map<string, ChatList>();

/** The archive state of each chat in `chatIds`, as of a list asked for no earlier than FRESH_MS before `arrivedAt`. */
export async function archiveStates(spec: LookupSpec, chatIds: string[], arrivedAt: number, patient = false): Promise<Map<string, ArchiveState>> {
	const unknown = (reason: string) => new Map(chatIds.map((chatId): [string, ArchiveState] => [chatId, { archived: null, archiveLookupError: reason }]));
	const budgetMs = patient ? PATIENT_LOOKUP_BUDGET_MS : LOOKUP_BUDGET_MS;
	const stopClock = new AbortController();
	const outOfTime = sleep(Math.max(0, arrivedAt + budgetMs - Date.now()), stopClock.signal).then(
		(): NoList => ({ reason: `GREEN-API's chat list did not come within ${budgetMs / 1000} s` }),
		() => new Promise<NoList>(() => {}), // the list came first: this side of the race never settles
	);
	try {
		// Patient: a list refused because the instance is restarting (a settings write) is asked for
		// again while the budget lasts, rather than let everything through.
		const list = await Promise.race([freshList(spec, arrivedAt, patient ? arrivedAt + budgetMs : 0), outOfTime]);
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

async function freshList(spec: LookupSpec, arrivedAt: number, restartUntil: number): Promise<Map<string, boolean> | NoList> {
	// A list that does not wait out a restart serves only those that would not wait either.
	const serves = (list: ChatList) => list.askedAt >= arrivedAt - FRESH_MS && (list.restartUntil > 0 || restartUntil === 0);
	for (;;) {
		const latest = lists.get(spec.key);
		if (latest && serves(latest)) return await latest.result;
		// An older list still on its way: wait for it (one asked again after a restart may serve after all), else ask anew (the pacer spaces the two).
		if (latest) await latest.result;
		if (lists.get(spec.key) !== latest || (latest && serves(latest))) continue;
		const list: ChatList = { askedAt: Date.now(), restartUntil, result: fetchList(spec, restartUntil, () => (list.askedAt = Date.now())) };
		lists.set(spec.key, list);
		return await list.result;
	}
}

async function fetchList(spec: LookupSpec, restartUntil: number, askingAgain: () => void): Promise<Map<string, boolean> | NoList> {
	const outcome = await spec.instance.attempt(getChats, {}, { settings: { maxThrottledWaitMs: LOOKUP_BUDGET_MS }, restartUntil: restartUntil || undefined, askingAgain });
	if (isCallFailure(outcome)) return { reason: `GREEN-API's chat list could not be had: ${outcome.nodeError.message}` };
	return new Map(outcome.items.map((chat) => [chat.chatId, chat.archived]));
}
