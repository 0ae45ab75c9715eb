/**
 * The GREEN-API Trigger on n8n's distributed engine: the pinned n8n in queue mode (one main
 * process receiving the webhooks, three workers running the executions, PostgreSQL and Redis on
 * loopback) with a published trigger workflow, and the sandbox delivering 200 customer messages at
 * GREEN-API's delivery rate (about 50 a second): every message starts exactly one execution,
 * none is lost, the workers share them, and neither the token nor the webhook secret shows. Manual
 * executions are offloaded to the workers too (OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS): the editor's
 * test of the trigger still shows a recent message, for version 2 (fetched by a test poll) and
 * version 3 (answered inside the test webhook).
 */

import { GreenApiSimulator } from '../../sandbox/simulator';
import * as app from '../../scripts/n8n-app';
import * as queue from '../../scripts/queue-mode';
import { waitUntil } from '../../scripts/waitUntil';
import { everyMessageWorkflow } from '../helpers/triggerWorkflow';

const WORKERS = 3;
const MESSAGES = 200;
/** Messages GREEN-API delivers a second time. */
const RESENT = 20;
const INSTANCE = { idInstance: '1101000078', token: 'queue0trigger0token0shaped0like0a0real0one00000001' };
const WORKFLOW_ID = 'greenApiQueueTr1';
const WEBHOOK_ID = '6c2a0d1e-0001-4a8b-9c3d-0000000000bb';
const CHATS = ['79001230001@c.us', '79001230002@c.us', '79001230003@c.us', '120363043968066599@g.us'];

const workflow = everyMessageWorkflow(WORKFLOW_ID, 'Queue mode: every customer message', WEBHOOK_ID, app.SANDBOX_CREDENTIAL_ID);
/** The same trigger as version 3 (the webhook alone), never published: only the editor's test runs it. */
const webhookOnly = everyMessageWorkflow('greenApiQueueTr3', 'Queue mode: the trigger, version 3', '6c2a0d1e-0003-4a8b-9c3d-0000000000bb', app.SANDBOX_CREDENTIAL_ID, 3);

let simulator: GreenApiSimulator;
let cluster: Awaited<ReturnType<typeof queue.startQueueCluster>> | undefined;

const sql = async (text: string) => await cluster!.sql(text);
const settings = () => simulator.notifications.inbox(INSTANCE.idInstance).settings;

