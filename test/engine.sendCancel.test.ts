/**
 * Send Text cancelled while its request is out, through n8n's engine: n8n-core's WorkflowExecute
 * runs the workflow and its own cancel (what the editor's Stop and n8n's REST stop call) aborts it.
 * The sandbox takes the message and never answers (a scripted `hang` after acceptance), so the
 * request is certainly out when the run is cancelled; the test waits for the sandbox to hold it, not
 * for a time. What is checked: the words the item's failure gets, what n8n records of the run, and
 * what Send Once Per Key does afterwards.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { NodeConnectionTypes, Workflow, type IDataObject, type IExecuteFunctions, type INode, type INodeExecutionData, type INodeParameters, type INodeType } from 'n8n-workflow';

import type { MethodCall } from '../nodes/GreenApi/api/types';
import { greenApiInstance, isCallFailure } from '../nodes/GreenApi/transport/call';
import { waitUntil } from '../scripts/waitUntil';
import { additionalDataFor, deduplication, logLines, NODE_NAME, NODE_TYPE, nodeTypes, registerNodeType } from './harness/engine';
import { ID_INSTANCE, startFixture, TOKEN, type Fixture } from './helpers/fixture';

const ANNA = '79001234567@c.us';
const IVAN = '79007654321@c.us';
const JANE = '14155550123@c.us';

/** sendMessage as a send is called: it must not run twice (safeToRepeat: false). */
const sendMessage: MethodCall = {
	path: 'sendMessage',
	httpMethod: 'POST',
	rateLimitPerSecond: 50,
	safeToRepeat: false,
	errors: [],
	output: (request, response) => [{ chatId: String(request.chatId), ...(response as IDataObject) }],
};

/**
 * One call per item on the node's one call path (transport/call.ts: greenApiInstance, as the
 * action node and the trigger call GREEN-API), in n8n's own execute context with the run's cancel
 * signal; the item is what the call came to: its items, or the failure's code and words.
 */
const CALL_PATH_NODE = 'test.callPath';
const callPath: INodeType = {
	description: {
		displayName: 'Call Path',
		name: 'callPath',
		group: ['output'],
		version: 1,
		description: 'test',
		defaults: { name: 'Call Path' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'greenApi', required: true }],
		properties: [{ displayName: 'Chat', name: 'chatId', type: 'string', default: '' }],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const instance = greenApiInstance({
			node: this.getNode(),
			http: async (options) => await this.helpers.httpRequest(options),
			credentials: async () => await this.getCredentials('greenApi', 0),
			signal: this.getExecutionCancelSignal(),
		});
		const outcome = await instance.attempt(sendMessage, { chatId: this.getNodeParameter('chatId', 0) as string, message: 'Thank you!' }, { itemIndex: 0 });
		const json: IDataObject = isCallFailure(outcome) ? { code: outcome.code, message: outcome.nodeError.message, description: outcome.nodeError.description ?? '' } : { items: outcome.items };
		return [[{ json, pairedItem: { item: 0 } }]];
	},
};
registerNodeType(CALL_PATH_NODE, callPath);

let fixture: Fixture;
beforeEach(async () => {
	fixture = await startFixture([{ chatId: ANNA }, { chatId: IVAN }, { chatId: JANE }]);
});
afterEach(async () => await fixture.stop());

let runs = 0;
/** A workflow of this test's own (the deduplication store outlives a test, as n8n's database does). */
const freshWorkflowId = () => `wfCancel${process.pid}${++runs}`;

/** Source → the node under test, started with n8n's engine; the run can be cancelled as n8n cancels it. */
function start(workflowId: string, node: { type: string; parameters: INodeParameters; onError?: INode['onError'] }, items: IDataObject[]) {
	const source: INode = { id: 'source', name: 'Source', type: 'test.source', typeVersion: 1, position: [0, 0], parameters: { items: JSON.stringify(items) } };
	const underTest: INode = {
		id: 'green-api',
		name: NODE_NAME,
		type: node.type,
		typeVersion: 1,
		position: [200, 0],
		parameters: node.parameters,
		credentials: { greenApi: { id: 'main', name: 'GREEN-API main' } },
		...(node.onError ? { onError: node.onError } : {}),
	};
	const workflowData = {
		id: workflowId,
		name: 'GREEN-API cancel test',
		active: false,
		nodes: [source, underTest],
		connections: { Source: { main: [[{ node: NODE_NAME, type: NodeConnectionTypes.Main, index: 0 }]] } },
		settings: { executionOrder: 'v1' as const },
	};
	const workflow = new Workflow({ ...workflowData, nodeTypes });
	const executionId = `cancel-${++runs}`;
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData as never);
	return new WorkflowExecute(additionalDataFor({ main: fixture.credential }, { hooks, executionId }), 'manual').run({ workflow, startNode: source });
}

