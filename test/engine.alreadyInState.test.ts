/** Options → Ignore Already Archived/Unarchived through n8n's engine, for Archive and Unarchive. */
import { startFixture, type Fixture } from './helpers/fixture';

const PERSON = '79001234567@c.us';

describe('Ignore Already Archived/Unarchived', () => {
	let fixture: Fixture;
	beforeEach(async () => {
		fixture = await startFixture([
			{ chatId: PERSON, archived: true },
			{ chatId: '79001112233@c.us', archived: false },
		]);
	});
	afterEach(async () => await fixture.stop());

	it('on: an already archived chat is a success marked alreadyInState', async () => {
		const result = await fixture.run([{ chatId: PERSON }, { chatId: '79001112233@c.us' }], { options: { ignoreAlreadyArchived: true } });
		expect(result.error).toBeUndefined();
		expect(result.main.map((item) => item.json)).toEqual([
			{ chatId: PERSON, archived: true, alreadyInState: true },
			{ chatId: '79001112233@c.us', archived: true },
		]);
	});

	it('on, for unarchive: a chat that is not archived is a success marked alreadyInState', async () => {
		const result = await fixture.run([{ chatId: '79001112233@c.us' }], {
			operation: 'unarchive',
			options: { ignoreAlreadyArchived: true },
		});
		expect(result.main.map((item) => item.json)).toEqual([{ chatId: '79001112233@c.us', archived: false, alreadyInState: true }]);
	});

	it('off (the default): it is an error', async () => {
		const result = await fixture.run([{ chatId: PERSON }], {}, 'continueRegularOutput');
		expect((result.main[0].json.error as { code: string }).code).toBe('ALREADY_ARCHIVED');
	});

	it('on: other errors are still errors', async () => {
		const result = await fixture.run([{ chatId: '79990000000@c.us' }], { options: { ignoreAlreadyArchived: true } }, 'continueRegularOutput');
		expect((result.main[0].json.error as { code: string }).code).toBe('CHAT_NOT_FOUND');
	});
});
