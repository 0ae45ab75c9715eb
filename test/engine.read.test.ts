/**
 * Reading chats through n8n's engine: Chat → Get Many (getChats) with its filters, Return All /
 * Limit and the answers the service may give, and Chat → Get (getContactInfo), paced at its
 * 1-per-second limit, with its documented errors and an answer of the wrong shape.
 */
import { ID_INSTANCE, startFixture, type Fixture } from './helpers/fixture';

const ANNA = { chatId: '79001234567@c.us', name: 'Anna Petrova' };
const IVAN = { chatId: '79007654321@c.us', name: 'Ivan Sidorov', archived: true };
const OLIVER = { chatId: '442079460958@c.us', name: 'Oliver Smith' };
const BUYERS = { chatId: '120363043968066561@g.us', name: 'Acme buyers' };
const OLD_GROUP = { chatId: '79001234567-1581234048@g.us', name: 'Old team', archived: true };

let fixture: Fixture;
beforeEach(async () => {
	fixture = await startFixture([ANNA, IVAN, OLIVER, BUYERS, OLD_GROUP]);
});
afterEach(async () => await fixture.stop());

const listed = (chat: { chatId: string; name: string; archived?: boolean }) => ({
	chatId: chat.chatId,
	name: chat.name,
	type: chat.chatId.endsWith('@g.us') ? 'group' : 'user',
	archived: chat.archived === true,
});

describe('Chat → Get Many', () => {
	it('lists every chat with name, type and archive state, most recent first, one item each, paired with the input item', async () => {
		const result = await fixture.run([{}], { operation: 'getAll', returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.main.map((item) => item.json)).toEqual([OLD_GROUP, BUYERS, OLIVER, IVAN, ANNA].map(listed));
		expect(result.main.every((item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 0 }))).toBe(true);
		expect(fixture.simulator.requests).toHaveLength(1);
		expect(fixture.simulator.requests[0]).toMatchObject({ method: 'getChats', status: 200, body: '' });
	});

	it.each([
		['not archived', { archived: 'notArchived' }, [BUYERS, OLIVER, ANNA]],
		['archived only', { archived: 'archived' }, [OLD_GROUP, IVAN]],
		['people', { type: 'user' }, [OLIVER, IVAN, ANNA]],
		['groups that are not archived', { archived: 'notArchived', type: 'group' }, [BUYERS]],
	])('filters: %s', async (_case, filters, expected) => {
		const result = await fixture.run([{}], { operation: 'getAll', returnAll: true, filters });
		expect(result.main.map((item) => item.json)).toEqual(expected.map(listed));
	});

	it('Limit (without Return All) cuts the list after filtering; the default is 50', async () => {
		const limited = await fixture.run([{}], { operation: 'getAll', limit: 2, filters: { archived: 'notArchived' } });
		expect(limited.main.map((item) => item.json.chatId)).toEqual([BUYERS.chatId, OLIVER.chatId]);
		const byDefault = await fixture.run([{}], { operation: 'getAll' });
		expect(byDefault.main).toHaveLength(5);
	});

	it('each input item gets its own filtered list, paired with it (the chat list is read once per execution); an item whose filters match nothing yields nothing', async () => {
		fixture.simulator.instance(ID_INSTANCE).chats.get(OLD_GROUP.chatId)!.archived = false;
		const result = await fixture.run(
			[
				{ archived: 'archived', type: 'all' },
				{ archived: 'archived', type: 'group' },
				{ archived: 'notArchived', type: 'group' },
			],
			{ operation: 'getAll', returnAll: true, filters: { archived: '={{ $json.archived }}', type: '={{ $json.type }}' } },
		);
		expect(result.main.map((item) => [item.pairedItem, item.json.chatId])).toEqual([
			[{ item: 0 }, IVAN.chatId],
			[{ item: 2 }, OLD_GROUP.chatId],
			[{ item: 2 }, BUYERS.chatId],
		]);
		expect(fixture.simulator.requests.filter((request) => request.method === 'getChats')).toHaveLength(1);
	});
});

