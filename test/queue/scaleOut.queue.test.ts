/**
 * The node on n8n's distributed engine: the pinned n8n in queue mode (one main, three workers,
 * PostgreSQL and Redis on loopback) with the packed package in the user folder every process
 * loads, a published workflow with a production Webhook trigger, and three executions fired at
 * once, so that they run on different workers. All archive chats of one sandbox instance,
 * which enforces GREEN-API's limit (10 per rolling second) across all of them.
 */

import { GreenApiSimulator } from '../../sandbox/simulator';
import * as app from '../../scripts/n8n-app';
import * as queue from '../../scripts/queue-mode';
import { waitUntil } from '../../scripts/waitUntil';

const WORKERS = 3;
const EXECUTIONS = 3;
const CHATS_PER_EXECUTION = 100;
const LIMIT = 10;
const INSTANCE = { idInstance: '1101000077', token: 'queue0mode0token0shaped0like0a0real0one0000000001' };
const WORKFLOW_ID = 'greenApiQueue001';
const WEBHOOK_PATH = 'archive-chats';

const workflow = {
	id: WORKFLOW_ID,
	name: 'Queue mode: archive the chats a webhook names',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: '5b6f0d1e-0001-4a8b-9c3d-000000000001',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '5b6f0d1e-0001-4a8b-9c3d-0000000000aa',
			parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
		},
		{
			id: '5b6f0d1e-0002-4a8b-9c3d-000000000002',
			name: 'One item per chat',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [220, 0],
			parameters: { fieldToSplitOut: 'body.chats', options: {} },
		},
		{
			id: '5b6f0d1e-0003-4a8b-9c3d-000000000003',
			name: 'Archive WhatsApp chat',
			type: 'n8n-nodes-green-api.greenApi',
			typeVersion: 1,
			position: [440, 0],
			parameters: { resource: 'chat', operation: 'archive', chatId: '={{ $json.chatId }}', options: {} },
			credentials: { greenApi: { id: app.SANDBOX_CREDENTIAL_ID, name: 'GREEN-API sandbox' } },
		},
	],
	connections: {
		Webhook: { main: [[{ node: 'One item per chat', type: 'main', index: 0 }]] },
		'One item per chat': { main: [[{ node: 'Archive WhatsApp chat', type: 'main', index: 0 }]] },
	},
};

const chats = Array.from({ length: EXECUTIONS * CHATS_PER_EXECUTION }, (_, i) => ({ chatId: `7901${String(i).padStart(7, '0')}@c.us` }));

let simulator: GreenApiSimulator;
let cluster: Awaited<ReturnType<typeof queue.startQueueCluster>> | undefined;

/** SQL against the test's database, without blocking this process (the sandbox is served from it). */
const sql = async (text: string) => await cluster!.sql(text);

const { tail } = queue;

beforeAll(async () => {
	simulator = new GreenApiSimulator({ latencyMs: 100 });
	simulator.addInstance({ ...INSTANCE, chats });
	const apiUrl = await simulator.start(0);
	cluster = await queue.startQueueCluster('queue', {
		sandbox: { apiUrl, ...INSTANCE },
		workflows: [workflow],
		publish: [WORKFLOW_ID],
		workers: WORKERS,
		concurrency: Math.ceil(EXECUTIONS / WORKERS),
	});
});

afterAll(async () => {
	await cluster?.close();
	await simulator?.stop();
});

it(`${EXECUTIONS} webhook executions of ${CHATS_PER_EXECUTION} chats at once on ${WORKERS} workers, one instance: every chat archived, no item failed, every worker ran`, async () => {
	const firedAt = Date.now();
	const answers = await Promise.all(
		Array.from({ length: EXECUTIONS }, async (_, e) => {
			const body = { chats: chats.slice(e * CHATS_PER_EXECUTION, (e + 1) * CHATS_PER_EXECUTION) };
			const response = await fetch(`http://127.0.0.1:${cluster!.port}/webhook/${WEBHOOK_PATH}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify(body),
			});
			return response.status;
		}),
	);
	expect(answers).toEqual(Array(EXECUTIONS).fill(200));

	const finished = async () => (await sql('select count(*) from execution_entity where "stoppedAt" is not null'))[0]?.[0] === String(EXECUTIONS);
	await waitUntil(finished, {
		timeoutMs: 300000,
		what: 'The executions did not finish',
		detail: () => cluster!.workers.map((worker) => tail(worker.log())).join('\n---\n'),
	});

	const executions = await sql('select id, status, extract(epoch from "stoppedAt" - "startedAt"), extract(epoch from "stoppedAt") from execution_entity order by id');
	expect(executions.map(([, status]) => status)).toEqual(Array(EXECUTIONS).fill('success'));

	const state = simulator.instance(INSTANCE.idInstance).chats;
	const notArchived = chats.filter(({ chatId }) => !state.get(chatId)?.archived).map(({ chatId }) => chatId);
	expect(notArchived).toEqual([]);

	// Each worker says which executions it started.
	const startedBy = cluster!.workers.map((worker) => [...worker.log().matchAll(/Worker started execution (\d+)/g)].map((match) => match[1]));
	expect(startedBy.every((ids) => ids.length > 0)).toBe(true);
	expect(startedBy.flat().sort()).toEqual(executions.map(([id]) => id).sort());

	// The token is in no log line of any process and in no stored execution.
	for (const { log } of cluster!.processes) expect(log()).not.toContain(INSTANCE.token);
	expect((await sql('select data from execution_data')).flat().join('\n')).not.toContain(INSTANCE.token);

	// The figures the targets speak of (reported, not asserted: timing belongs to the benchmark).
	const lane = `${INSTANCE.idInstance}|archiveChat`;
	const requests = simulator.requests.length;
	const seconds = executions.map(([, , duration]) => Number(duration));
	const pace = simulator.wholeSpanPace(lane);
	const chatsAll = EXECUTIONS * CHATS_PER_EXECUTION;
	const wallSeconds = Math.max(...executions.map(([, , , stoppedAt]) => Number(stoppedAt))) - firedAt / 1000;
	console.log(
		[
			`Queue mode, ${WORKERS} workers, ${EXECUTIONS} × ${CHATS_PER_EXECUTION} chats, one instance (limit ${LIMIT}/s, 100 ms round trip):`,
			`  executions per worker: ${startedBy.map((ids) => ids.length).join(', ')}`,
			`  requests answered 429: ${simulator.tooManyRequests} of ${requests} (${((simulator.tooManyRequests / requests) * 100).toFixed(1)} %)`,
			`  whole-span pace at the service (accepted ÷ first to last accepted): ${pace.toFixed(2)}/s (${((pace / LIMIT) * 100).toFixed(1)} % of the limit); most in a rolling second: ${simulator.busiestSecond(lane)}`,
			`  all ${chatsAll} chats done ${wallSeconds.toFixed(1)} s after the webhooks were called; ideal ${chatsAll / LIMIT} s (${((chatsAll / LIMIT / wallSeconds) * 100).toFixed(1)} %)`,
			`  executions took ${seconds.map((s) => s.toFixed(1)).join(', ')} s: slowest ${(Math.max(...seconds) / Math.min(...seconds)).toFixed(2)} × the fastest`,
		].join('\n'),
	);
});
