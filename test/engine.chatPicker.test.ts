/**
 * Chat as a resource locator, through n8n's engine: "By ID or Phone" (typed or mapped, today's
 * rules), "From List" (the list search `searchChats`, called as n8n's server calls it for the
 * editor), the 0.1.0 plain string, and the chat filled by an AI Agent through $fromAI.
 */
import { getSchema } from 'n8n-core/dist/execution-engine/node-execution-context/utils/create-node-as-tool';
import type { INode, INodeParameters } from 'n8n-workflow';

import { GreenApi } from '../nodes/GreenApi/GreenApi.node';
import { logLines } from './harness/engine';
import { ID_INSTANCE, TOKEN, startFixture, type Fixture } from './helpers/fixture';

const ANNA = { chatId: '79001234567@c.us', name: 'Anna Petrova' };
const IVAN = { chatId: '79007654321@c.us', name: 'Ivan Sidorov', archived: true };
const OLIVER = { chatId: '442079460958@c.us', name: 'Oliver Smith' };
const BUYERS = { chatId: '120363043968066561@g.us', name: 'Acme buyers' };
const NAMELESS = { chatId: '4915112345678@c.us' };

let fixture: Fixture;
beforeEach(async () => {
	fixture = await startFixture([ANNA, IVAN, OLIVER, BUYERS, NAMELESS]);
});
afterEach(async () => await fixture.stop());

const locator = (mode: 'idOrPhone' | 'list', value: unknown) => ({ __rl: true, mode, value }) as unknown as INodeParameters[string];
const archivedChats = () => [...fixture.simulator.instance(ID_INSTANCE).chats].filter(([, chat]) => chat.archived).map(([chatId]) => chatId);

describe('Chat → By ID or Phone', () => {
	it('mapped by expression: chat IDs and phone numbers per item, read by the same rules as before', async () => {
		const result = await fixture.run([{ chat: ANNA.chatId }, { chat: '+44 20 7946 0958' }, { chat: 4915112345678 }], {
			chatId: locator('idOrPhone', '={{ $json.chat }}'),
		});
		expect(result.error).toBeUndefined();
		expect(result.main.map((item) => item.json)).toEqual([
			{ chatId: ANNA.chatId, archived: true },
			{ chatId: OLIVER.chatId, archived: true, input: '+44 20 7946 0958' },
			{ chatId: NAMELESS.chatId, archived: true, input: 4915112345678 },
		]);
	});

	it('typed: a national number with Default Country', async () => {
		const result = await fixture.run([{}], { chatId: locator('idOrPhone', '8 (900) 123-45-67'), options: { defaultCountry: 'RU' } });
		expect(result.main.map((item) => item.json)).toEqual([{ chatId: ANNA.chatId, archived: true, input: '8 (900) 123-45-67' }]);
	});

	it('left empty: n8n itself refuses to run the node, naming the field', async () => {
		await expect(fixture.run([{}], { chatId: locator('idOrPhone', '') })).rejects.toThrow(/Parameter "Chat" is required/);
		expect(fixture.simulator.requests).toEqual([]);
	});

	it('mapped to an empty value: the node stops naming the field and the item, nothing is sent', async () => {
		const result = await fixture.run([{ chat: ANNA.chatId }, { chat: '' }], { chatId: locator('idOrPhone', '={{ $json.chat }}') });
		expect(result.error?.message).toBe('Chat is empty [item 1]');
		expect(fixture.simulator.requests).toEqual([]);
	});

	it('gives exactly what the 0.1.0 plain string gives, for the same values', async () => {
		const items = [{ chat: ANNA.chatId }, { chat: '+44 20 7946 0958' }, { chat: 'call back later' }];
		const asLocator = await fixture.run(items, { chatId: locator('idOrPhone', '={{ $json.chat }}') }, 'continueRegularOutput');
		for (const chatId of [ANNA.chatId, OLIVER.chatId]) fixture.simulator.instance(ID_INSTANCE).chats.get(chatId)!.archived = false;
		const asString = await fixture.run(items, { chatId: '={{ $json.chat }}' }, 'continueRegularOutput');
		expect(asString.main.map((item) => item.json)).toEqual(asLocator.main.map((item) => item.json));
		expect(asString.main[2].json.message).toBe('Chat "call back later" is neither a chat ID nor a phone number [item 2]');
	});
});

