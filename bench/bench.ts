/**
 * `npm run bench`: bulk archiving through n8n's real engine against the simulator (in its own
 * process, enforcing GREEN-API's 10 requests/second with 429) at several round-trip times.
 * Compares this node with a plain one-request-per-item loop through n8n's own request helper
 * (what a simple node does) and with the ceiling the limit allows, then measures the node's CPU
 * cost per item against that plain loop with pacing out of the way. Last, the scale-out tables:
 * 1 to 4 separate processes (as n8n's queue-mode workers are) sharing one instance, on a 10/s lane
 * (Chat → Archive, archiveChat, as documented) and on a 50/s lane (Message → Send Text,
 * sendMessage, as documented). Another --scale-limits value has archiveChat stand in, its
 * documented limit set to it in every process and in the sandbox.
 *
 * Options: --chats N (default 300), --rtt 20,100,300,500, --cpu-items N (default 1000),
 * --processes 1,2,3,4, --chats-per-process N (default 100 at 10/s, 500 at 50/s),
 * --scale-limits 10,50, --scale-rtt MS (default 100),
 * --only single|scale-out|send|trigger|quiet (what sending costs beyond pacing: see send.ts; the
 * GREEN-API Trigger: see trigger.ts; Get Many with the quiet filter on a large instance: see quiet.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';

import type { IExecuteFunctions, INodeParameters, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { archiveChat } from '../nodes/GreenApi/actions/chat/archive.operation';
import { sendText } from '../nodes/GreenApi/actions/message/sendText.operation';
import { REQUESTS_PER_SECOND } from '../nodes/GreenApi/transport/callOptions';
import { withDocumentedLimit } from '../test/helpers/documentedLimit';
import { registerNodeType, runGreenApi, type RunResult } from '../test/harness/engine';
import { quietBench } from './quiet';
import { sendBench } from './send';
import type { ScaleOutMethod } from './scaleOutWorker';
import { control, startSimulator } from './simulatorProcess';
import { triggerBench } from './trigger';

const ID_INSTANCE = '1101000001';
const TOKEN = 'bench0token0shaped0like0a0real0one000000000000001';
/** archiveChat's documented limit, what the single-process table runs at. */
const LIMIT = archiveChat.rateLimitPerSecond;

function option(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? process.argv[index + 1] : fallback;
}

/** What a simple node does: one request per item, one after another, through n8n's helper. */
class PlainLoopNode implements INodeType {
	description = {
		displayName: 'Plain loop',
		name: 'plainLoop',
		group: ['output'],
		version: 1,
		description: 'One request per item',
		defaults: { name: 'Plain loop' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'greenApi', required: true }],
		properties: [{ displayName: 'Chat ID', name: 'chatId', type: 'string', default: '' }],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials('greenApi');
		const output: INodeExecutionData[] = [];
		for (let i = 0; i < this.getInputData().length; i++) {
			const chatId = this.getNodeParameter('chatId', i) as string;
			try {
				await this.helpers.httpRequest({
					method: 'POST',
					url: `${credentials.apiUrl}/waInstance${credentials.idInstance}/archiveChat/${credentials.apiTokenInstance}`,
					body: { chatId },
					json: true,
				});
				output.push({ json: { chatId, archived: true }, pairedItem: { item: i } });
			} catch (error) {
				output.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
			}
		}
		return [output];
	}
}
registerNodeType('bench.plainLoop', new PlainLoopNode());

async function freshChats(apiUrl: string, count: number, settings: object) {
	const chats = Array.from({ length: count }, (_, i) => ({ chatId: `7900${String(i).padStart(7, '0')}@c.us` }));
	await control(apiUrl, 'configure', settings);
	await control(apiUrl, 'instance', { idInstance: ID_INSTANCE, token: TOKEN, chats });
	await control(apiUrl, 'reset', {});
	return chats;
}

interface Measured {
	seconds: number;
	archived: number;
	tooMany: number;
	result: RunResult;
}

