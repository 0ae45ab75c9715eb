/**
 * Reads the CPU profile Node's --cpu-prof wrote for the n8n process during the trigger benchmark
 * and says where the CPU went in each row (n8n's own Webhook node, the GREEN-API Trigger), per
 * delivery: by package (the code's node_modules package, Node's internals, the garbage collector),
 * and the functions that took most. The rows are told apart by time: a profile's sample times and
 * the benchmark's marks are on the same monotonic clock.
 */
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
	nodes: ProfileNode[];
	startTime: number;
	samples: number[];
	timeDeltas: number[];
}

/** The package a script belongs to: its node_modules package (scoped ones whole), Node's own, or V8's pseudo-frames. */
function packageOf(url: string, functionName: string): string {
	if (url === '') return functionName || '(native)';
	if (url.startsWith('node:')) return 'node (internals)';
	const parts = url.split('/node_modules/');
	if (parts.length < 2) return url;
	const rest = parts[parts.length - 1].split('/');
	return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
}

/** Self time (µs) per key in [from, to), and the number of samples' µs outside idle. */
function selfTimes(profile: Profile, from: number, to: number, keyOf: (node: ProfileNode) => string): { byKey: Map<string, number>; busy: number } {
	const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
	const byKey = new Map<string, number>();
	let at = profile.startTime;
	let busy = 0;
	for (let i = 0; i < profile.samples.length; i++) {
		at += profile.timeDeltas[i];
		if (at < from || at >= to) continue;
		const node = nodes.get(profile.samples[i]);
		if (!node || node.callFrame.functionName === '(idle)') continue;
		// A sample stands for the time until the next one.
		const spent = profile.timeDeltas[i + 1] ?? 0;
		busy += spent;
		const key = keyOf(node);
		byKey.set(key, (byKey.get(key) ?? 0) + spent);
	}
	return { byKey, busy };
}

/** The report for the two rows, `count` deliveries each. */
export function cpuReport(dir: string, phases: Record<'own' | 'ours', { from: number; to: number }>, count: number): string {
	// The n8n main process's profile is the largest (its task runner writes one too).
	const files = fs.readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'));
	if (files.length === 0) return `  no profile in ${dir}`;
	const file = files.map((name) => path.join(dir, name)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
	const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
	const perDelivery = (micros: number) => `${(micros / 1000 / count).toFixed(2)} ms`;
	const lines: string[] = [];
	const byPackage = Object.fromEntries(
		(['own', 'ours'] as const).map((row) => [row, selfTimes(profile, phases[row].from, phases[row].to, (node) => packageOf(node.callFrame.url, node.callFrame.functionName))]),
	) as Record<'own' | 'ours', ReturnType<typeof selfTimes>>;
	lines.push(`  busy CPU per delivery: n8n's Webhook node ${perDelivery(byPackage.own.busy)}, GREEN-API Trigger ${perDelivery(byPackage.ours.busy)}`);
	const packages = [...new Set([...byPackage.own.byKey.keys(), ...byPackage.ours.byKey.keys()])]
		.map((name) => ({ name, own: byPackage.own.byKey.get(name) ?? 0, ours: byPackage.ours.byKey.get(name) ?? 0 }))
		.sort((a, b) => b.ours - b.own - (a.ours - a.own));
	lines.push('  | package | Webhook node, per delivery | GREEN-API Trigger, per delivery | difference |', '  |---|---|---|---|');
	for (const row of packages.slice(0, 15)) lines.push(`  | ${row.name} | ${perDelivery(row.own)} | ${perDelivery(row.ours)} | ${perDelivery(row.ours - row.own)} |`);
	const functions = selfTimes(profile, phases.ours.from, phases.ours.to, (node) => `${node.callFrame.functionName || '(anonymous)'} ${packageOf(node.callFrame.url, '')}:${node.callFrame.lineNumber + 1}`);
	const own = selfTimes(profile, phases.own.from, phases.own.to, (node) => `${node.callFrame.functionName || '(anonymous)'} ${packageOf(node.callFrame.url, '')}:${node.callFrame.lineNumber + 1}`);
	lines.push('  functions taking more in the trigger row than in the Webhook node row (self time, per delivery):');
	const extra = [...functions.byKey.entries()].map(([name, micros]) => ({ name, extra: micros - (own.byKey.get(name) ?? 0) })).sort((a, b) => b.extra - a.extra);
	for (const { name, extra: micros } of extra.slice(0, 15)) lines.push(`    ${perDelivery(micros)}  ${name}`);
	return lines.join('\n');
}
