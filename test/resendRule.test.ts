/**
 * The resend rule (transport/request.ts): a method that must not run twice (`safeToRepeat: false`,
 * sending a message, say) is resent only when GREEN-API certainly did not receive it — the
 * connection was refused, or it answered 429. After a timeout, a dropped connection or a 5xx its
 * item fails with MAY_HAVE_HAPPENED. A method safe to repeat is retried after all of those.
 * The HTTP helper here is scripted: each test says what every request meets, and counts them.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import type { MethodEndpoint } from '../nodes/GreenApi/api/types';
import { callMethod, type CallOutcome, type HttpRequest } from '../nodes/GreenApi/transport/request';

const TOKEN = 'd75b3a66374942c5b3c019c698abc2067e151558acbd412345';
const CREDENTIALS = { apiUrl: 'https://1103.api.green-api.com', idInstance: '1101000001', apiTokenInstance: TOKEN };

/** What one request meets: an HTTP answer, a connection error's code, or no answer before the timeout. */
type Meets = { status: number; body?: string } | { networkCode: string } | 'hang';

let lane = 0;
/** A method on its own lane (a fresh path), so that no test's pacing or 429s reach another's. */
function method(safeToRepeat: boolean): MethodEndpoint {
	return { path: `sendTest${++lane}`, httpMethod: 'POST', rateLimitPerSecond: 1000, safeToRepeat, errors: [] };
}

function scripted(meets: Meets[]): { http: HttpRequest; sent: IHttpRequestOptions[] } {
	const sent: IHttpRequestOptions[] = [];
	const http: HttpRequest = async (options) => {
		sent.push(options);
		const next = meets.shift() ?? { status: 200, body: '{"idMessage":"BAE5"}' };
		if (next === 'hang') {
			return await new Promise((_, reject) => (options.abortSignal as AbortSignal).addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { code: 'ERR_CANCELED' }))));
		}
		if ('networkCode' in next) throw Object.assign(new Error(`connect ${next.networkCode} 203.0.113.7:443`), { code: next.networkCode });
		return { statusCode: next.status, body: next.body ?? '', headers: {} };
	};
	return { http, sent };
}

async function call(safeToRepeat: boolean, meets: Meets[]): Promise<{ outcome: CallOutcome; requests: number }> {
	const { http, sent } = scripted(meets);
	const outcome = await callMethod(
		http,
		CREDENTIALS,
		method(safeToRepeat),
		{ chatId: '79001234567@c.us', message: 'Hello' },
		{
			timeoutMs: 200,
			maxRetries: 3,
			requestsPerSecond: 1000,
			maxThrottledWaitMs: 10000,
		},
	);
	return { outcome, requests: sent.length };
}