async function measure(apiUrl: string, chats: Array<{ chatId: string }>, nodeType?: string, options: INodeParameters = {}): Promise<Measured> {
	const started = process.hrtime.bigint();
	const result = await runGreenApi({
		items: chats,
		parameters: { resource: 'chat', operation: 'archive', chatId: '={{ $json.chatId }}', options },
		credentials: { bench: { apiUrl, idInstance: ID_INSTANCE, apiTokenInstance: TOKEN } },
		onError: 'continueRegularOutput',
		nodeType,
	});
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const stats = await control(apiUrl, 'stats');
	return {
		seconds,
		archived: result.main.filter((item) => item.json.archived === true).length,
		tooMany: stats.tooManyRequests,
		result,
	};
}

async function cpuPerItem(apiUrl: string, count: number, nodeType?: string): Promise<number> {
	let best = Infinity;
	for (let round = 0; round < 3; round++) {
		const chats = await freshChats(apiUrl, count, { latencyMs: 0, enforceRateLimit: false });
		const before = process.cpuUsage();
		// Pacing out of the way: the lane runs at its method's documented limit, here raised to the highest Requests Per Second.
		const { archived } = await withDocumentedLimit(archiveChat, REQUESTS_PER_SECOND.max, async () => await measure(apiUrl, chats, nodeType, { maxRetries: 0 }));
		const used = process.cpuUsage(before);
		if (archived !== count) throw new Error(`CPU run archived ${archived} of ${count}`);
		best = Math.min(best, (used.user + used.system) / count);
	}
	return best;
}

interface WorkerReport {
	/** Chats archived, or sent a text. */
	done: number;
	failed: number;
	errors: string[];
	seconds: number;
}

/** The method a scale-out lane at `limit` runs: sendMessage at its documented limit (50), archiveChat at its own (10) or standing in at another. */
function scaleOutMethod(limit: number): ScaleOutMethod {
	return limit === sendText.rateLimitPerSecond ? 'sendMessage' : 'archiveChat';
}

/** K processes, each running n8n-core with the node on its own chats, all against one instance whose method allows `limit` a second. */
async function scaleOutRow(apiUrl: string, processes: number, chatsEach: number, rtt: number, limit: number): Promise<string> {
	const method = scaleOutMethod(limit);
	const limits = method === 'archiveChat' ? { archiveChat: limit } : {};
	const all = await freshChats(apiUrl, processes * chatsEach, { latencyMs: rtt, enforceRateLimit: true, limits });
	const workers: ChildProcess[] = Array.from({ length: processes }, () =>
		fork(path.join(__dirname, 'scaleOutWorker.ts'), [], {
			execArgv: ['-r', 'ts-node/register/transpile-only'],
			env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '../tsconfig.test.json'), TS_NODE_PREFER_TS_EXTS: 'true' },
		}),
	);
	try {
		// Every process has loaded n8n before any starts: a slow start would look like a fair share.
		await Promise.all(workers.map(async (worker) => await once(worker, 'message')));
		const startedAt = Date.now();
		const reports = await Promise.all(
			workers.map(async (worker, index) => {
				const report = once(worker, 'message');
				worker.send({ apiUrl, idInstance: ID_INSTANCE, token: TOKEN, method, limit, chats: all.slice(index * chatsEach, (index + 1) * chatsEach) });
				return (await report)[0] as WorkerReport;
			}),
		);
		const wallSeconds = (Date.now() - startedAt) / 1000;
		const stats = await control(apiUrl, 'stats');
		if (process.argv.includes('--trace')) await traceShares(apiUrl, all, chatsEach, processes);
		const lane = `${ID_INSTANCE}|${method}`;
		const pace = stats.wholeSpanPace[lane] as number;
		const done = reports.reduce((sum, report) => sum + report.done, 0);
		const failed = reports.reduce((sum, report) => sum + report.failed, 0);
		const seconds = reports.map((report) => report.seconds);
		const errors = [...new Set(reports.flatMap((report) => report.errors))];
		const ideal = (processes * chatsEach) / limit;
		// The sandbox's count of messages: a text sent twice would show here, whatever the node reported.
		const twice = method === 'sendMessage' ? sentTwice((await control(apiUrl, `sent?idInstance=${ID_INSTANCE}`)) as Array<{ chatId: string }>) : 0;
		console.log(
			`  ${processes} process(es): ${done} ${method === 'sendMessage' ? 'sent' : 'archived'}, ${failed} failed${errors.length ? ` (${errors.join(', ')})` : ''}, ` +
				`${stats.tooManyRequests} of ${stats.requests} requests answered 429, ${pace.toFixed(2)}/s at the service over the whole span, all done in ${wallSeconds.toFixed(1)} s` +
				(method === 'sendMessage' ? `, chats sent a text twice: ${twice}` : ''),
		);
		return `| ${[
			processes,
			`${done}/${processes * chatsEach}`,
			failed,
			`${stats.tooManyRequests} of ${stats.requests} (${((stats.tooManyRequests / stats.requests) * 100).toFixed(1)} %)`,
			`${pace.toFixed(2)} (${((pace / limit) * 100).toFixed(1)} %)`,
			`${wallSeconds.toFixed(1)} s / ${ideal.toFixed(0)} s (${((ideal / wallSeconds) * 100).toFixed(1)} %)`,
			stats.busiestSecond[lane],
			`${Math.max(...seconds).toFixed(1)} / ${Math.min(...seconds).toFixed(1)} (${(Math.max(...seconds) / Math.min(...seconds)).toFixed(2)}×)`,
		].join(' | ')} |`;
	} finally {
		for (const worker of workers) worker.kill();
	}
}

