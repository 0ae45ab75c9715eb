/**
 * The GREEN-API Trigger's benchmark (`npm run bench -- --only trigger`, and part of the full run):
 * - webhook, one n8n process: the sandbox delivers customer messages at GREEN-API's rate (50/s)
 *   for a while to a published trigger workflow on the pinned n8n; how many became executions,
 *   how fast n8n answered each delivery (it answers once the execution has started), and how long
 *   n8n took to finish them all;
 * - webhook, queue mode (one main, three workers, PostgreSQL and Redis): the same;
 * - polling: a journal full of messages read by the trigger's poll() in n8n-core's own context.
 * Options: --trigger-seconds N (default 60; 0 leaves the one-process rows out), --queue-seconds N (default 20; 0 leaves queue mode
 * out), --polled N (default 300), --cpu-prof DIR (profile the n8n process of the one-process rows
 * with Node's --cpu-prof, and say where its CPU went in each row: see cpuProfile.ts), --n8n-env
 * K=V,K=V (more environment for that n8n process, e.g. N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { GreenApiSimulator } from '../sandbox/simulator';
import * as app from '../scripts/n8n-app';
import * as queue from '../scripts/queue-mode';
import { waitUntil } from '../scripts/waitUntil';
import { everyMessageWorkflow } from '../test/helpers/triggerWorkflow';
import { triggerHarness } from '../test/harness/trigger';
import { cpuReport } from './cpuProfile';

const INSTANCE = { idInstance: '1101000099', token: 'bench0trigger0token0shaped0like0a0real0one00000001' };
const WEBHOOK_ID = '7d3b0d1e-0001-4a8b-9c3d-0000000000cc';
const RATE = 50;
const CHATS = Array.from({ length: 20 }, (_, i) => `7900555${String(i).padStart(4, '0')}@c.us`);

const workflow = everyMessageWorkflow('greenApiBenchTr1', 'Bench: every customer message', WEBHOOK_ID, app.SANDBOX_CREDENTIAL_ID);

/** n8n's own Webhook node → NoOp: what n8n itself takes in on this machine, for comparison. */
const BASELINE_PATH = 'bench-baseline';
const baseline = {
	id: 'greenApiBenchBs1',
	name: "Bench: n8n's own Webhook node",
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: '7d3b0d1e-0011-4a8b-9c3d-000000000011',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '7d3b0d1e-0011-4a8b-9c3d-0000000000dd',
			parameters: { httpMethod: 'POST', path: BASELINE_PATH, responseMode: 'onReceived', options: {} },
		},
		{ id: '7d3b0d1e-0012-4a8b-9c3d-000000000012', name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
	],
	connections: { Webhook: { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
};

function option(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? process.argv[index + 1] : fallback;
}

function percentile(values: number[], share: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? NaN;
}

/** The one-process rows' spans on the machine's monotonic clock (µs), as a --cpu-prof profile counts. */
let phases: Record<'own' | 'ours', { from: number; to: number }> | undefined;

function monotonicMicros(): number {
	return Number(process.hrtime.bigint() / 1000n);
}

async function newSimulator(): Promise<{ simulator: GreenApiSimulator; apiUrl: string }> {
	const simulator = new GreenApiSimulator({ latencyMs: 20, notifications: { rebootMs: 1000, resendAfterMs: 60000, deliveryPerSecond: RATE } });
	simulator.addInstance({ ...INSTANCE, chats: CHATS.map((chatId, i) => ({ chatId, archived: i % 2 === 0 })) });
	return { simulator, apiUrl: await simulator.start(0) };
}

/** Writes `count` messages; the simulator lets them out at RATE a second. */
function writeMessages(simulator: GreenApiSimulator, count: number): void {
	for (let i = 0; i < count; i++) simulator.notifications.message(simulator.instance(INSTANCE.idInstance), { chatId: CHATS[i % CHATS.length], text: `message ${i}` });
}

/** Waits until the simulator has written down `count` answered deliveries, then reports them. */
async function deliveriesReport(simulator: GreenApiSimulator, count: number, executions: () => Promise<number>) {
	const deliveries = simulator.notifications.inbox(INSTANCE.idInstance).deliveries;
	await waitUntil(() => deliveries.length >= count, { timeoutMs: count * 1000, what: `${count} deliveries answered`, intervalMs: 500 });
	const firstSent = Math.min(...deliveries.map((delivery) => delivery.sentAt));
	let finishedAt = Date.now();
	await waitUntil(
		async () => {
			finishedAt = Date.now();
			return (await executions()) >= count;
		},
		{ timeoutMs: count * 1000, what: `${count} executions finished`, intervalMs: 1000 },
	);
	const latencies = deliveries.map((delivery) => delivery.at - delivery.sentAt);
	const lastAnswered = Math.max(...deliveries.map((delivery) => delivery.at));
	return {
		answered200: deliveries.filter((delivery) => delivery.status === 200).length,
		taken: count / ((lastAnswered - firstSent) / 1000),
		p50: percentile(latencies, 0.5),
		p95: percentile(latencies, 0.95),
		finishedAll: (finishedAt - firstSent) / 1000,
		executions: await executions(),
	};
}

/** More environment for the benchmarked n8n processes (--n8n-env K=V,K=V). */
function extraEnv(): Record<string, string> {
	return Object.fromEntries(
		option('n8n-env', '')
			.split(',')
			.filter(Boolean)
			.map((pair) => pair.split('=')),
	);
}

/** Both rows of one n8n process: n8n's own Webhook node first, then the trigger, each at RATE for `seconds`. */
async function oneProcess(seconds: number) {
	const { simulator, apiUrl } = await newSimulator();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'green-api-bench-trigger-'));
	let server: import('node:child_process').ChildProcess | undefined;
	try {
		await app.installPackage(userFolder, await app.packPackage(path.join(userFolder, 'pack')));
		await app.importFixtures(userFolder, { apiUrl, ...INSTANCE }, [workflow, baseline]);
		for (const { id } of [workflow, baseline]) await app.n8n(userFolder, ['publish:workflow', `--id=${id}`]);
		const port = 5800 + Math.floor(Math.random() * 200);
		const base = `http://127.0.0.1:${port}`;
		const pool = option('expression-pool', '');
		const profileDir = option('cpu-prof', '');
		if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
		({ server } = await app.startServer(userFolder, {
			port,
			env: {
				N8N_WEBHOOK_URL: `${base}/`,
				WEBHOOK_URL: `${base}/`,
				...(pool ? { N8N_EXPRESSION_ENGINE_POOL_SIZE: pool } : {}),
				...(profileDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${path.resolve(profileDir)}` } : {}),
				...extraEnv(),
			},
		}));
		const { cookie } = await app.signIn(base, { email: 'bench@example.com', firstName: 'Bench', lastName: 'Run', password: 'Bench-passw0rd' });
		const settings = simulator.notifications.inbox(INSTANCE.idInstance).settings;
		await waitUntil(() => String(settings.webhookUrl).includes(WEBHOOK_ID), { timeoutMs: 120000, what: 'The trigger was activated' });
		await waitUntil(() => !simulator.notifications.restarting(INSTANCE.idInstance), { timeoutMs: 10000, what: 'The instance restarted' });
		const count = seconds * RATE;
		const executions = (workflowId: string) => async () => {
			const filter = encodeURIComponent(JSON.stringify({ status: ['success'], workflowId }));
			const response = await fetch(`${base}/rest/executions?filter=${filter}&limit=1`, { headers: { cookie } });
			// n8n may answer a list request with an error while it is busy; count again at the next look.
			const listed = (await response.json().catch(() => undefined)) as { data?: { count?: number } } | undefined;
			return Number(listed?.data?.count ?? 0);
		};
		// n8n's own Webhook node first: the instance pointed at it for a while, as another system would.
		const trigger = { webhookUrl: settings.webhookUrl, webhookUrlToken: settings.webhookUrlToken };
		Object.assign(settings, { webhookUrl: `${base}/webhook/${BASELINE_PATH}`, webhookUrlToken: '' });
		const ownPhase = { from: monotonicMicros() };
		writeMessages(simulator, count);
		const own = { count, ...(await deliveriesReport(simulator, count, executions(baseline.id))) };
		const oursPhase = { from: monotonicMicros(), to: 0 };
		Object.assign(settings, trigger);
		simulator.notifications.inbox(INSTANCE.idInstance).deliveries.length = 0;
		writeMessages(simulator, count);
		const ours = { count, ...(await deliveriesReport(simulator, count, executions(workflow.id))) };
		oursPhase.to = monotonicMicros();
		phases = { own: { ...ownPhase, to: oursPhase.from }, ours: oursPhase };
		return { own, ours };
	} finally {
		const stopped = server && new Promise((resolve) => server!.once('exit', resolve));
		server?.kill('SIGTERM');
		await stopped;
		await simulator.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

async function queueMode(seconds: number) {
	const { simulator, apiUrl } = await newSimulator();
	const database = `n8n_green_api_bench_${process.pid}`;
	const env = { ...queue.queueEnv(database, `green-api-bench-${process.pid}`), ...extraEnv() };
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'green-api-bench-queue-'));
	let cluster: Awaited<ReturnType<typeof queue.startQueueMode>> | undefined;
	try {
		await queue.prepareQueueMode(database);
		await app.installPackage(userFolder, await app.packPackage(path.join(userFolder, 'pack')));
		await app.importFixtures(userFolder, { apiUrl, ...INSTANCE }, [workflow], env);
		await app.n8n(userFolder, ['publish:workflow', `--id=${workflow.id}`], env);
		cluster = await queue.startQueueMode(userFolder, env, {
			workers: 3,
			concurrency: 10,
			mainEnv: (port) => ({ N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`, WEBHOOK_URL: `http://127.0.0.1:${port}/` }),
		});
		await waitUntil(() => String(simulator.notifications.inbox(INSTANCE.idInstance).settings.webhookUrl).includes(WEBHOOK_ID), { timeoutMs: 120000, what: 'The trigger was activated' });
		await waitUntil(() => !simulator.notifications.restarting(INSTANCE.idInstance), { timeoutMs: 10000, what: 'The instance restarted' });
		const count = seconds * RATE;
		writeMessages(simulator, count);
		const executions = async () => Number((await queue.query("select count(*) from execution_entity where status = 'success'", database))[0]?.[0] ?? 0);
		return { count, ...(await deliveriesReport(simulator, count, executions)) };
	} finally {
		await cluster?.stop();
		await simulator.stop();
		queue.dropDatabase(database);
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

async function polling(count: number) {
	const { simulator, apiUrl } = await newSimulator();
	try {
		simulator.notifications.inbox(INSTANCE.idInstance).settings.incomingWebhook = 'yes';
		const harness = triggerHarness({ receiveBy: 'polling', events: ['incomingMessage'] }, { apiUrl, idInstance: INSTANCE.idInstance, apiTokenInstance: INSTANCE.token });
		// Activation starts the cursor; the messages come after it, as a journal full of them.
		await harness.hook('create');
		writeMessages(simulator, count);
		const started = Date.now();
		let taken = 0;
		let polls = 0;
		for (;;) {
			const items = await harness.poll();
			polls++;
			if (!items) break;
			taken += items[0].length;
		}
		return { count, taken, polls, seconds: (Date.now() - started) / 1000 };
	} finally {
		await simulator.stop();
	}
}

export async function triggerBench(): Promise<void> {
	const seconds = Number(option('trigger-seconds', '60'));
	const queueSeconds = Number(option('queue-seconds', '20'));
	await app.ensureN8n();
	console.log(`\nGREEN-API Trigger: messages delivered at ${RATE}/s (GREEN-API's rate) to a published trigger → NoOp workflow.`);
	const single = seconds > 0 ? await oneProcess(seconds) : undefined;
	const rows = [
		...(single
			? ([
					["one n8n process (SQLite), n8n's own Webhook node → NoOp (for comparison)", single.own],
					['one n8n process (SQLite), GREEN-API Trigger → NoOp', single.ours],
				] as const)
			: []),
		...(queueSeconds > 0 ? [['queue mode: main + 3 workers (PostgreSQL, Redis), GREEN-API Trigger → NoOp', await queueMode(queueSeconds)] as const] : []),
	] as const;
	console.log('\n| n8n | messages | answered 200 | executions | taken in, messages/s | delivery → answer p50 / p95, ms | all executions finished after, s |');
	console.log('|---|---|---|---|---|---|---|');
	for (const [name, row] of rows) {
		console.log(
			`| ${name} | ${row.count} | ${row.answered200} | ${row.executions} | ${row.taken.toFixed(1)} | ${row.p50} / ${row.p95} | ${row.finishedAll.toFixed(1)} (${(row.count / row.finishedAll).toFixed(1)}/s) |`,
		);
	}
	const profileDir = option('cpu-prof', '');
	if (profileDir && phases && single) {
		console.log(`\nWhere the n8n process's CPU went (--cpu-prof, ${profileDir}), per delivery:`);
		console.log(cpuReport(profileDir, phases, single.own.count));
	}
	const polled = await polling(Number(option('polled', '300')));
	console.log(
		`\nPolling: ${polled.taken} of ${polled.count} messages in the journal emitted in ${polled.polls} polls (${polled.polls - 1} with messages, at most 100 each), ${polled.seconds.toFixed(1)} s of polling ` +
			`(one lastIncomingMessages call a poll, 1 a second; the polls' spacing is n8n's Poll Times).`,
	);
}