function failure(outcome: CallOutcome) {
	if (!('error' in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
	return outcome.error;
}

describe('a method that must not run twice', () => {
	it.each<[string, Meets, number | undefined, string]>([
		['a 502', { status: 502, body: 'Bad Gateway' }, 502, 'GREEN-API could not be reached behind its gateway.'],
		['a 503', { status: 503 }, 503, 'GREEN-API is temporarily unavailable.'],
		['a 500', { status: 500, body: 'internal' }, 500, 'GREEN-API failed while handling sendTest'],
		['a 499', { status: 499 }, 499, 'GREEN-API reports that the request was closed before it finished.'],
		['a connection reset', { networkCode: 'ECONNRESET' }, undefined, 'Could not reach GREEN-API at https://1103.api.green-api.com.'],
		['a timeout', 'hang', undefined, 'GREEN-API did not answer sendTest'],
	])('after %s: sent once, and the item fails saying it may have happened', async (_, meets, httpCode, cause) => {
		const { outcome, requests } = await call(false, [meets]);
		expect(requests).toBe(1);
		const error = failure(outcome);
		expect(error.code).toBe('MAY_HAVE_HAPPENED');
		expect(error.httpCode).toBe(httpCode);
		expect(error.message.startsWith(cause)).toBe(true);
		expect(error.message).toMatch(/GREEN-API may have carried out sendTest\d+, so it was not sent again: it must not run twice\.$/);
		expect(error.hint).toMatch(/^Check whether it happened before running this item again\./);
		expect(error.retryable).toBe(false);
	});

	it.each<[string, Meets]>([
		['a refused connection', { networkCode: 'ECONNREFUSED' }],
		['an unknown host', { networkCode: 'ENOTFOUND' }],
		['a 429', { status: 429, body: 'Too Many Requests' }],
	])('after %s (certainly not received): resent, and it succeeds', async (_, meets) => {
		const { outcome, requests } = await call(false, [meets]);
		expect(requests).toBe(2);
		expect(outcome).toEqual({ response: { idMessage: 'BAE5' }, attempts: 2, httpCode: 200 });
	});

	it('a refused connection is resent only Max Retries times', async () => {
		const refused = { networkCode: 'ECONNREFUSED' };
		const { outcome, requests } = await call(false, [refused, refused, refused, refused, refused]);
		expect(requests).toBe(4);
		expect(failure(outcome).code).toBe('CONNECTION_FAILED');
	});

	it('a 400 is the service refusing: not resent, and not called "may have happened"', async () => {
		const { outcome, requests } = await call(false, [{ status: 400, body: 'Validation failed' }]);
		expect(requests).toBe(1);
		expect(failure(outcome).code).toBe('REQUEST_REJECTED');
	});

	it('the message never holds the token', async () => {
		const { outcome } = await call(false, [{ status: 502, body: `upstream /waInstance1101000001/sendTest/${TOKEN} failed` }]);
		const error = failure(outcome);
		expect(`${error.message} ${error.description}`).not.toContain(TOKEN);
	});
});

describe('a method safe to repeat (the contrast)', () => {
	it.each<[string, Meets]>([
		['a 502', { status: 502 }],
		['a connection reset', { networkCode: 'ECONNRESET' }],
		['a timeout', 'hang'],
	])('after %s: resent, and it succeeds', async (_, meets) => {
		const { outcome, requests } = await call(true, [meets]);
		expect(requests).toBe(2);
		expect(outcome).toEqual({ response: { idMessage: 'BAE5' }, attempts: 2, httpCode: 200 });
	});
});

describe('one rule: a call that ends in error after a request GREEN-API may have carried out says so, whatever its last answer', () => {
	const MAY_HAVE = /GREEN-API may have carried out sendTest\d+ already \(a request for this item got no answer\); running it again does no harm\.$/;

	it('safe to repeat: a timeout, then a refusal: the refusal keeps its code, and its hint says it may be done already', async () => {
		const { outcome, requests } = await call(true, ['hang', { status: 400, body: 'Validation failed' }]);
		expect(requests).toBe(2);
		const error = failure(outcome);
		expect(error.code).toBe('REQUEST_REJECTED');
		expect(error.hint).toMatch(MAY_HAVE);
		expect(error.description).toContain('may have carried out');
	});

	it('safe to repeat: 5xx until Max Retries runs out: the last code, saying it may be done already', async () => {
		const bad = { status: 502 };
		const { outcome, requests } = await call(true, [bad, bad, bad, bad]);
		expect(requests).toBe(4);
		const error = failure(outcome);
		expect(error.code).toBe('BAD_GATEWAY');
		expect(error.hint).toMatch(MAY_HAVE);
	});

	it('safe to repeat: a refused connection, then a refusal: nothing arrived before, so nothing is said', async () => {
		const { outcome } = await call(true, [{ networkCode: 'ECONNREFUSED' }, { status: 400 }]);
		const error = failure(outcome);
		expect(error.code).toBe('REQUEST_REJECTED');
		expect(error.hint).not.toContain('may have carried out');
	});

	it('must not run twice: a 429 (resent), then a timeout: MAY_HAVE_HAPPENED, not sent a third time', async () => {
		const { outcome, requests } = await call(false, [{ status: 429 }, 'hang']);
		expect(requests).toBe(2);
		expect(failure(outcome).code).toBe('MAY_HAVE_HAPPENED');
	});
});