/** Starts a run, waits until the sandbox holds `chat`'s message (its request is out, and never answered), cancels the run, and waits for it to end. */
async function cancelWhileOut(running: ReturnType<typeof start>, chat: string) {
	await waitUntil(() => fixture.simulator.sentTo(ID_INSTANCE, chat).length === 1, { timeoutMs: 10000, what: `The sandbox holds the message to ${chat}`, intervalMs: 10 });
	running.cancel();
	const run = await running;
	const task = run.data.resultData.runData[NODE_NAME][0];
	return { run, task, stored: JSON.stringify(run) };
}

const held = (chat: string) => fixture.simulator.sentTo(ID_INSTANCE, chat).length;
const sendText = (options: IDataObject = {}): INodeParameters => ({
	resource: 'message',
	operation: 'sendText',
	chatId: '={{ $json.chat }}',
	text: 'Thank you!',
	options: { sendOnceKey: '={{ $json.key }}', ...options } as INodeParameters,
});

/** What a send's failure says when the run was cancelled while its request was out: cancelled, and it may have been sent. */
const CANCELLED_MID_SEND = 'The execution was cancelled while sendMessage was on its way to GREEN-API. GREEN-API may have carried out sendMessage, so it was not sent again: it must not run twice.';

describe('a send cancelled while its request is out', () => {
	it('its failure says the run was cancelled and the message may have been sent (MAY_HAVE_HAPPENED), not that GREEN-API could not be reached', async () => {
		fixture.simulator.script(ID_INSTANCE, ANNA, [{ hang: true, accepted: true, method: 'sendMessage' }]);
		const { run, task, stored } = await cancelWhileOut(start(freshWorkflowId(), { type: CALL_PATH_NODE, parameters: { chatId: ANNA } }, [{}]), ANNA);
		const [item] = task.data!.main[0]!;
		expect(item.json).toEqual({ code: 'MAY_HAVE_HAPPENED', message: CANCELLED_MID_SEND, description: 'Check whether it happened before running this item again. Nothing more was sent.' });
		expect(held(ANNA)).toBe(1);
		expect(fixture.simulator.requests.filter((request) => request.method === 'sendMessage')).toHaveLength(1);
		expect(stored).not.toContain(TOKEN);
		// The node finished its item: n8n records the run as cancelled by hand, not as failed.
		expect([run.status, run.data.resultData.error?.name]).toEqual(['canceled', 'ManualExecutionCancelledError']);
	});

	it('the GREEN-API node: the run ends in "The execution was cancelled", the message sent once; its key is kept, so running it again sends nothing more', async () => {
		const workflowId = freshWorkflowId();
		const key = `deal-${process.pid}-${runs}-thanks`;
		fixture.simulator.script(ID_INSTANCE, ANNA, [{ hang: true, accepted: true, method: 'sendMessage' }]);
		const { run, task, stored } = await cancelWhileOut(start(workflowId, { type: NODE_TYPE, parameters: sendText() }, [{ chat: ANNA, key }]), ANNA);
		expect(task.error?.message).toBe('The execution was cancelled');
		expect(run.data.resultData.error?.message).toBe('The execution was cancelled');
		expect(stored).not.toMatch(/Could not reach GREEN-API|CONNECTION_FAILED/);
		expect(stored).not.toContain(TOKEN);
		expect(logLines.join('\n')).not.toContain(TOKEN);
		// Run again (a retry, a re-run): the key was kept, as the message may have gone out; here it did.
		const again = await start(workflowId, { type: NODE_TYPE, parameters: sendText() }, [{ chat: ANNA, key }]);
		expect(again.data.resultData.runData[NODE_NAME][0].data!.main[0]!.map((item) => item.json)).toEqual([{ chatId: ANNA, sent: false, sendOnceKey: key }]);
		expect(held(ANNA)).toBe(1);
	});

	/** The cancelled run's error says which item's message may have gone out and which were sent, so that nobody has to guess before running it again. */
	it('the GREEN-API node: the cancelled run names the item whose message may have gone out (MAY_HAVE_HAPPENED) and the items sent', async () => {
		fixture.simulator.script(ID_INSTANCE, ANNA, [{ hang: true, accepted: true, method: 'sendMessage' }]);
		const items = [
			{ chat: IVAN, key: `deal-${process.pid}-${runs}-ivan` },
			{ chat: ANNA, key: `deal-${process.pid}-${runs}-anna` },
		];
		// Ivan's message is answered before Anna's goes (the first request to an idle instance goes alone).
		const running = start(freshWorkflowId(), { type: NODE_TYPE, parameters: sendText(), onError: 'continueRegularOutput' }, items);
		const { task } = await cancelWhileOut(running, ANNA);
		expect(held(IVAN)).toBe(1);
		expect(task.error?.message).toBe('The execution was cancelled');
		const description = String(task.error?.description);
		expect(description).toContain(`Item 1: ${CANCELLED_MID_SEND}`);
		expect(description).toMatch(new RegExp(`Done before the node stopped, and not undone: item 0 \\(chat ${IVAN}, message [0-9A-F]+\\)\\.`));
	});

	/** An item cancelled before its request went out (waiting its turn) never left: its key is given back, so a re-run thanks the customer. */
	it('items cancelled while waiting their turn (never sent) give their keys back: run again, they are sent, and the one that may have gone out is not', async () => {
		const workflowId = freshWorkflowId();
		fixture.simulator.script(ID_INSTANCE, ANNA, [{ hang: true, accepted: true, method: 'sendMessage' }]);
		const items = [ANNA, IVAN, JANE].map((chat) => ({ chat, key: `deal-${process.pid}-${runs}-${chat}` }));
		// One request every 10 s: Ivan's and Jane's wait their turn behind Anna's, which is never answered.
		const parameters = sendText({ requestsPerSecond: 0.1 });
		await cancelWhileOut(start(workflowId, { type: NODE_TYPE, parameters, onError: 'continueRegularOutput' }, items), ANNA);
		expect([held(ANNA), held(IVAN), held(JANE)]).toEqual([1, 0, 0]);
		fixture.simulator.script(ID_INSTANCE, ANNA, []);
		const again = await start(workflowId, { type: NODE_TYPE, parameters: sendText() }, items);
		const output = again.data.resultData.runData[NODE_NAME][0].data!.main[0]!.map((item) => [item.json.chatId, item.json.sent]);
		expect(output).toEqual([
			[ANNA, false],
			[IVAN, true],
			[JANE, true],
		]);
		expect([held(ANNA), held(IVAN), held(JANE)]).toEqual([1, 1, 1]);
	});
});