beforeAll(async () => {
	// GREEN-API's pace: about 50 deliveries a second; a resend after a pause when not answered 200.
	simulator = new GreenApiSimulator({ latencyMs: 20, notifications: { rebootMs: 1000, resendAfterMs: 2000, deliveryPerSecond: 50 } });
	simulator.addInstance({ ...INSTANCE, chats: CHATS.map((chatId, i) => ({ chatId, archived: i % 2 === 0 })) });
	const apiUrl = await simulator.start(0);
	cluster = await queue.startQueueCluster('trigger', {
		sandbox: { apiUrl, ...INSTANCE },
		workflows: [workflow, webhookOnly],
		publish: [WORKFLOW_ID],
		workers: WORKERS,
		concurrency: 10,
		// Manual runs (the editor's tests) on the workers as well, as n8n offers for queue mode.
		env: { OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true' },
		mainEnv: (port) => ({ N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`, WEBHOOK_URL: `http://127.0.0.1:${port}/` }),
	});
	await waitUntil(() => String(settings().webhookUrl).includes(WEBHOOK_ID), { timeoutMs: 120000, what: 'The trigger was activated', detail: () => queue.tail(cluster!.main.log()) });
	await waitUntil(() => !simulator.notifications.restarting(INSTANCE.idInstance), { timeoutMs: 10000, what: 'The instance restarted' });
});

afterAll(async () => {
	await cluster?.close();
	await simulator?.stop();
});

it(`${MESSAGES} customer messages delivered at GREEN-API's pace, ${RESENT} of them twice: ${MESSAGES} executions on ${WORKERS} workers, none lost, none twice`, async () => {
	const sentAt = Date.now();
	const messages = Array.from({ length: MESSAGES }, (_, i) => simulator.notifications.message(simulator.instance(INSTANCE.idInstance), { chatId: CHATS[i % CHATS.length], text: `message ${i}` }));
	const ids = messages.map((message) => message.idMessage);
	// GREEN-API delivering some again (an answer it took for lost): every tenth, among the others.
	for (let i = 0; i < RESENT; i++) simulator.notifications.deliverAgain(INSTANCE.idInstance, messages[i * 10].body);
	const finished = async () => Number((await sql('select count(*) from execution_entity where "stoppedAt" is not null'))[0]?.[0] ?? 0) >= MESSAGES;
	await waitUntil(finished, { timeoutMs: 300000, what: `${MESSAGES} executions finished`, intervalMs: 1000, detail: () => cluster!.workers.map((worker) => queue.tail(worker.log())).join('\n---\n') });
	const tookMs = Date.now() - sentAt;

	const executions = await sql('select id, status from execution_entity order by id');
	expect(executions).toHaveLength(MESSAGES);
	expect(executions.every(([, status]) => status === 'success')).toBe(true);
	// Each message in exactly one execution.
	const data = (await sql('select data from execution_data')).map(([text]) => text);
	const counts = ids.map((id) => data.filter((text) => text.includes(id)).length);
	expect(counts.filter((count) => count !== 1)).toEqual([]);
	// GREEN-API got 200 for every delivery, the copies too: nothing to resend.
	await waitUntil(() => simulator.notifications.inbox(INSTANCE.idInstance).deliveries.length >= MESSAGES + RESENT, { timeoutMs: 30000, what: 'every copy answered' });
	const deliveries = simulator.notifications.inbox(INSTANCE.idInstance).deliveries;
	expect(deliveries.filter((delivery) => delivery.status !== 200)).toEqual([]);
	expect(deliveries).toHaveLength(MESSAGES + RESENT);
	expect(
		deliveries
			.filter((delivery) => delivery.attempt === 2)
			.map((delivery) => delivery.idMessage)
			.sort(),
	).toEqual(ids.filter((_, i) => i % 10 === 0 && i / 10 < RESENT).sort());

	const startedBy = cluster!.workers.map((worker) => [...worker.log().matchAll(/Worker started execution (\d+)/g)].length);
	expect(startedBy.every((count) => count > 0)).toBe(true);
	expect(startedBy.reduce((sum, count) => sum + count, 0)).toBe(MESSAGES);

	const secret = String(settings().webhookUrlToken);
	expect(secret).toMatch(/^[0-9a-f]{40}$/);
	const everything = [...cluster!.processes.map(({ log }) => log()), ...data].join('\n');
	expect(everything).not.toContain(INSTANCE.token);
	expect(everything).not.toContain(secret);

	console.log(
		[
			`Queue mode, ${WORKERS} workers, ${MESSAGES} messages delivered at up to 50/s to the webhook trigger:`,
			`  executions per worker: ${startedBy.join(', ')}`,
			`  all ${MESSAGES} executions finished ${(tookMs / 1000).toFixed(1)} s after the first message was written (${((MESSAGES / tookMs) * 1000).toFixed(1)}/s)`,
			`  getChats calls for the archive state: ${simulator.requests.filter((request) => request.method === 'getChats').length}`,
		].join('\n'),
	);
});

it.each([
	['version 2 (Fetch Test Event, by a test poll)', workflow],
	['version 3 (Listen for test event, answered inside the test webhook)', webhookOnly],
])(
	'the editor’s test of the trigger, %s, with manual executions offloaded to the workers: the newest message, from the journal, shown by a run on a worker; nothing written to the instance',
	async (_version, tested) => {
		const writes = simulator.requests.filter((request) => request.method === 'setSettings').length;
		const idMessage = `OFFLOADED${tested.nodes[0].typeVersion}x${Date.now()}`;
		// In the journal only: what the test run shows can only have come from there.
		simulator.notifications.record(
			INSTANCE.idInstance,
			{ type: 'incoming', idMessage, timestamp: Math.floor(Date.now() / 1000), typeMessage: 'textMessage', chatId: CHATS[1], textMessage: 'Seen by a worker', senderName: 'A customer' },
			0,
		);
		const base = `http://127.0.0.1:${cluster!.port}`;
		const { cookie } = await app.signIn(base, { email: 'owner@example.com', firstName: 'Owner', lastName: 'Queue', password: 'Sandbox-Passw0rd' });
		const headers = { 'Content-Type': 'application/json', cookie };
		const saved = (await (await fetch(`${base}/rest/workflows/${tested.id}`, { headers })).json()) as { data: unknown };
		const trigger = tested.nodes[0].name;
		// As the editor's test button asks: run up to and including the trigger.
		const run = await fetch(`${base}/rest/workflows/${tested.id}/run`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ workflowData: saved.data, destinationNode: { nodeName: trigger, mode: 'inclusive' }, triggerToStartFrom: { name: trigger } }),
		});
		expect(run.status).toBe(200);
		let manual: string[] | undefined;
		await waitUntil(
			async () => {
				[manual] = await sql(`select id, status from execution_entity where mode = 'manual' and "stoppedAt" is not null and "workflowId" = '${tested.id}'`);
				return manual !== undefined;
			},
			{ timeoutMs: 60000, what: 'The test run finished', intervalMs: 500, detail: () => queue.tail(cluster!.main.log()) },
		);
		const [id, status] = manual!;
		expect(status).toBe('success');
		const [[data]] = await sql(`select data from execution_data where "executionId" = ${Number(id)}`);
		expect(data).toContain(idMessage);
		expect(data).toContain('Seen by a worker');
		expect(cluster!.workers.some((worker) => new RegExp(`Worker started execution ${id}\\b`).test(worker.log()))).toBe(true);
		expect(simulator.requests.filter((request) => request.method === 'setSettings').length).toBe(writes);
	},
);
