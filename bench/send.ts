/**
 * `npm run bench -- --only send`: what sending costs beyond pacing (the 50/s tables themselves are
 * the scale-out bench's, `--only scale-out`). Two parts, each through n8n's real engine in this
 * process against the sandbox in its own, enforcing 50 sends a second per instance with 429:
 * - **Send Once Per Key with a full history:** 1,000 texts to 1,000 chats, without a key and then
 *   each with its own key while n8n's store already holds 10,000 keys for the node (as the node
 *   keeps them: each with its claim's token, 20,000 values). The store is test/harness's, which
 *   does what n8n's does (MD5 of each value, the row as JSON text, read, changed and written back
 *   whole) with a database round trip of `--store-rtt` ms (default 5).
 * - **One file to many chats:** the same 5 MB of binary data on each of 200 items, Send File from
 *   binary data: uploaded to the media host once, then sent by its URL to each chat.
 * Every run checks the sandbox's count: each chat holds exactly one message.
 *
 * Options: --send-chats N (default 1000), --keys N (default 10000), --store-rtt MS (default 5),
 * --file-chats N (default 200), --file-mb N (default 5), --send-rtt MS (default 100).
 */
import { randomBytes } from 'node:crypto';

import { MAX_KEYS } from '../nodes/GreenApi/actions/sendOnce';
import { sendText } from '../nodes/GreenApi/actions/message/sendText.operation';
import { deduplication, runGreenApi, type RunResult } from '../test/harness/engine';
import { control } from './simulatorProcess';

const ID_INSTANCE = '1101000002';
const TOKEN = 'bench0send0token0shaped0like0a0real0one00000000002';
/** The harness's workflow and node, whose row of n8n's store the keys go in. */
const WORKFLOW_ID = 'benchSendOnce01';
const NODE_ID = 'green-api';

function option(name: string, fallback: string): string {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? process.argv[index + 1] : fallback;
}

interface Measured {
	label: string;
	seconds: number;
	sent: number;
	failed: number;
	tooMany: number;
	pace: number;
	busiest: number;
	/** Chats that hold more than one message, and none. */
	twice: number;
	missing: number;
	cpuMsPerItem: number;
	uploads?: number;
}

async function prepare(apiUrl: string, count: number, rtt: number, prefix: string): Promise<Array<{ chatId: string }>> {
	const chats = Array.from({ length: count }, (_, i) => ({ chatId: `${prefix}${String(i).padStart(7, '0')}@c.us` }));
	await control(apiUrl, 'configure', { latencyMs: rtt, enforceRateLimit: true, limits: {} });
	await control(apiUrl, 'instance', { idInstance: ID_INSTANCE, token: TOKEN, chats });
	await control(apiUrl, 'reset', {});
	return chats;
}

async function measured(apiUrl: string, label: string, chats: Array<{ chatId: string }>, run: () => Promise<RunResult>): Promise<Measured> {
	const cpuBefore = process.cpuUsage();
	const started = process.hrtime.bigint();
	const result = await run();
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const cpu = process.cpuUsage(cpuBefore);
	const stats = await control(apiUrl, 'stats');
	const sentMessages = (await control(apiUrl, `sent?idInstance=${ID_INSTANCE}`)) as Array<{ chatId: string }>;
	const perChat = new Map<string, number>();
	for (const { chatId } of sentMessages) perChat.set(chatId, (perChat.get(chatId) ?? 0) + 1);
	const requests = (await control(apiUrl, 'requests')) as Array<{ method: string; status: number }>;
	const lanes = Object.keys(stats.wholeSpanPace as Record<string, number>).filter((lane) => !lane.endsWith('uploadFile'));
	return {
		label,
		seconds,
		sent: result.main.filter((item) => item.json.sent === true).length,
		failed: result.main.filter((item) => item.json.error !== undefined).length,
		tooMany: stats.tooManyRequests,
		pace: Math.max(0, ...lanes.map((lane) => stats.wholeSpanPace[lane] as number)),
		busiest: Math.max(0, ...lanes.map((lane) => stats.busiestSecond[lane] as number)),
		twice: [...perChat.values()].filter((count) => count > 1).length,
		missing: chats.filter(({ chatId }) => !perChat.has(chatId)).length,
		cpuMsPerItem: (cpu.user + cpu.system) / 1000 / chats.length,
		uploads: requests.filter((request) => request.method === 'uploadFile' && request.status === 200).length,
	};
}

