/**
 * The one way the node talks to GREEN-API: builds the URL from the credential, waits for the
 * instance's pacer, sends through n8n's own request helper with a hard timeout, tells the pacer
 * how each request fared, retries faults that are safe to retry, resends what the service
 * throttled (429) for as long as the instance still lets requests through, and turns every
 * failure into a GreenApiError from the catalogue. A method that must not run twice is resent only
 * when GREEN-API certainly did not receive it. No URL leaves this file: it holds the token.
 */
import { sleep, type IHttpRequestOptions } from 'n8n-workflow';

import { blockedByN8nError, GreenApiError, identifyAnswer, noAnswerError, sayIfItMayHaveHappened, stayedOverLimitError, type ErrorContext } from '../errors/catalogue';
import { serviceText } from '../errors/serviceText';
import type { MethodEndpoint, RequestFields } from '../api/types';
import type { CallOptions } from './callOptions';
import { sharedPacer } from './pacer';
import { requestBody, type RequestBody } from './body';
import { pause } from './pause';
import { redact } from './redaction';

export interface GreenApiCredentials {
	apiUrl: string;
	/** Where files are uploaded; empty (or absent, in credentials saved before it existed): derived from apiUrl. */
	mediaUrl?: string;
	idInstance: string;
	apiTokenInstance: string;
}

/** What a call came to: the service's answer, or the error to report. */
export type CallOutcome = { response: unknown; attempts: number; httpCode: number } | { error: GreenApiError };

/** n8n's `this.helpers.httpRequest`, as the node receives it. */
export type HttpRequest = (options: IHttpRequestOptions) => Promise<unknown>;

interface FullResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

/** One request's result: an HTTP answer, or none (timeout, a connection failure's code, or n8n refusing the address). */
type SendResult = { answer: FullResponse } | { timedOut: true } | { networkCode: string } | { blockedByN8n: string };

const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 8000;
/** A Retry-After on a fault longer than this fails the item instead of stalling the workflow. */
const RETRY_AFTER_CAP_MS = 60000;
/** Connection failures that happen before a request is written: GREEN-API cannot have received it. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export async function callMethod(http: HttpRequest, credentials: GreenApiCredentials, method: MethodEndpoint, request: RequestFields, options: CallOptions): Promise<CallOutcome> {
	const target = resolveTarget(credentials, method);
	if ('error' in target) return target;
	const context = (text: string): ErrorContext => ({
		method: method.path,
		idInstance: target.idInstance,
		host: target.host,
		hostField: target.hostField,
		request,
		serviceText: text,
	});
	const lane = `${target.host}|${target.idInstance}|${method.path}`;
	// A method carrying files may need longer than Options → Timeout gives a call (MethodEndpoint.minTimeoutMs).
	const timeoutMs = Math.max(options.timeoutMs, method.minTimeoutMs ?? 0);
	const startedAt = Date.now();

	// Built once, before a slot is taken: a body that cannot be built (a fault of the node) costs the lane nothing.
	const body = requestBody(method, request);
	// Whether any request so far may have been carried out: every error this call ends in says so (the catalogue's one rule).
	let mayHaveLanded = false;
	const fail = (error: GreenApiError): CallOutcome => ({ error: sayIfItMayHaveHappened(error, method.path, mayHaveLanded, method.safeToRepeat) });
	for (let attempt = 1, faults = 0; ; attempt++) {
		// The lane runs at the method's documented limit; Requests Per Second may only hold this call to less.
		const release = await sharedPacer.acquire(lane, method.rateLimitPerSecond, { requested: options.requestsPerSecond, signal: options.signal });
		const sent = await sendOnce(http, target.url, method, body, options, timeoutMs);
		let error: GreenApiError;
		if ('answer' in sent) {
			const { statusCode, body, headers } = sent.answer;
			if (statusCode >= 200 && statusCode < 300) {
				release('ok');
				return { response: parseBody(body), attempts: attempt, httpCode: statusCode };
			}
			const text = redact(serviceText(body), [target.token, ...(method.secretFields ?? []).map((field) => String(request[field] ?? ''))]);
			error = identifyAnswer(statusCode, context(text), method.errors, retryAfterMs(headers));
			release(error.throttled ? 'throttled' : 'ok');
		} else {
			release('failed');
			error =
				'timedOut' in sent
					? noAnswerError('timeout', context(''), '', timeoutMs)
					: 'blockedByN8n' in sent
						? blockedByN8nError(context(''), sent.blockedByN8n)
						: noAnswerError('connection', context(''), sent.networkCode, timeoutMs);
		}
		error.attempts = attempt;
		error.earlierMayHaveLanded = mayHaveLanded;
		mayHaveLanded ||= mayHaveArrived(sent);
		if (options.signal?.aborted) {
			// Cancelled while the request was out: not the service's answer, and it may have arrived (the rule says so).
			if ('answer' in sent) return fail(error);
			const cancelled = new GreenApiError(`The execution was cancelled while ${method.path} was on its way to GREEN-API.`, { code: 'CANCELLED', hint: 'Nothing more was sent.', serviceText: '' });
			cancelled.attempts = attempt;
			return fail(cancelled);
		}
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
				return fail(stayed);
			}
			if (wait > 0) sharedPacer.pause(lane, wait);
			continue;
		}
		// A call that must not run twice is not sent again once GREEN-API may have it.
		if (!method.safeToRepeat && mayHaveLanded) return fail(error);
		const wait = error.retryAfterMs ?? backoff(++faults);
		if (!error.retryable || faults > options.maxRetries || wait > RETRY_AFTER_CAP_MS) return fail(error);
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
	if ('blockedByN8n' in sent) return false;
	// ERR_INVALID_*: Node refused to write the request (a header it cannot carry, say).
	return 'timedOut' in sent || !(NEVER_SENT_CODES.has(sent.networkCode) || sent.networkCode.startsWith('ERR_INVALID_'));
}

interface Target {
	url: string;
	host: string;
	/** The credential field the host came from, as error hints name it. */
	hostField: string;
	idInstance: string;
	/** As sent (trimmed): the form a service text could echo, so the form to scrub. */
	token: string;
}

