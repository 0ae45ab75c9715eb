/**
 * The one way the node talks to GREEN-API: builds the URL from the credential, waits for the
 * instance's pacer, sends through n8n's own request helper with a hard timeout, tells the pacer
 * how each request fared, retries faults that are safe to retry, resends what the service
 * throttled (429) for as long as the instance still lets requests through, and turns every
 * failure into a GreenApiError from the catalogue. A method that must not run twice is resent only
 * when GREEN-API certainly did not receive it. No URL leaves this file: it holds the token.
 */
import { sleep, type IHttpRequestOptions } from 'n8n-workflow';

import { GreenApiError, identifyAnswer, mayHaveHappenedError, noAnswerError, stayedOverLimitError, type ErrorContext } from '../errors/catalogue';
import { serviceText } from '../errors/serviceText';
import type { MethodEndpoint, RequestFields } from '../api/types';
import type { CallOptions } from './callOptions';
import { sharedPacer } from './pacer';
import { pause } from './pause';
import { redact } from './secrets';

export interface GreenApiCredentials {
	apiUrl: string;
	idInstance: string;
	apiTokenInstance: string;
}

/** What a call came to: the service's answer, or the error to report. */
export type CallOutcome = { response: unknown; attempts: number } | { error: GreenApiError };

/** n8n's `this.helpers.httpRequest`, as the node receives it. */
export type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

interface FullResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

/** One request's result: an HTTP answer, or none (timeout, or a connection failure's code). */
type SendResult = { answer: FullResponse } | { timedOut: true } | { networkCode: string };

const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 8000;
/** A Retry-After on a fault longer than this fails the item instead of stalling the workflow. */
const RETRY_AFTER_CAP_MS = 60000;
/** Connection failures that happen before a request is written: GREEN-API cannot have received it. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export async function callMethod(
	http: HttpRequest,
	credentials: GreenApiCredentials,
	method: MethodEndpoint,
	request: RequestFields,
	options: CallOptions,
): Promise<CallOutcome> {
	const target = resolveTarget(credentials, method);
	if ('error' in target) return target;
	const context = (text: string): ErrorContext => ({
		method: method.path,
		idInstance: target.idInstance,
		apiHost: target.apiHost,
		request,
		serviceText: text,
	});
	const lane = `${target.apiHost}|${target.idInstance}|${method.path}`;
	const startedAt = Date.now();

	let earlierMayHaveLanded = false;
	for (let attempt = 1, faults = 0; ; attempt++) {
		// The lane runs at the method's documented limit; Requests Per Second may only hold this call to less.
		const release = await sharedPacer.acquire(lane, method.rateLimitPerSecond, { requested: options.requestsPerSecond, signal: options.signal });
		const sent = await sendOnce(http, target.url, method, request, options);
		let error: GreenApiError;
		if ('answer' in sent) {
			const { statusCode, body, headers } = sent.answer;
			if (statusCode >= 200 && statusCode < 300) {
				release('ok');
				return { response: parseBody(body), attempts: attempt };
			}
			const text = redact(serviceText(body), [target.token, ...(method.secretFields ?? []).map((field) => String(request[field] ?? ''))]);
			error = identifyAnswer(statusCode, context(text), method.errors, retryAfterMs(headers));
			release(error.throttled ? 'throttled' : 'ok');
		} else {
			release('failed');
			error = 'timedOut' in sent
				? noAnswerError('timeout', context(''), '', options.timeoutMs)
				: noAnswerError('connection', context(''), sent.networkCode, options.timeoutMs);
		}
		error.attempts = attempt;
		error.earlierMayHaveLanded = earlierMayHaveLanded;
		earlierMayHaveLanded ||= mayHaveArrived(sent);
		if (options.signal?.aborted) return { error };
		if (error.throttled) {
			// "Not now": the pacer has slowed the lane; resend while the lane still gets through.
			const wait = error.retryAfterMs ?? 0;
			const stalledMs = Date.now() - Math.max(startedAt, sharedPacer.lastProgress(lane));
			if (stalledMs + wait >= options.maxThrottledWaitMs) {
				const stayed = stayedOverLimitError(context(error.serviceText), {
					stalledMs,
					maxWaitMs: options.maxThrottledWaitMs,
					retryAfterMs: error.retryAfterMs,
				});
				stayed.attempts = attempt;
				return { error: stayed };
			}
			if (wait > 0) sharedPacer.pause(lane, wait);
			continue;
		}
		if (!method.safeToRepeat && mayHaveArrived(sent)) {
			return { error: mayHaveHappenedError(error, context(error.serviceText)) };
		}
		const wait = error.retryAfterMs ?? backoff(++faults);
		if (!error.retryable || faults > options.maxRetries || wait > RETRY_AFTER_CAP_MS) return { error };
		await pause(wait, options.signal);
	}
}

/**
 * Whether GREEN-API may have received and carried out a request that did not succeed: it timed
 * out, its connection dropped once open, or the service failed (5xx, 499). A 4xx answer is the
 * service's refusal, and a refused connection never carried the request.
 */