describe('Chat → From List', () => {
	it('the list a field names is one the node offers', () => {
		const node = new GreenApi();
		const named = node.description.properties.flatMap((property) => property.modes ?? []).map((mode) => mode.typeOptions?.searchListMethod);
		// The Chat field once per resource that has it; every one names the same search.
		expect([...new Set(named.filter(Boolean))]).toEqual(['searchChats']);
		expect(Object.keys(node.methods.listSearch)).toEqual(['searchChats']);
	});

	it("lists the instance's chats, most recent first, with name, ID and archive state; the value is the chat ID", async () => {
		const { results, paginationToken } = await fixture.searchChats();
		expect(results).toEqual([
			{ name: NAMELESS.chatId, value: NAMELESS.chatId },
			{ name: 'Acme buyers — 120363043968066561@g.us', value: BUYERS.chatId },
			{ name: 'Oliver Smith — 442079460958@c.us', value: OLIVER.chatId },
			{ name: 'Ivan Sidorov — 79007654321@c.us (archived)', value: IVAN.chatId },
			{ name: 'Anna Petrova — 79001234567@c.us', value: ANNA.chatId },
		]);
		expect(paginationToken).toBeUndefined();
		expect(fixture.simulator.requests.map((request) => request.method)).toEqual(['getChats']);
	});

	it.each([
		['part of a name, in any case', 'petr', [ANNA]],
		['part of an ID', '@g.us', [BUYERS]],
		['a phone number as people write it', '+44 20 7946', [OLIVER]],
		['digits in the middle of a number', '765-43', [IVAN]],
		['something no chat has', 'Zebra', []],
	])('filters by what the user types: %s', async (_case, filter, expected) => {
		const { results } = await fixture.searchChats(filter);
		expect(results.map((result) => result.value)).toEqual(expected.map((chat) => chat.chatId));
	});

	it('hands out long lists a page of 100 at a time', async () => {
		const instance = fixture.simulator.instance(ID_INSTANCE);
		for (let i = 0; i < 245; i++) fixture.simulator.addChat(instance, { chatId: `${79100000000 + i}@c.us`, name: `Lead ${i}` });
		const first = await fixture.searchChats('Lead');
		const second = await fixture.searchChats('Lead', first.paginationToken);
		const third = await fixture.searchChats('Lead', second.paginationToken);
		expect([first, second, third].map((page) => page.results.length)).toEqual([100, 100, 45]);
		expect(third.paginationToken).toBeUndefined();
		const values = [first, second, third].flatMap((page) => page.results.map((result) => result.value));
		expect(new Set(values).size).toBe(245);
	});

	it("searches in quick succession (a user typing) wait their turn at getChats' 1 per second: no 429", async () => {
		const answers = await Promise.all(['a', 'an', 'ann', 'anna'].map(async (filter) => await fixture.searchChats(filter)));
		expect(answers.map((answer) => answer.results.map((result) => result.value))).toEqual([[BUYERS.chatId, IVAN.chatId, ANNA.chatId], [IVAN.chatId, ANNA.chatId], [ANNA.chatId], [ANNA.chatId]]);
		expect(fixture.simulator.tooManyRequests).toBe(0);
		expect(fixture.simulator.busiestSecond(`${ID_INSTANCE}|getChats`)).toBe(1);
	});

	it('a picked chat is archived like a typed one', async () => {
		const result = await fixture.run([{}], { chatId: { __rl: true, mode: 'list', value: OLIVER.chatId, cachedResultName: 'Oliver Smith — 442079460958@c.us' } });
		expect(result.main.map((item) => item.json)).toEqual([{ chatId: OLIVER.chatId, archived: true }]);
		expect(archivedChats()).toEqual([IVAN.chatId, OLIVER.chatId]);
	});

	it("a wrong token: the catalogue's sentence, naming the field to fix, and no token anywhere", async () => {
		const failure = await fixture.searchChats('', undefined, { ...fixture.credential, apiTokenInstance: `${TOKEN.slice(0, -6)}000000` }).catch((error: Error) => error);
		expect(failure).toBeInstanceOf(Error);
		expect((failure as Error).message).toBe('GREEN-API rejected the API token (apiTokenInstance).');
		expect((failure as { description?: string }).description).toMatch(/API Token Instance/);
		expect(JSON.stringify({ ...failure, message: (failure as Error).message })).not.toContain(TOKEN.slice(0, -6));
		expect(logLines.join('\n')).not.toContain(TOKEN.slice(0, -6));
	});

	it('an unknown instance: says which instance and host were refused', async () => {
		const failure = await fixture.searchChats('', undefined, { ...fixture.credential, idInstance: '1101999999' }).catch((error: Error) => error);
		expect((failure as Error).message).toMatch(/^GREEN-API refused access to instance 1101999999 at http:\/\/127\.0\.0\.1:\d+\.$/);
	});
});

describe('Chat filled by an AI Agent', () => {
	const fromAi = "={{ $fromAI('chat', 'The WhatsApp chat ID, or the phone number with its country code', 'string') }}";

	it('the tool n8n builds from the node asks the model for the chat, as a string', () => {
		const node = {
			id: '1',
			name: 'Archive chat',
			type: 'n8n-nodes-green-api.greenApi',
			typeVersion: 1,
			position: [0, 0],
			parameters: { resource: 'chat', operation: 'archive', chatId: locator('idOrPhone', fromAi) },
		} as INode;
		const schema = getSchema(node);
		expect(Object.keys(schema.shape)).toEqual(['chat']);
		expect(schema.safeParse({ chat: '+7 900 123-45-67' }).success).toBe(true);
		expect(schema.safeParse({}).success).toBe(false);
	});

	it('what the model gives is read by the same rules: a phone number is archived as its chat', async () => {
		const result = await fixture.run([{ query: { chat: '+7 900 123-45-67' } }], { chatId: locator('idOrPhone', fromAi) });
		expect(result.main.map((item) => item.json)).toEqual([{ chatId: ANNA.chatId, archived: true, input: '+7 900 123-45-67' }]);
	});
});
