/**
 * Errors that never hide a bug: a fault of the node itself (a throwing step, a throwing answer
 * reader) fails only its item, with NODE_FAULT and a sentence that says it is the node's fault, the
 * cause in n8n's log; it never escapes while other items are in flight, under continue-on-fail or
 * not; and CANCELLED is only ever the code of a cancelled run. Proved through n8n's engine with
 * deliberately broken test operations beside a working one.
 */
import { getChat } from '../nodes/GreenApi/actions/chat/get.operation';
import type { GreenApiMethod } from '../nodes/GreenApi/api/types';
import { logLines, registerMethodsNode, runGreenApi } from './harness/engine';
import { startFixture, TOKEN, type Fixture } from './helpers/fixture';

const ANNA = { chatId: '79001234567@c.us', name: 'Anna Petrova' };
const IVAN = { chatId: '79007654321@c.us', name: 'Ivan Sidorov' };
const BROKEN = '79000000001@c.us';

/** Gets a chat's details, and trips over a bug for one chat (a TypeError, as a typo would make). */
const brokenStep: GreenApiMethod = {
	...getChat,
	operation: 'brokenStep',
	name: 'Broken Step',
	action: 'A step with a bug',
	execute: async ({ request, call }) => {
		if (request.chatId === BROKEN) {
			const missing = undefined as unknown as { archived: boolean };
			return [{ archived: missing.archived }];
		}
		const [details] = await call(getChat, { chatId: request.chatId });
		return [details];
	},
};

/** Reads its answer with a bug (not an unexpected answer: the answer is fine). */
const brokenOutput: GreenApiMethod = {
	...getChat,
	operation: 'brokenOutput',
	name: 'Broken Output',
	action: 'An answer reader with a bug',
	output: () => {
		throw new RangeError(`a reader with a bug, near /waInstance1101000001/getContactInfo/${TOKEN}`);
	},
};

const BROKEN_NODE = registerMethodsNode('broken', [brokenStep, brokenOutput]);

let fixture: Fixture;
beforeEach(async () => {
	fixture = await startFixture([ANNA, IVAN, { chatId: BROKEN, name: 'Broken' }]);
	logLines.splice(0);
});
afterEach(async () => await fixture.stop());

const run = async (operation: string, chatIds: string[], onError?: 'continueRegularOutput' | 'continueErrorOutput') =>
	await runGreenApi({
		items: chatIds.map((chatId) => ({ chatId })),
		parameters: { resource: 'chat', operation, chatId: '={{ $json.chatId }}' },
		credentials: { main: fixture.credential },
		nodeType: BROKEN_NODE,
		onError,
	});

describe('a fault of the node itself', () => {
	it('in an operation’s step, with continue-on-fail: only that item fails, with NODE_FAULT; the others are done and kept, in order', async () => {
		const result = await run('brokenStep', [ANNA.chatId, BROKEN, IVAN.chatId], 'continueRegularOutput');
		expect(result.error).toBeUndefined();
		const json = result.main.map((item) => item.json);
		expect(json[0]).toMatchObject({ chatId: ANNA.chatId });
		expect(json[1]).toEqual({
			message: 'The GREEN-API node failed on this item because of a fault in the node itself, not in the input or in GREEN-API.',
			error: expect.objectContaining({ code: 'NODE_FAULT', description: expect.stringContaining("TypeError: Cannot read properties of undefined (reading 'archived')") }),
		});
		expect(json[2]).toMatchObject({ chatId: IVAN.chatId });
		expect(result.main.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// The cause, with its stack, in n8n's log.
		expect(logLines.some((line) => line.startsWith('error GREEN-API node: a fault of the node itself on item 1: TypeError') && line.includes('engine.faults.test.ts'))).toBe(true);
	});

	it('with the error output: the faulty item goes there, the rest through', async () => {
		const result = await run('brokenStep', [BROKEN, ANNA.chatId], 'continueErrorOutput');
		expect(result.main.map((item) => item.json.chatId)).toEqual([ANNA.chatId]);
		expect(result.errorOutput.map((item) => (item.json.error as { code: string }).code)).toEqual(['NODE_FAULT']);
	});

	it('without continue-on-fail: the node stops with the fault named (not "cancelled", not thrown out while other items run)', async () => {
		const result = await run('brokenStep', [ANNA.chatId, BROKEN]);
		expect(result.error?.message).toBe('The GREEN-API node failed on this item because of a fault in the node itself, not in the input or in GREEN-API.');
		expect(result.error?.message).not.toContain('cancelled');
	});

	it('in reading an answer: NODE_FAULT, not UNEXPECTED_ANSWER (the answer was fine); the token scrubbed from what is shown and logged', async () => {
		const result = await run('brokenOutput', [ANNA.chatId], 'continueRegularOutput');
		expect(result.main[0].json).toMatchObject({ error: { code: 'NODE_FAULT', description: expect.stringContaining('RangeError: a reader with a bug, near /waInstance1101000001/getContactInfo/***') } });
		expect(result.stored).not.toContain(TOKEN);
		expect(logLines.join('\n')).not.toContain(TOKEN);
		expect(logLines.join('\n')).toContain('RangeError: a reader with a bug');
	});
});
