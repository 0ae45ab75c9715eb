/**
 * Chat → Mark as Read (readChat) through n8n's engine: the optional Up to Message ID is sent only
 * when set, the chat is read by the same rules as everywhere, a bad message ID fails its item
 * naming the field and the item; and an operation's own execute step (GreenApiMethod.execute),
 * proved with a test operation that reads a chat's details and marks it read only when archived.
 */
import { getChat } from '../nodes/GreenApi/actions/chat/get.operation';
import { markChatAsRead } from '../nodes/GreenApi/actions/chat/markAsRead.operation';
import type { GreenApiMethod } from '../nodes/GreenApi/api/types';
import { registerMethodsNode, runGreenApi } from './harness/engine';
import { ID_INSTANCE, startFixture, TOKEN, type Fixture } from './helpers/fixture';

const ANNA = { chatId: '79001234567@c.us', name: 'Anna Petrova', unread: 3 };
const IVAN = { chatId: '79007654321@c.us', name: 'Ivan Sidorov', unread: 1, archived: true };

let fixture: Fixture;
beforeEach(async () => {
	fixture = await startFixture([ANNA, IVAN]);
});
afterEach(async () => await fixture.stop());

const unread = (chatId: string) => fixture.simulator.instance(ID_INSTANCE).chats.get(chatId)!.unread;
const sentBodies = () => fixture.simulator.requests.filter((request) => request.method === 'readChat').map((request) => JSON.parse(request.body));

describe('Chat → Mark as Read', () => {
	it('without Up to Message ID: the whole chat is read, and the request carries no idMessage key at all', async () => {
		const result = await fixture.run([{ chatId: ANNA.chatId }], { operation: 'markAsRead', idMessage: '' });
		expect(result.error).toBeUndefined();
		expect(result.main.map((item) => item.json)).toEqual([{ chatId: ANNA.chatId, read: true }]);
		expect(sentBodies()).toEqual([{ chatId: ANNA.chatId }]);
		expect(unread(ANNA.chatId)).toBe(0);
	});

	it('with Up to Message ID mapped from the item: sent trimmed, and given back', async () => {
		const result = await fixture.run([{ chatId: IVAN.chatId, last: ' BAE5F4886F6F2D05 ' }], { operation: 'markAsRead', idMessage: '={{ $json.last }}' });
		expect(result.main.map((item) => item.json)).toEqual([{ chatId: IVAN.chatId, idMessage: 'BAE5F4886F6F2D05', read: true }]);
		expect(sentBodies()).toEqual([{ chatId: IVAN.chatId, idMessage: 'BAE5F4886F6F2D05' }]);
		expect(unread(IVAN.chatId)).toBe(0);
	});

	it('a phone number is read by the chat rules, and the input is given back', async () => {
		const result = await fixture.run([{ chatId: '+7 (900) 123-45-67' }], { operation: 'markAsRead' });
		expect(result.main.map((item) => item.json)).toEqual([{ chatId: ANNA.chatId, read: true, input: '+7 (900) 123-45-67' }]);
	});

	it('a message ID that is no message ID fails its item, naming the field and the item; the others are read', async () => {
		const result = await fixture.run(
			[
				{ chatId: ANNA.chatId, last: '' },
				{ chatId: IVAN.chatId, last: 'BAE5 F488/../x' },
			],
			{ operation: 'markAsRead', idMessage: '={{ $json.last }}' },
			'continueRegularOutput',
		);
		expect(result.main).toHaveLength(2);
		expect(result.main[0].json).toEqual({ chatId: ANNA.chatId, read: true });
		expect(result.main[1].json).toEqual({
			message: 'Up to Message ID "BAE5 F488/../x" is not a GREEN-API message ID (letters and digits, as idMessage in the trigger\'s output) [item 1]',
			error: { code: 'INVALID_INPUT', description: expect.stringContaining('The ID of an incoming message') },
		});
		expect(sentBodies()).toEqual([{ chatId: ANNA.chatId }]);
		expect(unread(IVAN.chatId)).toBe(1);
	});

	it('safe to repeat: a 502 is retried and the chat is read', async () => {
		fixture.simulator.script(ID_INSTANCE, ANNA.chatId, [{ status: 502 }]);
		const result = await fixture.run([{ chatId: ANNA.chatId }], { operation: 'markAsRead' });
		expect(result.main.map((item) => item.json)).toEqual([{ chatId: ANNA.chatId, read: true }]);
		expect(sentBodies()).toHaveLength(2);
	});

	it('an answer without setRead fails the item as an unexpected answer', async () => {
		fixture.simulator.script(ID_INSTANCE, ANNA.chatId, [{ status: 200, body: '{}' }]);
		const result = await fixture.run([{ chatId: ANNA.chatId }], { operation: 'markAsRead' }, 'continueRegularOutput');
		expect(result.main[0].json).toMatchObject({ error: { code: 'UNEXPECTED_ANSWER', chatId: ANNA.chatId } });
	});
});

/** A test operation with its own execute step: Get the chat, and mark it read only when it is archived. */
const readIfArchived: GreenApiMethod = {
	...markChatAsRead,
	operation: 'readIfArchived',
	name: 'Read If Archived',
	action: 'Read an archived chat',
	fields: [markChatAsRead.fields[0]],
	execute: async ({ request, call }) => {
		const [details] = await call(getChat, { chatId: request.chatId });
		if (details.archived !== true) return [{ chatId: request.chatId, read: false, archived: false }];
		const [read] = await call(markChatAsRead, { chatId: request.chatId });
		return [{ ...read, archived: true }];
	},
};

const OWN_STEP_NODE = registerMethodsNode('ownStep', [readIfArchived]);

describe('an operation with its own execute step', () => {
	const run = async (chatIds: string[]) =>
		await runGreenApi({
			items: chatIds.map((chatId) => ({ chatId })),
			parameters: { resource: 'chat', operation: 'readIfArchived', chatId: '={{ $json.chatId }}' },
			credentials: { main: fixture.credential },
			nodeType: OWN_STEP_NODE,
			onError: 'continueRegularOutput',
		});

	it('makes its calls through the shared path, each at its own method’s pace, and its items are the output', async () => {
		const result = await run([ANNA.chatId, IVAN.chatId]);
		expect(result.main.map((item) => item.json)).toEqual([
			{ chatId: ANNA.chatId, read: false, archived: false },
			{ chatId: IVAN.chatId, read: true, archived: true },
		]);
		expect(result.main.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(fixture.simulator.requests.map((request) => request.method).sort()).toEqual(['getContactInfo', 'getContactInfo', 'readChat']);
		expect(fixture.simulator.busiestSecond(`${ID_INSTANCE}|getContactInfo`)).toBeLessThanOrEqual(1);
		expect(unread(IVAN.chatId)).toBe(0);
		expect(unread(ANNA.chatId)).toBe(3);
	});

	it('a call failing inside the step fails its item with that call’s error and code', async () => {
		fixture.simulator.script(ID_INSTANCE, IVAN.chatId, [
			{ status: 200, body: '{"isArchive":true}' },
			{ status: 400, text: 'Validation failed' },
		]);
		const result = await run([IVAN.chatId]);
		expect(result.main.map((item) => item.json)).toEqual([
			{ message: `GREEN-API refused chat ID ${IVAN.chatId} as invalid.`, error: expect.objectContaining({ code: 'VALIDATION_FAILED', httpCode: 400, chatId: IVAN.chatId }) },
		]);
		expect(JSON.stringify(result.stored)).not.toContain(TOKEN);
	});
});
