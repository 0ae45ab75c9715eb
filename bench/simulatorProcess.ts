/** The simulator in its own process for the benchmarks (so that its CPU is not counted as the node's), and its control routes. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

export async function startSimulator(): Promise<{ apiUrl: string; stop: () => void }> {
	const port = 3190 + Math.floor(Math.random() * 500);
	const child = spawn(process.execPath, [path.join(__dirname, '../sandbox/server.js'), '--port', String(port), '--latency', '0'], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	await once(child.stdout!, 'data');
	return { apiUrl: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export async function control(apiUrl: string, route: string, body?: unknown): Promise<any> {
	const response = await fetch(`${apiUrl}/__sandbox/${route}`, {
		method: body === undefined ? 'GET' : 'POST',
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return await response.json();
}
