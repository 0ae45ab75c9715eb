/**
 * Send Once Per Key across processes (queue-mode workers): each "process" here is its own copy of
 * the node's modules (its own in-process turn-taking and pacer, as a worker has), run by n8n-core,
 * all sharing one deduplication store that behaves as n8n's (read, change, write back whole, no
 * lock, a database round trip per read and write) and one sandbox instance. Without the claim's
 * settle-and-check, copies told "new" at the same moment both send (the first test fails so).
 */
import * as n8nWorkflow from 'n8n-workflow';
import type { INodeType } from 'n8n-workflow';

import { registerNodeType, runGreenApi } from './harness/engine';
import { ID_INSTANCE, startFixture, type Fixture } from './helpers/fixture';
import { KEYED_SEND_TEXT } from './helpers/keyedSendText';

const PROCESSES = 4;
const CHATS = Array.from({ length: 8 }, (_, index) => `7900123450${index}@c.us`);

/** A copy of the node's modules, as another process loads them; n8n-workflow is n8n's one copy, as in a worker. */
function processCopy(index: number): string {
	let node: INodeType | undefined;
	jest.isolateModules(() => {
		jest.doMock('n8n-workflow', () => n8nWorkflow);
		const { GreenApi } = require('../nodes/GreenApi/GreenApi.node') as { GreenApi: new () => INodeType };
		node = new GreenApi();
	});
	const type = `test.greenApiProcess${index}`;
	registerNodeType(type, node!);
	return type;
}

const processes = Array.from({ length: PROCESSES }, (_, index) => processCopy(index));

let fixture: Fixture;
beforeEach(async () => {
	fixture = await startFixture(CHATS.map((chatId) => ({ chatId })));
});
afterEach(async () => await fixture.stop());

let serial = 0;
const freshKey = (name: string) => `${name}-${process.pid}-${++serial}`;
const workflowId = `wfProc${process.pid}`;

/** One execution on process `which`: Send Text to each item's chat with its key. */
const send = async (which: number, items: Array<{ chat: string; key: string }>) =>
	await runGreenApi({
		items: items as never,
		parameters: KEYED_SEND_TEXT as never,
		credentials: { main: fixture.credential },
		nodeType: processes[which],
		workflowId,
		onError: 'continueRegularOutput',
	});

const held = (chat: string) => fixture.simulator.sentTo(ID_INSTANCE, chat).length;

describe('Send Once Per Key across processes sharing n8n’s store', () => {
	it(`one key sent by ${PROCESSES} processes at the same moment, ten times over: one message each time, the others skipped, no error`, async () => {
		for (let round = 0; round < 10; round++) {
			const chat = CHATS[round % CHATS.length];
			const before = held(chat);
			const key = freshKey('deal');
			const runs = await Promise.all(processes.map(async (_, which) => await send(which, [{ chat, key }])));
			const items = runs.map((run) => run.main[0].json);
			expect(items.filter((item) => item.error !== undefined)).toEqual([]);
			expect(items.filter((item) => item.sent === true)).toHaveLength(1);
			expect(held(chat) - before).toBe(1);
		}
		// Ten claims in a row, each waiting out SETTLE_MS (and longer when erased): more than the in-process minute under load.
	}, 180000);

	it('different keys recorded by different processes at the same moment are all kept: a second round sends none of them again', async () => {
		const keys = CHATS.map((chat) => ({ chat, key: freshKey('lead') }));
		// Each process sends two of the keys, all at once.
		const first = await Promise.all(
			processes.map(
				async (_, which) =>
					await send(
						which,
						keys.filter((__, index) => index % PROCESSES === which),
					),
			),
		);
		expect(first.flatMap((run) => run.main.map((item) => (item.json.sent === true ? true : item.json)))).toEqual(Array(keys.length).fill(true));
		const again = await Promise.all(
			processes.map(
				async (_, which) =>
					await send(
						(which + 1) % PROCESSES,
						keys.filter((__, index) => index % PROCESSES === which),
					),
			),
		);
		expect(again.flatMap((run) => run.main.map((item) => item.json.sent))).toEqual(Array(keys.length).fill(false));
		expect(CHATS.map(held)).toEqual(Array(CHATS.length).fill(1));
	});
});
