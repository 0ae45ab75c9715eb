/**
 * Send Once Per Key on n8n's distributed engine: the pinned n8n in queue mode (one main, three
 * workers, PostgreSQL and Redis on loopback), a published workflow "deal closed → thank the
 * customer" with a production Webhook and Send Text keyed by the deal, and each deal delivered
 * three times at the same moment (a CRM resending, n8n-io/n8n#38083), so that the copies run on
 * different workers against n8n's own deduplication store in PostgreSQL. Fifty deals: each
 * customer thanked exactly once, every execution a success.
 */

import { GreenApiSimulator } from '../../sandbox/simulator';
import * as app from '../../scripts/n8n-app';
import * as queue from '../../scripts/queue-mode';
import { waitUntil } from '../../scripts/waitUntil';

const WORKERS = 3;
const DEALS = 50;
const COPIES = 3;
/** Deals delivered at once: their copies run together on the workers. */
const AT_ONCE = 10;
const INSTANCE = { idInstance: '1101000079', token: 'queue0once0token0shaped0like0a0real0one000000000001' };
const WORKFLOW_ID = 'greenApiQueueOn1';
const WEBHOOK_PATH = 'deal-closed-once';

const workflow = {
	id: WORKFLOW_ID,
	name: 'Queue mode: thank the customer once per deal',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: '7c6f0d1e-0001-4a8b-9c3d-000000000001',
			name: 'Deal closed',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '7c6f0d1e-0001-4a8b-9c3d-0000000000aa',
			parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
		},
		{
			id: '7c6f0d1e-0002-4a8b-9c3d-000000000002',
			name: 'Thank the customer',
			type: 'n8n-nodes-green-api.greenApi',
			typeVersion: 1,
			position: [220, 0],
			parameters: {
				resource: 'message',
				operation: 'sendText',
				chatId: { __rl: true, mode: 'idOrPhone', value: '={{ $json.body.chat }}' },
				text: '=Thank you! Deal {{ $json.body.deal }} is closed.',
				options: { sendOnceKey: '={{ $json.body.deal }}-thanks' },
			},
			credentials: { greenApi: { id: app.SANDBOX_CREDENTIAL_ID, name: 'GREEN-API sandbox' } },
		},
	],
	connections: { 'Deal closed': { main: [[{ node: 'Thank the customer', type: 'main', index: 0 }]] } },
};

const deals = Array.from({ length: DEALS }, (_, i) => ({ deal: `D-${process.pid}-${i}`, chat: `7902${String(i).padStart(7, '0')}@c.us` }));

let simulator: GreenApiSimulator;
let cluster: Awaited<ReturnType<typeof queue.startQueueCluster>> | undefined;

const sql = async (text: string) => await cluster!.sql(text);

/** The error texts of a stored execution (n8n stores it flattened: every string is an entry of one array). */
function errorsOf(data: string | undefined): string {
	const strings = data ? (JSON.parse(data) as unknown[]).filter((entry): entry is string => typeof entry === 'string') : [];
	return strings.filter((text) => /error|not sent|could not|took|timeout|failed/i.test(text) && text.length < 2000).join(' | ') || '(no error text stored)';
}

beforeAll(async () => {
	simulator = new GreenApiSimulator({ latencyMs: 20 });
	simulator.addInstance({ ...INSTANCE, chats: deals.map(({ chat }) => ({ chatId: chat })) });
	const apiUrl = await simulator.start(0);
	cluster = await queue.startQueueCluster('once', { sandbox: { apiUrl, ...INSTANCE }, workflows: [workflow], publish: [WORKFLOW_ID], workers: WORKERS, concurrency: 10 });
});

afterAll(async () => {
	await cluster?.close();
	await simulator?.stop();
});

it(`${DEALS} deals, each delivered ${COPIES} times at the same moment to ${WORKERS} workers: each customer thanked exactly once, every execution a success`, async () => {
	const startedAt = Date.now();
	for (let first = 0; first < DEALS; first += AT_ONCE) {
		const batch = deals.slice(first, first + AT_ONCE);
		const answers = await Promise.all(
			batch.flatMap((deal) =>
				Array.from({ length: COPIES }, async () => {
					const response = await fetch(`http://127.0.0.1:${cluster!.port}/webhook/${WEBHOOK_PATH}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(deal) });
					return response.status;
				}),
			),
		);
		expect(answers).toEqual(Array(batch.length * COPIES).fill(200));
	}
	const expected = DEALS * COPIES;
	await waitUntil(async () => (await sql('select count(*) from execution_entity where "stoppedAt" is not null'))[0]?.[0] === String(expected), {
		timeoutMs: 300000,
		what: `${expected} executions finished`,
		detail: () => cluster!.workers.map((worker) => queue.tail(worker.log())).join('\n---\n'),
	});
	const executions = await sql('select id, status, extract(epoch from "stoppedAt" - "startedAt") from execution_entity order by id');
	// A failed execution is shown with its error, so that a failure here says why.
	const failed = await Promise.all(
		executions
			.filter(([, status]) => status !== 'success')
			.map(async ([id, status]) => `execution ${id} (${status}): ${errorsOf((await sql(`select data from execution_data where "executionId" = ${Number(id)}`))[0]?.[0])}`),
	);
	expect(failed).toEqual([]);

	// The sandbox counts each message it accepted: exactly one per deal.
	expect(deals.map(({ chat }) => simulator.sentTo(INSTANCE.idInstance, chat).length)).toEqual(Array(DEALS).fill(1));

	// The copies ran on different workers (otherwise this proves only the in-process turns).
	const startedBy = cluster!.workers.map((worker) => [...worker.log().matchAll(/Worker started execution (\d+)/g)].length);
	expect(startedBy.filter((count) => count > 0).length).toBeGreaterThan(1);

	const data = (await sql('select data from execution_data')).flat().join('\n');
	for (const { log } of cluster!.processes) expect(log()).not.toContain(INSTANCE.token);
	expect(data).not.toContain(INSTANCE.token);

	// Reported, not asserted: timing belongs to the benchmark.
	const seconds = executions.map(([, , duration]) => Number(duration)).sort((a, b) => a - b);
	console.log(
		[
			`Queue mode, ${WORKERS} workers: ${DEALS} deals × ${COPIES} copies at once (${AT_ONCE} deals a batch):`,
			`  messages: ${deals.reduce((sum, { chat }) => sum + simulator.sentTo(INSTANCE.idInstance, chat).length, 0)} for ${DEALS} deals`,
			`  executions per worker: ${startedBy.join(', ')}`,
			`  execution time: median ${seconds[Math.floor(seconds.length / 2)].toFixed(2)} s, slowest ${seconds[seconds.length - 1].toFixed(2)} s`,
			`  all done ${((Date.now() - startedAt) / 1000).toFixed(1)} s after the first delivery`,
		].join('\n'),
	);
});