function mayHaveArrived(sent: SendResult): boolean {
	if ('answer' in sent) return sent.answer.statusCode >= 500 || sent.answer.statusCode === 499;
	return 'timedOut' in sent || !NEVER_SENT_CODES.has(sent.networkCode);
}

interface Target {
	url: string;
	apiHost: string;
	idInstance: string;
	/** As sent (trimmed): the form a service text could echo, so the form to scrub. */
	token: string;
}

/** The credential's API URL (no trailing slash) and instance ID, as every request is built from them. */
export function instanceAddress(credentials: Partial<GreenApiCredentials>): { apiUrl: string; idInstance: string } {
	return { apiUrl: String(credentials.apiUrl ?? '').trim().replace(/\/+$/, ''), idInstance: String(credentials.idInstance ?? '').trim() };
}

/** The credential, checked: a wrong one fails before anything is sent. */
function resolveTarget(credentials: GreenApiCredentials, method: MethodEndpoint): Target | { error: GreenApiError } {
	const { apiUrl, idInstance } = instanceAddress(credentials);
	const token = String(credentials.apiTokenInstance ?? '').trim();
	const invalid = (what: string, hint: string) => ({
		error: new GreenApiError(`The GREEN-API credential is incomplete: ${what}.`, { code: 'CREDENTIAL_INVALID', hint, serviceText: '' }),
	});
	const parsed = parseUrl(apiUrl);
	if (!parsed || !/^https?:$/.test(parsed.protocol)) {
		return invalid('the API URL is not an http(s) address', 'Set API URL to the address the GREEN-API console shows, e.g. https://1103.api.green-api.com.');
	}
	if (!/^\d+$/.test(idInstance)) {
		return invalid('the Instance ID must be digits', 'Copy idInstance from the GREEN-API console, e.g. 1101000001.');
	}
	if (!token) return invalid('the API Token Instance is empty', 'Copy apiTokenInstance from the GREEN-API console.');
	return {
		url: `${apiUrl}/waInstance${idInstance}/${method.path}/${encodeURIComponent(token)}`,
		apiHost: parsed.origin,
		idInstance,
		token,
	};
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

/** One request with a hard deadline, whether or not the helper honours its own timeout. */
async function sendOnce(
	http: HttpRequest,
	url: string,
	method: MethodEndpoint,
	request: RequestFields,
	options: CallOptions,
): Promise<SendResult> {
	const abortRequest = new AbortController();
	const stopDeadline = new AbortController();
	const onCancel = () => abortRequest.abort();
	options.signal?.addEventListener('abort', onCancel, { once: true });
	const deadline = sleep(options.timeoutMs, stopDeadline.signal).then(
		(): SendResult => {
			abortRequest.abort();
			return { timedOut: true };
		},
		() => new Promise<SendResult>(() => {}), // the answer came first: this side of the race never settles
	);
	const sent = http({
		method: method.httpMethod,
		url,
		headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
		body: method.httpMethod === 'POST' ? JSON.stringify(request) : undefined,
		qs: method.httpMethod === 'GET' && Object.keys(request).length ? request : undefined,
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: options.timeoutMs,
		abortSignal: abortRequest.signal,
	}).then(
		(answer): SendResult => ({ answer: answer as FullResponse }),
		(error: unknown): SendResult => (isTimeoutCode(error) ? { timedOut: true } : { networkCode: networkCode(error) }),
	);
	try {
		return await Promise.race([sent, deadline]);
	} finally {
		stopDeadline.abort();
		options.signal?.removeEventListener('abort', onCancel);
	}
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	if (body.trim() === '') return undefined;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

/** Only the system error code (ECONNRESET, ...): error messages may carry addresses. */
function networkCode(error: unknown): string {
	const code = (error as { code?: unknown })?.code;
	return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : 'connection failed';
}

function isTimeoutCode(error: unknown): boolean {
	const code = (error as { code?: unknown })?.code;
	return code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'ESOCKETTIMEDOUT';
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(headers: Record<string, unknown> | undefined): number | undefined {
	const value = headers?.['retry-after'];
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(String(value));
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Exponential, with jitter so that many items failing together do not retry in lockstep. */
function backoff(fault: number): number {
	const exponential = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (fault - 1));
	return Math.round(exponential * (0.5 + Math.random()));
}