function row(m: Measured, items: number): string {
	const limit = sendText.rateLimitPerSecond;
	return `| ${[
		m.label,
		`${m.sent}/${items}, ${m.failed}`,
		`${m.seconds.toFixed(1)} s (ideal ${(items / limit).toFixed(0)} s)`,
		`${m.pace.toFixed(2)} (${((m.pace / limit) * 100).toFixed(1)} %)`,
		m.busiest,
		m.tooMany,
		`${m.twice} / ${m.missing}`,
		m.cpuMsPerItem.toFixed(2),
		m.uploads ?? 0,
	].join(' | ')} |`;
}

export async function sendBench(apiUrl: string): Promise<void> {
	const count = Number(option('send-chats', '1000'));
	const keys = Number(option('keys', String(MAX_KEYS)));
	const rtt = Number(option('send-rtt', '100'));
	deduplication.roundTripMs = Number(option('store-rtt', '5'));
	const credentials = { bench: { apiUrl, idInstance: ID_INSTANCE, apiTokenInstance: TOKEN } };
	const textRun = (chats: Array<{ chatId: string }>, keyed: boolean) => async () =>
		await runGreenApi({
			items: chats.map(({ chatId }, index) => ({ chatId, deal: `D-${Date.now()}-${index}` })),
			parameters: {
				resource: 'message',
				operation: 'sendText',
				chatId: '={{ $json.chatId }}',
				text: 'Thank you! Your deal is closed.',
				options: keyed ? { sendOnceKey: '={{ $json.deal }}-thanks' } : {},
			},
			credentials,
			workflowId: WORKFLOW_ID,
			onError: 'continueRegularOutput',
		});
	const rows: string[] = [];
	console.log(`\nSend Text, ${count} chats, one process, ${rtt} ms round trip, limit ${sendText.rateLimitPerSecond}/s; n8n's store: ${deduplication.roundTripMs} ms a round trip.\n`);

	const plainChats = await prepare(apiUrl, count, rtt, '7910');
	const plain = await measured(apiUrl, 'no key', plainChats, textRun(plainChats, false));
	rows.push(row(plain, count));
	// The history n8n's store would hold after 10,000 keyed sends: each key with its claim's token.
	const history = Array.from({ length: keys }, (_, i) => [`earlier-${i}`, `earlier-${i}\u0000claim ${i}`]).flat();
	deduplication.prefill(WORKFLOW_ID, NODE_ID, history.slice(-2 * MAX_KEYS));
	const keyedChats = await prepare(apiUrl, count, rtt, '7911');
	const keyed = await measured(apiUrl, `a key each, ${keys} recorded`, keyedChats, textRun(keyedChats, true));
	rows.push(row(keyed, count));
	// One check-and-record on the full row, alone: what the store's whole-row read and write cost.
	const single = process.hrtime.bigint();
	const context = { workflow: { id: WORKFLOW_ID, active: false }, node: { id: NODE_ID } } as never;
	await deduplication.checkProcessedAndRecord(['one-more', 'one-more\u0000claim x'], 'node', context, { mode: 'entries', maxEntries: 2 * MAX_KEYS });
	const singleMs = Number(process.hrtime.bigint() - single) / 1e6;

	const fileChats = Number(option('file-chats', '200'));
	const megabytes = Number(option('file-mb', '5'));
	const chats = await prepare(apiUrl, fileChats, rtt, '7912');
	const file = { data: { data: randomBytes(megabytes * 1024 * 1024).toString('base64'), mimeType: 'application/pdf', fileName: 'price-list.pdf', fileExtension: 'pdf' } };
	const files = await measured(
		apiUrl,
		`Send File, ${megabytes} MB binary to each`,
		chats,
		async () =>
			await runGreenApi({
				items: chats,
				binary: chats.map(() => file),
				parameters: { resource: 'message', operation: 'sendFile', chatId: '={{ $json.chatId }}', fileSource: 'binary', binaryPropertyName: 'data', fileName: '' },
				credentials,
				workflowId: WORKFLOW_ID,
				onError: 'continueRegularOutput',
			}),
	);

	console.log('| run | sent, failed | whole run | whole-span pace at the service, req/s (of 50) | most in a rolling second | answered 429 | chats with 2+ / with none | CPU ms an item (n8n side) | uploads |');
	console.log('|---|---|---|---|---|---|---|---|---|');
	for (const line of rows) console.log(line);
	console.log(row(files, fileChats));
	const addedMs = ((keyed.seconds - plain.seconds) * 1000) / count;
	console.log(
		`\nSend Once Per Key: the keyed run took ${(keyed.seconds - plain.seconds).toFixed(1)} s more than the plain one (${addedMs.toFixed(1)} ms an item), ` +
			`${(keyed.cpuMsPerItem - plain.cpuMsPerItem).toFixed(2)} ms more CPU an item; one check-and-record of 2 values on the full row (${2 * MAX_KEYS} values) took ${singleMs.toFixed(1)} ms.`,
	);
}
