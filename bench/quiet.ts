/**
 * `npm run bench -- --only quiet`: Get Many with Filters → Quiet for at Least 30 days on a large
 * instance — 5,000 chats and both journals full (10,000 messages each) — through n8n's real
 * engine against the simulator in its own process. Reports the calls made, the node's CPU time
 * (this process: the engine, three answers parsed, the decision per chat) and how much more
 * memory the run held, best of three runs.
 */
import { JOURNAL_CAP } from '../nodes/GreenApi/api/journals/journal';
import { runGreenApi } from '../test/harness/engine';
import { control, startSimulator } from './simulatorProcess';

const ID_INSTANCE = '1101000009';
const TOKEN = 'bench0quiet0token0shaped0like0a0real0one0000000001';
const CHATS = 5000;
const ACTIVE = 3000;
const RUNS = 3;

export async function quietBench(): Promise<void> {
	const simulator = await startSimulator();
	try {
		const chats = Array.from({ length: CHATS }, (_, i) => ({ chatId: `7911${String(i).padStart(7, '0')}@c.us`, name: `Customer ${i}` }));
		// Both journals full: 10,000 messages each over the last 60 days, in 3,000 of the chats (2,000 went quiet).
		const history = (['incoming', 'outgoing'] as const).flatMap((type) =>
			Array.from({ length: JOURNAL_CAP }, (_, i) => ({ chatId: chats[(i * 7) % ACTIVE].chatId, daysAgo: (i / JOURNAL_CAP) * 60, type, text: `message ${i}` })),
		);
		await control(simulator.apiUrl, 'configure', { latencyMs: 0, enforceRateLimit: true });
		await control(simulator.apiUrl, 'instance', { idInstance: ID_INSTANCE, token: TOKEN, chats, history });
		const results: Array<{ cpuMs: number; heapMb: number; calls: number; returned: number; hint: string }> = [];
		for (let run = 0; run < RUNS; run++) {
			await control(simulator.apiUrl, 'reset', {});
			global.gc?.();
			const heapBefore = process.memoryUsage().heapUsed;
			let heapPeak = heapBefore;
			const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 5);
			const cpuBefore = process.cpuUsage();
			const result = await runGreenApi({
				items: [{}],
				parameters: { resource: 'chat', operation: 'getAll', returnAll: true, filters: { quietForDays: 30 } },
				credentials: { main: { apiUrl: simulator.apiUrl, idInstance: ID_INSTANCE, apiTokenInstance: TOKEN } },
			});
			const cpu = process.cpuUsage(cpuBefore);
			clearInterval(sampler);
			heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
			if (result.error) throw new Error(`Get Many failed: ${result.error.message}`);
			const stats = await control(simulator.apiUrl, 'stats');
			results.push({ cpuMs: (cpu.user + cpu.system) / 1000, heapMb: (heapPeak - heapBefore) / 1048576, calls: stats.requests, returned: result.main.length, hint: result.hints[0] ?? '' });
		}
		const best = results.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
		console.log(
			[
				`\nGet Many, quiet for at least 30 days, ${CHATS} chats, both journals full (${JOURNAL_CAP} messages each over the last 60 days, in ${ACTIVE} of the chats), best of ${RUNS}:`,
				`  calls to GREEN-API: ${best.calls}`,
				`  CPU in this process (engine and node): ${best.cpuMs.toFixed(0)} ms (runs: ${results.map((r) => r.cpuMs.toFixed(0)).join(', ')} ms)`,
				`  heap held at most above the start: ${best.heapMb.toFixed(1)} MB (runs: ${results.map((r) => r.heapMb.toFixed(1)).join(', ')} MB; sampled every 5 ms)`,
				`  chats returned: ${best.returned}${best.hint ? `; hint: ${best.hint}` : ''}`,
			].join('\n'),
		);
	} finally {
		simulator.stop();
	}
}
