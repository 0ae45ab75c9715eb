/**
 * Order within a chat, and a stopped run that says what it did, through n8n's engine: items for
 * one chat are called in item order, one at a time, also when 429s and gateway errors make the
 * earlier ones wait, while other chats go on in parallel; without continue-on-fail, the error of
 * a stopped run lists the items done before it stopped.
 */
import { ID_INSTANCE, startFixture, type Fixture } from './helpers/fixture';

const ANNA = { chatId: '79001234567@c.us', name: 'Anna Petrova', unread: 3 };
const IVAN = { chatId: '79007654321@c.us', name: 'Ivan Sidorov', unread: 1 };

let fixture: Fixture;
beforeEach(async () => {
	fixture = await startFixture([ANNA, IVAN]);
});
afterEach(async () => await fixture.stop());

/** The readChat requests GREEN-API carried out (answered 200), as [chat, message ID], in the order they arrived. */
const carriedOut = () =>
	fixture.simulator.requests
		.filter((request) => request.method === 'readChat' && request.status === 200)
		.map((request) => JSON.parse(request.body) as { chatId: string; idMessage: string })
		.map((body) => [body.chatId, body.idMessage]);

const markAsRead = { operation: 'markAsRead', idMessage: '={{ $json.last }}', options: { requestsPerSecond: 10 } };

describe('order within a chat', () => {
	it('a chat’s items are carried out in item order, though a 429 and a 502 hold up the first; another chat’s item does not wait for them', async () => {
		fixture.simulator.script(ID_INSTANCE, ANNA.chatId, [{ status: 429 }, { status: 502 }]);
		const items = [
			{ chatId: ANNA.chatId, last: 'A1' },
			{ chatId: ANNA.chatId, last: 'A2' },
			{ chatId: IVAN.chatId, last: 'I1' },
			{ chatId: ANNA.chatId, last: 'A3' },
		];
		const result = await fixture.run(items, markAsRead);
		expect(result.error).toBeUndefined();
		expect(result.main.map((item) => item.json.idMessage)).toEqual(['A1', 'A2', 'I1', 'A3']);
		const done = carriedOut();
		expect(done.filter(([chatId]) => chatId === ANNA.chatId).map(([, id]) => id)).toEqual(['A1', 'A2', 'A3']);
		// Ivan's item went while Anna's first was still being resent.
		expect(done.findIndex(([, id]) => id === 'I1')).toBeLessThan(done.findIndex(([, id]) => id === 'A1'));
	});

	it('one at a time: a chat’s next item is sent only after the previous one is answered (its resend included)', async () => {
		fixture.simulator.script(ID_INSTANCE, ANNA.chatId, [{ status: 502 }]);
		await fixture.run(
			[1, 2, 3].map((n) => ({ chatId: ANNA.chatId, last: `A${n}` })),
			markAsRead,
		);
		const sent = fixture.simulator.requests.filter((request) => request.method === 'readChat');
		expect(sent.map((request) => [JSON.parse(request.body).idMessage, request.status])).toEqual([
			['A1', 502],
			['A1', 200],
			['A2', 200],
			['A3', 200],
		]);
	});
});

describe('a run stopped by a failure (no continue-on-fail)', () => {
	it('its error lists what the items done before it did: item and chat', async () => {
		fixture.simulator.script(ID_INSTANCE, IVAN.chatId, [{ status: 400, text: 'Validation failed' }]);
		const result = await fixture.run([{ chatId: ANNA.chatId }, { chatId: IVAN.chatId }], { operation: 'markAsRead', idMessage: '' });
		expect(result.error?.message).toBe(`GREEN-API refused chat ID ${IVAN.chatId} as invalid.`);
		expect((result.error as { description?: string }).description).toContain(`Done before the node stopped, and not undone: item 0 (chat ${ANNA.chatId}).`);
		expect(fixture.simulator.instance(ID_INSTANCE).chats.get(ANNA.chatId)!.unread).toBe(0);
	});

	it('when nothing was done, it says nothing of it', async () => {
		fixture.simulator.script(ID_INSTANCE, IVAN.chatId, [{ status: 400, text: 'Validation failed' }]);
		const result = await fixture.run([{ chatId: IVAN.chatId }], { operation: 'markAsRead', idMessage: '' });
		expect((result.error as { description?: string }).description ?? '').not.toContain('Done before');
	});
});
