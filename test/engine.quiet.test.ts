/**
 * Chats that went quiet, through n8n's engine: Chat → Get Many with Add Last Message Times and
 * Filters → Quiet for at Least (Days), learned from the simulator's journals (seeded history, the
 * 10,000-message cap): the times per chat, the boundary of N days, chats known only one way or not
 * at all, a full journal (never called quiet without proof, and the hint saying why), journal
 * errors, a 429 resent, the filters combined, and at most 3 calls whatever the number of items.
 */
import { getSchema } from 'n8n-core/dist/execution-engine/node-execution-context/utils/create-node-as-tool';
import type { INode } from 'n8n-workflow';

import { GreenApi } from '../nodes/GreenApi/GreenApi.node';
import { JOURNAL_CAP } from '../nodes/GreenApi/api/journals/journal';
import { ID_INSTANCE, startFixture, type Fixture } from './helpers/fixture';

const DAY_S = 24 * 60 * 60;
const ANNA = { chatId: '79001234567@c.us', name: 'Anna Petrova' };
const IVAN = { chatId: '79007654321@c.us', name: 'Ivan Sidorov' };
const JANE = { chatId: '14155550123@c.us', name: 'Jane Doe' };
const BUYERS = { chatId: '120363043968066561@g.us', name: 'Acme buyers' };
const OLD = { chatId: '442079460958@c.us', name: 'Oliver Smith', archived: true };
const SILENT = { chatId: '79000000000@c.us', name: 'New lead' };

let fixture: Fixture;
let counter = 0;
/** A message in a journal, `secondsAgo` before now. */
const said = (type: 'incoming' | 'outgoing', chatId: string, secondsAgo: number) => {
	const timestamp = Math.floor(Date.now() / 1000) - secondsAgo;
	fixture.simulator.notifications.record(ID_INSTANCE, { type, idMessage: `M${++counter}`, timestamp, typeMessage: 'textMessage', chatId, textMessage: 'x' }, 0);
	return new Date(timestamp * 1000).toISOString();
};
const calls = () => fixture.simulator.requests.map((request) => request.method);
const quiet = (days: number, more: object = {}) => ({ operation: 'getAll', returnAll: true, filters: { quietForDays: days }, ...more });

beforeEach(async () => {
	fixture = await startFixture([ANNA, IVAN, JANE, BUYERS, OLD, SILENT]);
});
afterEach(async () => await fixture.stop());

describe('Add Last Message Times', () => {
	it('each chat gets lastIncomingAt, lastOutgoingAt and lastMessageAt (the later), null where the journals hold none; 3 calls', async () => {
		const annaIn = said('incoming', ANNA.chatId, 3 * DAY_S);
		said('incoming', ANNA.chatId, 9 * DAY_S);
		const annaOut = said('outgoing', ANNA.chatId, 2 * DAY_S);
		const buyersOut = said('outgoing', BUYERS.chatId, 12 * DAY_S);
		const result = await fixture.run([{}], { operation: 'getAll', returnAll: true, addLastMessageTimes: true });
		expect(result.error).toBeUndefined();
		const byChat = Object.fromEntries(result.main.map((item) => [item.json.chatId, item.json]));
		expect(byChat[ANNA.chatId]).toMatchObject({ lastIncomingAt: annaIn, lastOutgoingAt: annaOut, lastMessageAt: annaOut, archived: false });
		expect(byChat[BUYERS.chatId]).toMatchObject({ lastIncomingAt: null, lastOutgoingAt: buyersOut, lastMessageAt: buyersOut, type: 'group' });
		expect(byChat[IVAN.chatId]).toMatchObject({ lastIncomingAt: null, lastOutgoingAt: null, lastMessageAt: null });
		// How far back the journals reached: the 30 days asked for (neither is full).
		const since = Date.parse(String(byChat[IVAN.chatId].messagesKnownSince));
		expect(Math.abs(since - (Date.now() - 30 * DAY_S * 1000))).toBeLessThan(60000);
		expect(calls().sort()).toEqual(['getChats', 'lastIncomingMessages', 'lastOutgoingMessages']);
		expect(fixture.simulator.requests.find((request) => request.method === 'lastIncomingMessages')?.body).toBe('');
	});

	it('without it (and without the quiet filter) Get Many costs what it did: one getChats, no time fields', async () => {
		said('incoming', ANNA.chatId, DAY_S);
		const result = await fixture.run([{}], { operation: 'getAll', returnAll: true });
		expect(calls()).toEqual(['getChats']);
		expect(Object.keys(result.main[0].json).sort()).toEqual(['archived', 'chatId', 'name', 'type']);
	});
});