/** The credential's API URL (no trailing slash) and instance ID, as every request is built from them. */
export function instanceAddress(credentials: Partial<GreenApiCredentials>): { apiUrl: string; idInstance: string } {
	return { apiUrl: withoutTrailingSlash(credentials.apiUrl), idInstance: String(credentials.idInstance ?? '').trim() };
}

/**
 * The instance's media URL: the credential's, or else the API URL with its host's "api" label
 * made "media", as GREEN-API names its hosts (https://1103.api.green-api.com → https://1103.media.green-api.com,
 * https://api.green-api.com → https://media.green-api.com). A host without such a label (a proxy, a
 * test double) serves both. The credential's Media URL hint says the same.
 */
export function mediaAddress(credentials: Partial<GreenApiCredentials>): string {
	const own = withoutTrailingSlash(credentials.mediaUrl);
	if (own) return own;
	const apiUrl = withoutTrailingSlash(credentials.apiUrl);
	const parsed = parseUrl(apiUrl);
	if (!parsed) return apiUrl;
	const labels = parsed.hostname.split('.');
	const api = labels.indexOf('api');
	if (api === -1) return apiUrl;
	labels[api] = 'media';
	parsed.hostname = labels.join('.');
	return withoutTrailingSlash(parsed.toString());
}

function withoutTrailingSlash(url: unknown): string {
	return String(url ?? '')
		.trim()
		.replace(/\/+$/, '');
}

/** The credential, checked: a wrong one fails before anything is sent. */
function resolveTarget(credentials: GreenApiCredentials, method: MethodEndpoint): Target | { error: GreenApiError } {
	const { apiUrl, idInstance } = instanceAddress(credentials);
	const onMedia = method.host === 'media';
	const baseUrl = onMedia ? mediaAddress(credentials) : apiUrl;
	const token = String(credentials.apiTokenInstance ?? '').trim();
	const invalid = (what: string, hint: string) => ({
		error: new GreenApiError(`The GREEN-API credential is incomplete: ${what}.`, { code: 'CREDENTIAL_INVALID', hint, serviceText: '' }),
	});
	const parsed = parseUrl(baseUrl);
	if (!parsed || !/^https?:$/.test(parsed.protocol)) {
		return onMedia
			? invalid('the Media URL is not an http(s) address', 'Set Media URL to the address the GREEN-API console shows, e.g. https://1103.media.green-api.com, or leave it empty.')
			: invalid('the API URL is not an http(s) address', 'Set API URL to the address the GREEN-API console shows, e.g. https://1103.api.green-api.com.');
	}
	if (!/^\d+$/.test(idInstance)) {
		return invalid('the Instance ID must be digits', 'Copy idInstance from the GREEN-API console, e.g. 1101000001.');
	}
	if (!token) return invalid('the API Token Instance is empty', 'Copy apiTokenInstance from the GREEN-API console.');
	return {
		url: `${baseUrl}/waInstance${idInstance}/${method.path}/${encodeURIComponent(token)}`,
		host: parsed.origin,
		hostField: !onMedia ? 'API URL' : withoutTrailingSlash(credentials.mediaUrl) ? 'Media URL' : 'Media URL (empty, so derived from the API URL)',
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
async function sendOnce(http: HttpRequest, url: string, method: MethodEndpoint, body: RequestBody, options: CallOptions, timeoutMs: number): Promise<SendResult> {
	const abortRequest = new AbortController();
	const stopDeadline = new AbortController();
	const onCancel = () => abortRequest.abort();
	options.signal?.addEventListener('abort', onCancel, { once: true });
	const deadline = sleep(timeoutMs, stopDeadline.signal).then(
		(): SendResult => {
			abortRequest.abort();
			return { timedOut: true };
		},
		() => new Promise<SendResult>(() => {}), // the answer came first: this side of the race never settles
	);
	const sent = http({
		method: method.httpMethod,
		url,
		...body,
		// A copy: n8n's helper may add headers (tracing) to the object it is given.
		headers: { ...body.headers },
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: timeoutMs,
		abortSignal: abortRequest.signal,
	}).then(
		(answer): SendResult => ({ answer: answer as FullResponse }),
		(error: unknown): SendResult => (isTimeoutCode(error) ? { timedOut: true } : isBlockedByN8n(error) ? { blockedByN8n: (error as Error).message } : { networkCode: networkCode(error) }),
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

/**
 * n8n 2.x's SSRF protection refused the address before connecting (@n8n/backend-network's
 * SsrfBlockedIpError and SsrfBlockedHostnameError: no system code, so known by name). Its message
 * names no address.
 */
function isBlockedByN8n(error: unknown): boolean {
	return error instanceof Error && /^SsrfBlocked(Ip|Hostname)Error$/.test(error.name);
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
