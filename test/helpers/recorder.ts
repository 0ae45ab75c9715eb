/**
 * A recording HTTP server standing for a GREEN-API host in tests that check what exactly arrives:
 * each request's method, URL, headers and body bytes, answered by the method's path segment.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
}

/** An HTTP server that records each request and answers by the method's path segment. */
export async function recorder(answers: Record<string, { body: unknown; delayMs?: number }>) {
	const received: Received[] = [];
	const server = http.createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) });
			const path = (request.url ?? '').split('/')[2] ?? '';
			const answer = answers[path] ?? { body: { message: 'unknown method' } };
			const send = () => response.writeHead(answer === answers[path] ? 200 : 404, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.body));
			if (answer.delayMs) setTimeout(send, answer.delayMs);
			else send();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		received,
		url,
		stop: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

export type Recorder = Awaited<ReturnType<typeof recorder>>;