describe('Chat → Get', () => {
	it("gives the chat's details, archived among them, for a chat ID or a phone number", async () => {
		const result = await fixture.run([{ chatId: IVAN.chatId }, { chatId: '8 (900) 123-45-67' }], {
			operation: 'get',
			options: { defaultCountry: 'RU' },
		});
		expect(result.error).toBeUndefined();
		expect(result.main[0].json).toEqual({
			chatId: IVAN.chatId,
			name: 'Ivan Sidorov',
			contactName: 'Ivan Sidorov',
			archived: true,
			muted: false,
			muteExpiration: null,
			disappearingMessages: false,
			messageExpiration: 0,
			business: false,
			category: '',
			description: '',
			email: '',
			lastSeen: null,
			avatar: '',
		});
		expect(result.main[1].json).toMatchObject({ chatId: ANNA.chatId, archived: false, input: '8 (900) 123-45-67' });
		expect(fixture.simulator.requests.map((request) => JSON.parse(request.body))).toEqual([{ chatId: IVAN.chatId }, { chatId: ANNA.chatId }]);
	});

	it('a group: the documented refusal as a plain sentence with a code to branch on', async () => {
		const result = await fixture.run([{ chatId: BUYERS.chatId }], { operation: 'get' }, 'continueRegularOutput');
		expect(result.main[0].json).toMatchObject({
			message: `GREEN-API gives no details of group chat ${BUYERS.chatId}.`,
			error: { code: 'GROUP_NOT_SUPPORTED', httpCode: 400, chatId: BUYERS.chatId },
		});
	});

	it('bulk runs go at the documented 1 per second: five chats, no 429, never two in a rolling second', async () => {
		const chats = [ANNA, IVAN, OLIVER, ANNA, IVAN].map(({ chatId }) => ({ chatId }));
		const result = await fixture.run(chats, { operation: 'get' });
		expect(result.main.map((item) => item.json.chatId)).toEqual(chats.map(({ chatId }) => chatId));
		expect(fixture.simulator.tooManyRequests).toBe(0);
		expect(fixture.simulator.busiestSecond(`${ID_INSTANCE}|getContactInfo`)).toBe(1);
	});

	it('an answer of the wrong shape: an error that says what was expected, not a crash', async () => {
		fixture.simulator.script(ID_INSTANCE, ANNA.chatId, [{ status: 200, body: '[1, 2]' }]);
		const result = await fixture.run([{ chatId: ANNA.chatId }], { operation: 'get' }, 'continueRegularOutput');
		expect(result.main[0].json).toMatchObject({
			message: "GREEN-API gave an unexpected answer to getContactInfo: expected the chat's details.",
			error: { code: 'UNEXPECTED_ANSWER' },
		});
	});
});

describe('Chat → Get Many: every answer GREEN-API documents for it reaches the user as a plain sentence', () => {
	const run = async () => await fixture.run([{}], { operation: 'getAll', returnAll: true }, 'continueRegularOutput');
	const instance = () => fixture.simulator.instance(ID_INSTANCE);

	it.each([
		['not authorized', () => (instance().state = 'notAuthorized'), 'NOT_AUTHORIZED', /not authorized/],
		['starting', () => (instance().state = 'starting'), 'INSTANCE_STARTING', /still starting/],
		['quota used up', () => (instance().quotaExceeded = true), 'QUOTA_EXCEEDED', /monthly quota/i],
		['a server error', () => fixture.simulator.script(ID_INSTANCE, 'getChats', [{ status: 500, text: 'something broke' }]), 'SERVER_ERROR', /^GREEN-API failed while handling getChats\.$/],
		[
			'an answer that is no list',
			() => fixture.simulator.script(ID_INSTANCE, 'getChats', [{ status: 200, body: '{"chats": []}' }]),
			'UNEXPECTED_ANSWER',
			/^GREEN-API gave an unexpected answer to getChats: expected a list of chats\.$/,
		],
	])('%s', async (_case, arrange, code, message) => {
		arrange();
		const result = await run();
		expect(result.main).toHaveLength(1);
		expect(result.main[0].json.error).toMatchObject({ code });
		expect(result.main[0].json.message).toMatch(message);
	});

	it('a wrong token (401) and a wrong instance (403) name the credential field to fix', async () => {
		const wrongToken = await fixture.run([{}], { operation: 'getAll' }, 'continueRegularOutput', { ...fixture.credential, apiTokenInstance: 'x'.repeat(50) });
		expect(wrongToken.main[0].json).toMatchObject({ error: { code: 'UNAUTHORIZED', httpCode: 401 } });
		expect(wrongToken.main[0].json.error).toMatchObject({ description: expect.stringContaining('API Token Instance') });
		const wrongInstance = await fixture.run([{}], { operation: 'getAll' }, 'continueRegularOutput', { ...fixture.credential, idInstance: '1101999999' });
		expect(wrongInstance.main[0].json).toMatchObject({ error: { code: 'FORBIDDEN', httpCode: 403 } });
	});

	it('a gateway error is retried, then the list comes', async () => {
		fixture.simulator.script(ID_INSTANCE, 'getChats', [{ status: 502 }]);
		const result = await run();
		expect(result.main.map((item) => item.json.chatId)).toEqual([OLD_GROUP, BUYERS, OLIVER, IVAN, ANNA].map((chat) => chat.chatId));
		expect(fixture.simulator.requests.map((request) => request.status)).toEqual([502, 200]);
	});
});