describe('a run cancelled while its once-keys are being claimed', () => {
	/** Cancels `running` the moment n8n's store is first asked (the claim's first write is under way), and waits for the run to end. */
	async function cancelAtFirstClaim(running: () => ReturnType<typeof start>) {
		const original = deduplication.checkProcessedAndRecord;
		let run: ReturnType<typeof start> | undefined;
		deduplication.checkProcessedAndRecord = async (...args) => {
			deduplication.checkProcessedAndRecord = original;
			run?.cancel();
			return await original.apply(deduplication, args);
		};
		try {
			run = running();
			return await run;
		} finally {
			deduplication.checkProcessedAndRecord = original;
		}
	}

	it('a key sent by an earlier run is never removed by the cancel, also when the claim was still waiting its turn at the store: running again still sends nothing', async () => {
		const workflowId = freshWorkflowId();
		const key = `deal-${process.pid}-${runs}-earlier`;
		await start(workflowId, { type: NODE_TYPE, parameters: sendText() }, [{ chat: ANNA, key }]);
		expect(held(ANNA)).toBe(1);
		// Cancelled while its first write is out.
		await cancelAtFirstClaim(() => start(workflowId, { type: NODE_TYPE, parameters: sendText(), onError: 'continueRegularOutput' }, [{ chat: ANNA, key }]));
		// Cancelled while its claim waits its turn behind another execution's write (the store takes one of a node's calls at a time in a process).
		const original = deduplication.checkProcessedAndRecord;
		let waiting: ReturnType<typeof start> | undefined;
		deduplication.checkProcessedAndRecord = async (...args) => {
			deduplication.checkProcessedAndRecord = original;
			waiting = start(workflowId, { type: NODE_TYPE, parameters: sendText(), onError: 'continueRegularOutput' }, [{ chat: ANNA, key }]);
			await new Promise((resolve) => setTimeout(resolve, 500));
			waiting.cancel();
			return await original.apply(deduplication, args);
		};
		try {
			await start(workflowId, { type: NODE_TYPE, parameters: sendText() }, [{ chat: JANE, key: `${key}-other` }]);
		} finally {
			deduplication.checkProcessedAndRecord = original;
		}
		const cancelled = await waiting!;
		// The cancelled run had reached the node (its item has an outcome): the cancel came while its claim waited.
		expect(cancelled.data.resultData.runData[NODE_NAME]?.[0]?.data?.main[0]).toHaveLength(1);
		const again = await start(workflowId, { type: NODE_TYPE, parameters: sendText() }, [{ chat: ANNA, key }]);
		expect(again.data.resultData.runData[NODE_NAME][0].data!.main[0]!.map((item) => item.json)).toEqual([{ chatId: ANNA, sent: false, sendOnceKey: key }]);
		expect(held(ANNA)).toBe(1);
	});

	it('a new key: the claim is finished, nothing is sent, and the key (its own) is given back, so running again sends it once', async () => {
		const workflowId = freshWorkflowId();
		const key = `deal-${process.pid}-${runs}-new`;
		const run = await cancelAtFirstClaim(() => start(workflowId, { type: NODE_TYPE, parameters: sendText(), onError: 'continueRegularOutput' }, [{ chat: IVAN, key }]));
		expect(run.data.resultData.error?.message).toBe('The execution was cancelled');
		expect(held(IVAN)).toBe(0);
		const again = await start(workflowId, { type: NODE_TYPE, parameters: sendText() }, [{ chat: IVAN, key }]);
		expect(again.data.resultData.runData[NODE_NAME][0].data!.main[0]!.map((item) => item.json)).toEqual([{ chatId: IVAN, idMessage: expect.any(String), sent: true, sendOnceKey: key }]);
		expect(held(IVAN)).toBe(1);
	});
});