describe('Filters → Quiet for at Least (Days)', () => {
	it('the boundary: a message a minute more than N days ago is quiet; a minute less is not', async () => {
		said('incoming', IVAN.chatId, 30 * DAY_S + 60);
		said('incoming', ANNA.chatId, 30 * DAY_S - 60);
		const result = await fixture.run([{}], quiet(30, { filters: { quietForDays: 30, archived: 'notArchived' } }));
		const ids = result.main.map((item) => item.json.chatId);
		expect(ids).toContain(IVAN.chatId);
		expect(ids).not.toContain(ANNA.chatId);
	});

	it('groups and people alike, whichever way the last message went: only incoming, only outgoing, or none at all', async () => {
		said('incoming', ANNA.chatId, 40 * DAY_S);
		said('outgoing', JANE.chatId, 3 * DAY_S); // only outgoing, recent: not quiet
		said('incoming', BUYERS.chatId, 2 * DAY_S); // a group, recent: not quiet
		said('outgoing', IVAN.chatId, 50 * DAY_S); // only outgoing, long ago
		const result = await fixture.run([{}], quiet(7, { filters: { quietForDays: 7, archived: 'notArchived' } }));
		expect(result.main.map((item) => item.json.chatId).sort()).toEqual([ANNA.chatId, IVAN.chatId, SILENT.chatId].sort());
		expect(result.hints).toEqual([]);
	});

	it('a full journal (10,000 messages, reaching back 3 days): no silent chat is called quiet; the hint and the items say how far back it reached', async () => {
		for (let i = 0; i < JOURNAL_CAP; i++) said('incoming', ANNA.chatId, Math.floor((i * 3 * DAY_S) / JOURNAL_CAP));
		said('outgoing', JANE.chatId, 40 * DAY_S);
		const result = await fixture.run([{}], quiet(30));
		expect(result.main).toEqual([]);
		expect(result.hints).toHaveLength(1);
		expect(result.hints[0]).toMatch(/^5 chats with no message since \S+ left out: GREEN-API's journals hold every message only from then on \(the incoming journal is full/);
		expect(result.hints[0]).toContain('cannot prove 30 days of quiet');
		// With a shorter period the same journals prove it: the items carry how far back they reached.
		const shorter = await fixture.run([{}], quiet(1));
		const knownSince = Date.parse(String(shorter.main[0].json.messagesKnownSince));
		expect(Math.abs(knownSince - (Date.now() - 3 * DAY_S * 1000))).toBeLessThan(60000);
		expect(shorter.main.map((item) => item.json.chatId)).not.toContain(ANNA.chatId);
		expect(shorter.main.map((item) => item.json.chatId)).toContain(IVAN.chatId);
	});

	it('a journal listing 10,000 entries, some of which cannot be placed (no ID): still full, so still no proof', async () => {
		for (let i = 0; i < 20; i++) fixture.simulator.notifications.record(ID_INSTANCE, { type: 'incoming', idMessage: '', timestamp: Math.floor(Date.now() / 1000) - i, chatId: ANNA.chatId }, 0);
		for (let i = 20; i < JOURNAL_CAP; i++) said('incoming', ANNA.chatId, Math.floor((i * 3 * DAY_S) / JOURNAL_CAP));
		const result = await fixture.run([{}], quiet(30));
		expect(result.main).toEqual([]);
		expect(result.hints[0]).toContain('the incoming journal is full');
	});

	it('a journal listing 10,000 entries none of which can be placed: nothing known, no silent chat quiet, and the run does not fail', async () => {
		for (let i = 0; i < JOURNAL_CAP; i++) fixture.simulator.notifications.record(ID_INSTANCE, { type: 'incoming', idMessage: '', timestamp: Math.floor(Date.now() / 1000) - i, chatId: ANNA.chatId }, 0);
		const result = await fixture.run([{}], quiet(30));
		expect(result.error).toBeUndefined();
		expect(result.main).toEqual([]);
		expect(result.hints[0]).toContain('the incoming journal is full');
	});

	it('an entry whose time no date can hold is left out, not a failed run', async () => {
		fixture.simulator.notifications.record(ID_INSTANCE, { type: 'incoming', idMessage: 'FAR', timestamp: 1e13, chatId: ANNA.chatId, typeMessage: 'textMessage', textMessage: 'x' }, 0);
		const lastAt = said('outgoing', ANNA.chatId, DAY_S);
		const result = await fixture.run([{}], { operation: 'getAll', returnAll: true, addLastMessageTimes: true });
		expect(result.error).toBeUndefined();
		expect(result.main.find((item) => item.json.chatId === ANNA.chatId)?.json).toMatchObject({ lastIncomingAt: null, lastMessageAt: lastAt });
	});

	it('combined with the other filters and Limit: archive state and type first, the limit after the quiet filter', async () => {
		said('incoming', ANNA.chatId, DAY_S);
		const people = await fixture.run([{}], quiet(7, { filters: { quietForDays: 7, type: 'user', archived: 'notArchived' } }));
		expect(people.main.map((item) => item.json.chatId).sort()).toEqual([IVAN.chatId, JANE.chatId, SILENT.chatId].sort());
		const archivedOnly = await fixture.run([{}], quiet(7, { filters: { quietForDays: 7, archived: 'archived' } }));
		expect(archivedOnly.main.map((item) => item.json.chatId)).toEqual([OLD.chatId]);
		const limited = await fixture.run([{}], { operation: 'getAll', limit: 2, filters: { quietForDays: 7 } });
		expect(limited.main).toHaveLength(2);
		expect(limited.main.map((item) => item.json.chatId)).not.toContain(ANNA.chatId);
	});

	it('three input items: the list and the journals are read once (3 calls), each item filtered on its own', async () => {
		said('incoming', ANNA.chatId, 10 * DAY_S);
		const result = await fixture.run([{ days: 5 }, { days: 20 }, { days: 0 }], { operation: 'getAll', returnAll: true, filters: { quietForDays: '={{ $json.days }}' } });
		expect(calls().sort()).toEqual(['getChats', 'lastIncomingMessages', 'lastOutgoingMessages']);
		const of = (item: number) => result.main.filter((each) => (each.pairedItem as { item: number }).item === item).map((each) => each.json.chatId);
		// Anna wrote 10 days ago: quiet for 5 days, not for 20.
		expect(of(0)).toContain(ANNA.chatId);
		expect(of(1)).not.toContain(ANNA.chatId);
		expect(of(2)).toHaveLength(6);
	});

	it('a journal failing: the item fails with the service’s error, nothing is called quiet', async () => {
		fixture.simulator.script(ID_INSTANCE, 'lastOutgoingMessages', [{ status: 500, text: 'Internal Server Error' }, { status: 500 }, { status: 500 }, { status: 500 }]);
		const result = await fixture.run([{}], quiet(30, { options: { maxRetries: 0 } }), 'continueRegularOutput');
		expect(result.main).toHaveLength(1);
		expect(result.main[0].json).toMatchObject({ message: 'GREEN-API failed while handling lastOutgoingMessages.', error: { code: 'SERVER_ERROR', httpCode: 500 } });
		expect(result.main[0].json.chatId).toBeUndefined();
	});

	it('a journal answering 429: resent after the pause, and the answer is complete', async () => {
		said('incoming', ANNA.chatId, DAY_S);
		fixture.simulator.script(ID_INSTANCE, 'lastIncomingMessages', [{ status: 429 }]);
		const result = await fixture.run([{}], quiet(7));
		expect(result.error).toBeUndefined();
		// The scripted 429, then resends until one gets through (the sandbox counts the refused request in its
		// rolling second, so a resend within that second may be refused too): never a failure.
		const statuses = fixture.simulator.requests.filter((request) => request.method === 'lastIncomingMessages').map((request) => request.status);
		expect(statuses.join(' ')).toMatch(/^429( 429)* 200$/);
		expect(result.main.map((item) => item.json.chatId)).not.toContain(ANNA.chatId);
	});

	it('a value that is no number of days fails its item, naming the field and the item', async () => {
		const result = await fixture.run([{ days: 'a month' }], { operation: 'getAll', filters: { quietForDays: '={{ $json.days }}' } }, 'continueRegularOutput');
		expect(result.main[0].json).toMatchObject({ message: 'Filters → Quiet for at Least (Days) must be a number of days from 0 up, but is "a month" [item 0]', error: { code: 'INVALID_INPUT' } });
	});
});

describe('an AI Agent asking "which chats have been quiet for a week?"', () => {
	const fromAi = "={{ $fromAI('days', 'How many days the chats have had no message', 'number') }}";

	it('the tool’s description offers it, and the tool n8n builds asks the model for the days, as a number', () => {
		expect(new GreenApi().description.description).toContain('only those quiet for at least some days');
		const node = {
			id: '1',
			name: 'Quiet chats',
			type: 'n8n-nodes-green-api.greenApi',
			typeVersion: 1,
			position: [0, 0],
			parameters: { resource: 'chat', operation: 'getAll', filters: { quietForDays: fromAi } },
		} as INode;
		const schema = getSchema(node);
		expect(Object.keys(schema.shape)).toEqual(['days']);
		expect(schema.safeParse({ days: 7 }).success).toBe(true);
	});

	it('what the model gives gets the same answer as the filter set by hand', async () => {
		said('incoming', ANNA.chatId, 3 * DAY_S);
		said('incoming', JANE.chatId, 8 * DAY_S);
		const byAgent = await fixture.run([{ query: { days: 7 } }], { operation: 'getAll', returnAll: true, filters: { quietForDays: fromAi } });
		const byHand = await fixture.run([{}], quiet(7));
		expect(byAgent.main.map((item) => item.json.chatId)).toEqual(byHand.main.map((item) => item.json.chatId));
		expect(byAgent.main.map((item) => item.json.chatId)).toContain(JANE.chatId);
		expect(byAgent.main.map((item) => item.json.chatId)).not.toContain(ANNA.chatId);
	});
});