/** Chats that hold more than one message. */
function sentTwice(sent: Array<{ chatId: string }>): number {
	const perChat = new Map<string, number>();
	for (const { chatId } of sent) perChat.set(chatId, (perChat.get(chatId) ?? 0) + 1);
	return [...perChat.values()].filter((count) => count > 1).length;
}

/** Accepted requests per second per process, as the service saw them (--trace). */
async function traceShares(apiUrl: string, all: Array<{ chatId: string }>, chatsEach: number, processes: number): Promise<void> {
	const owner = new Map(all.map(({ chatId }, index) => [chatId, Math.floor(index / chatsEach)]));
	const requests = (await control(apiUrl, 'requests')) as Array<{ at: number; body: string; status: number }>;
	const start = requests[0]?.at ?? 0;
	const seconds: number[][] = [];
	const refused: number[][] = [];
	for (const request of requests) {
		const second = Math.floor((request.at - start) / 1000);
		const process = owner.get(JSON.parse(request.body).chatId as string) ?? 0;
		const table = request.status === 429 ? refused : seconds;
		table[second] ??= Array(processes).fill(0);
		table[second][process]++;
	}
	for (let second = 0; second < Math.max(seconds.length, refused.length); second++) {
		console.log(`    s${second}: ${(seconds[second] ?? []).join(' ')}  429: ${(refused[second] ?? []).join(' ')}`);
	}
}

async function scaleOut(apiUrl: string): Promise<void> {
	for (const limit of option('scale-limits', '10,50').split(',').map(Number)) await scaleOutTable(apiUrl, limit);
}

async function scaleOutTable(apiUrl: string, limit: number): Promise<void> {
	const counts = option('processes', '1,2,3,4').split(',').map(Number);
	const chatsEach = Number(option('chats-per-process', limit >= 50 ? '500' : '100'));
	const rtt = Number(option('scale-rtt', '100'));
	const method = scaleOutMethod(limit);
	const what = method === 'sendMessage' ? 'Message → Send Text (sendMessage)' : `Chat → Archive (archiveChat${limit === archiveChat.rateLimitPerSecond ? '' : `, standing in at ${limit}/s`})`;
	console.log(`\nScale-out: 1 to ${Math.max(...counts)} separate processes share one instance, ${what}, ${chatsEach} chats each, ${rtt} ms round trip, limit ${limit}/s.\n`);
	const rows: string[] = [];
	// The machine may be shared: its load says how far the figures are this code's.
	const load = () =>
		os
			.loadavg()
			.map((average) => average.toFixed(2))
			.join(', ');
	console.log(`  load average (1, 5, 15 min) before: ${load()}`);
	for (const processes of counts) rows.push(await scaleOutRow(apiUrl, processes, chatsEach, rtt, limit));
	console.log(`  load average (1, 5, 15 min) after: ${load()}`);
	console.log(
		'\n| processes | done | failed | requests answered 429 | whole-span pace at the service, req/s (of limit) | all chats done in / ideal (ideal ÷ actual) | most in a rolling second | slowest / fastest process, s |',
	);
	console.log('|---|---|---|---|---|---|---|---|');
	for (const row of rows) console.log(row);
}

