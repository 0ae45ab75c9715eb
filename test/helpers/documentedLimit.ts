/**
 * A method's documented rate limit, changed for the length of a run: the pacer runs each lane at
 * its method's documented limit (Requests Per Second can only lower it), so a test or benchmark
 * that needs another limit (a simulator told the same, e.g. many items quickly, or archiveChat
 * standing in for a 50/s send method) says so here, and the method is put back afterwards.
 */
import type { MethodEndpoint } from '../../nodes/GreenApi/api/types';

export async function withDocumentedLimit<T>(method: MethodEndpoint, limit: number, run: () => Promise<T>): Promise<T> {
	const documented = method.rateLimitPerSecond;
	method.rateLimitPerSecond = limit;
	try {
		return await run();
	} finally {
		method.rateLimitPerSecond = documented;
	}
}