async function main() {
	const only = option('only', 'all');
	if (only === 'trigger') return await triggerBench();
	if (only === 'quiet') return await quietBench();
	if (only === 'scale-out' || only === 'send') {
		const simulator = await startSimulator();
		try {
			await (only === 'send' ? sendBench(simulator.apiUrl) : scaleOut(simulator.apiUrl));
		} finally {
			simulator.stop();
		}
		return;
	}
	const count = Number(option('chats', '300'));
	const rtts = option('rtt', '20,100,300,500').split(',').map(Number);
	const cpuItems = Number(option('cpu-items', '1000'));
	const simulator = await startSimulator();
	const rows: string[] = [];
	try {
		console.log(`Archiving ${count} chats per run; GREEN-API limit ${LIMIT}/s per instance, enforced with 429.\n`);
		for (const rtt of rtts) {
			const settings = { latencyMs: rtt, enforceRateLimit: true };
			const node = await measure(simulator.apiUrl, await freshChats(simulator.apiUrl, count, settings));
			const stats = await control(simulator.apiUrl, 'stats');
			const busiest = Math.max(0, ...Object.values(stats.busiestSecond as Record<string, number>));
			const steady = Math.max(0, ...Object.values(stats.steadyRate as Record<string, number>));
			const wholeSpan = Math.max(0, ...Object.values(stats.wholeSpanPace as Record<string, number>));
			const plain = await measure(simulator.apiUrl, await freshChats(simulator.apiUrl, count, settings), 'bench.plainLoop');
			const nodeRate = node.archived / node.seconds;
			const row = [
				`${rtt} ms`,
				`${nodeRate.toFixed(2)} (${((nodeRate / LIMIT) * 100).toFixed(1)} %)`,
				`${wholeSpan.toFixed(2)} (${((wholeSpan / LIMIT) * 100).toFixed(1)} %)`,
				`${steady.toFixed(2)} (${((steady / LIMIT) * 100).toFixed(1)} %)`,
				`${node.archived}/${count}`,
				String(node.tooMany),
				String(busiest),
				(plain.archived / plain.seconds).toFixed(2),
				`${plain.archived}/${count}`,
				String(plain.tooMany),
				LIMIT.toFixed(2),
			];
			rows.push(`| ${row.join(' | ')} |`);
			console.log(`  rtt ${rtt} ms done: node ${node.seconds.toFixed(1)} s, plain loop ${plain.seconds.toFixed(1)} s`);
		}
		const nodeCpu = await cpuPerItem(simulator.apiUrl, cpuItems);
		const plainCpu = await cpuPerItem(simulator.apiUrl, cpuItems, 'bench.plainLoop');
		console.log(
			'\n| round trip | this node: chats/s, whole run (of limit) | whole-span pace at the service, req/s | steady pace at the service, req/s | archived | 429s seen | most in a rolling second | plain loop: chats/s | archived | 429s seen | ceiling chats/s |',
		);
		console.log('|---|---|---|---|---|---|---|---|---|---|---|');
		for (const row of rows) console.log(row);
		console.log(
			`\nCPU per item (n8n side, ${cpuItems} items, no latency, pacing out of the way, best of 3): ` +
				`this node ${(nodeCpu / 1000).toFixed(3)} ms, plain loop ${(plainCpu / 1000).toFixed(3)} ms, ` +
				`overhead ${((nodeCpu - plainCpu) / 1000).toFixed(3)} ms per item.`,
		);
		if (only !== 'single') {
			await scaleOut(simulator.apiUrl);
			await sendBench(simulator.apiUrl);
		}
	} finally {
		simulator.stop();
	}
	if (only !== 'single') {
		await triggerBench();
		await quietBench();
	}
}

void main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
