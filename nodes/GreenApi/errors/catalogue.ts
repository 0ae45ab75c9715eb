/**
 * The error catalogue: turns any GREEN-API answer (or the lack of one) into a GreenApiError that
 * says in a plain sentence what happened and what to do, keeps the service's own text verbatim
 * (people search for it), carries a stable `code` to branch on, and knows whether a retry is safe.
 * Method-specific rows live with their method (see api/); the rows common to every method
 * are here. The first row that matches wins, method rows before common ones.
 */
import type { ErrorCode } from './codes';

export interface ErrorContext {
	/** GREEN-API method name, e.g. `archiveChat`. */
	method: string;
	idInstance: string;
	/** Scheme and host of the URL called (the API URL, or the media URL for files): shown in messages, never a path (the token lives there). */
	host: string;
	/** The credential field that host came from, as hints name it. */
	hostField: string;
	/** The request body, already validated: rows may name the chat. */
	request: Record<string, unknown>;
	/** The service's text, already scrubbed of secrets. */
	serviceText: string;
}

type Text = string | ((context: ErrorContext) => string);

/** The console's form of the URL a hint names. */
function exampleUrl(context: ErrorContext): string {
	return context.hostField.startsWith('Media URL') ? 'https://1103.media.green-api.com' : 'https://1103.api.green-api.com';
}

/** One documented answer of the service. */
export interface DocumentedError {
	/** Stable identifier users can branch on, e.g. `ALREADY_ARCHIVED`. */
	code: ErrorCode;
	/** HTTP status this row is for; `5xx` for any server error. */
	status: number | '5xx';
	/** Matched against the service's text; omitted means any text with this status. */
	match?: RegExp;
	/** The service's text as GREEN-API documents it (an example where it varies): docs/errors.md shows it, and a test checks that it reaches this row. */
	says: string;
	/** What happened, as a sentence. */
	message: Text;
	/** What to do about it. */
	hint: Text;
	/** Safe to send again: nothing happened, or the method tolerates a repeat. */
	retryable?: boolean;
	/** "Not now": the instance is over its rate limit. Resent as long as the lane makes progress, not counted as a fault. */
	throttled?: boolean;
	/** The chat is already in the state the method asks for (already archived, ...). */
	alreadyInState?: boolean;
}

/** What a GreenApiError carries besides its message. */
export interface GreenApiErrorFields {
	code: ErrorCode;
	/** What to do about it. */
	hint: string;
	/** The service's own text, scrubbed of secrets; empty when it said nothing (or did not answer). */
	serviceText: string;
	/** The HTTP status of the service's answer; absent when there was no answer. */
	httpCode?: number;
	retryable?: boolean;
	alreadyInState?: boolean;
	/** From Retry-After, when the service sent one. */
	retryAfterMs?: number;
	throttled?: boolean;
}

export class GreenApiError extends Error {
	override name = 'GreenApiError';
	/** How many requests were sent for this item; set by the transport. */
	attempts = 1;
	/**
	 * An earlier request for this item may have been carried out (it timed out, its connection
	 * dropped, the service failed); set by the transport. A 429 or a refused connection carried nothing out.
	 */
	earlierMayHaveLanded = false;
	readonly code: ErrorCode;
	readonly hint: string;
	readonly serviceText: string;
	readonly httpCode?: number;
	readonly retryable: boolean;
	readonly alreadyInState: boolean;
	readonly retryAfterMs?: number;
	readonly throttled: boolean;

	constructor(message: string, fields: GreenApiErrorFields) {
		super(message);
		this.code = fields.code;
		this.hint = fields.hint;
		this.serviceText = fields.serviceText;
		this.httpCode = fields.httpCode;
		this.retryable = fields.retryable ?? false;
		this.alreadyInState = fields.alreadyInState ?? false;
		this.retryAfterMs = fields.retryAfterMs;
		this.throttled = fields.throttled ?? false;
	}

	/** The description n8n shows under the message: what to do, then the service's own words. */
	get description(): string {
		const answer = this.httpCode ? `GREEN-API answered HTTP ${this.httpCode}${this.serviceText ? `: "${this.serviceText}"` : ' with an empty body'}.` : this.serviceText;
		const tries = this.attempts > 1 ? ` (after ${this.attempts} attempts)` : '';
		return [this.hint, answer ? `${answer}${tries}` : tries.trim()].filter(Boolean).join(' ');
	}
}

export const COMMON_ERRORS: DocumentedError[] = [
	{
		code: 'INSTANCE_STARTING',
		status: 400,
		match: /instance in starting process/i,
		says: 'instance in starting process try later',
		message: (c) => `GREEN-API instance ${c.idInstance} is still starting.`,
		hint: 'Wait a few seconds and run the node again.',
	},
	{
		code: 'NOT_AUTHORIZED',
		status: 400,
		match: /not ?authorized/i,
		says: 'instance account not authorized',
		message: (c) => `The WhatsApp account of GREEN-API instance ${c.idInstance} is not authorized.`,
		hint: 'Open the instance in the GREEN-API console and scan the QR code with WhatsApp on the phone.',
	},
	{
		code: 'INSTANCE_EXPIRED',
		status: 400,
		match: /expired/i,
		says: 'Instance account is expired. Please renew it in the console',
		message: (c) => `GREEN-API instance ${c.idInstance} has expired.`,
		hint: 'Renew the plan of this instance in the GREEN-API console, or create a new instance and update the credential.',
	},
	{
		code: 'INSTANCE_DELETED',
		status: 400,
		match: /deleted/i,
		says: 'Instance is deleted',
		message: (c) => `GREEN-API instance ${c.idInstance} has been deleted.`,
		hint: 'Create a new instance in the GREEN-API console and update the credential with its ID and token.',
	},
	{
		code: 'MALFORMED_JSON',
		status: 400,
		match: /unexpected token|JSON at position/i,
		says: 'Unexpected token _ in JSON at position 12',
		message: 'GREEN-API could not read the request body as JSON.',
		hint: 'This should not happen with this node: please report it with the input item.',
	},
	{
		code: 'UNAUTHORIZED',
		status: 401,
		says: 'Unauthorized',
		message: 'GREEN-API rejected the API token (apiTokenInstance).',
		hint: 'Copy the API token of the instance again from the GREEN-API console into the credential field "API Token Instance".',
	},
	{
		code: 'FORBIDDEN',
		status: 403,
		says: 'Forbidden',
		message: (c) => `GREEN-API refused access to instance ${c.idInstance} at ${c.host}.`,
		hint: (c) => `Check the credential: the Instance ID, and that the ${c.hostField} is the one the console shows for this instance (for example ${exampleUrl(c)}).`,
	},
	{
		code: 'NOT_FOUND',
		status: 404,
		says: 'Not Found',
		message: (c) => `GREEN-API has no method ${c.method} at ${c.host}.`,
		hint: (c) => `Check the ${c.hostField} in the credential: use the host the GREEN-API console shows, with no extra path.`,
	},
	{
		code: 'RATE_LIMITED',
		status: 429,
		says: 'Too Many Requests',
		message: (c) => `GREEN-API's rate limit for ${c.method} on instance ${c.idInstance} was exceeded.`,
		hint: 'Lower Options → Requests Per Second, or check whether other workflows use the same instance at the same time.',
		retryable: true,
		throttled: true,
	},
	{
		code: 'QUOTA_EXCEEDED',
		status: 466,
		says: 'Monthly quota of the Developer plan for method calls is exceeded. Upgrade the plan to continue.',
		message: (c) => `The monthly quota of the GREEN-API plan is used up${c.serviceText ? `: ${c.serviceText.replace(/[.!]?$/, '.')}` : '.'}`,
		hint: 'Upgrade the plan of this instance in the GREEN-API console, or wait for the quota to renew.',
	},
	{
		code: 'CLIENT_CLOSED_REQUEST',
		status: 499,
		says: 'Client Closed Request',
		message: 'GREEN-API reports that the request was closed before it finished.',
		hint: 'Raise Options → Timeout and run the node again.',
		retryable: true,
	},
	{
		code: 'WRONG_FIELD_TYPE',
		status: 500,
		match: /interface conversion/i,
		says: 'interface conversion: interface {} is bool, not string',
		message: 'GREEN-API could not read a field of the request: it had the wrong type.',
		hint: 'This should not happen with this node: please report it with the input item.',
	},
	{
		code: 'BAD_GATEWAY',
		status: 502,
		says: 'Bad Gateway',
		message: 'GREEN-API could not be reached behind its gateway.',
		hint: 'The service is having trouble; run the node again in a few minutes.',
		retryable: true,
	},
	{
		code: 'SERVICE_UNAVAILABLE',
		status: 503,
		says: 'Service Unavailable',
		message: 'GREEN-API is temporarily unavailable.',
		hint: 'Run the node again in a few minutes.',
		retryable: true,
	},
	{
		code: 'GATEWAY_TIMEOUT',
		status: 504,
		says: 'Gateway Timeout',
		message: 'GREEN-API did not answer its gateway in time.',
		hint: 'Run the node again in a few minutes.',
		retryable: true,
	},
	{
		code: 'SERVER_ERROR',
		status: '5xx',
		says: 'Internal Server Error',
		message: (c) => `GREEN-API failed while handling ${c.method}.`,
		hint: 'The service had an internal error; run the node again later, and contact GREEN-API support if it persists.',
	},
];

/**
 * The chat a request was about, for method rows that name it and the failure item that carries
 * it: a chat ID as text (a number too), or '' when the request names none.
 */
export function chatIdOf(request: { chatId?: unknown }): string {
	const { chatId } = request;
	return typeof chatId === 'string' || typeof chatId === 'number' ? String(chatId) : '';
}

export function identifyAnswer(status: number, context: ErrorContext, methodErrors: ReadonlyArray<DocumentedError>, retryAfterMs?: number): GreenApiError {
	const row = [...methodErrors, ...COMMON_ERRORS].find(
		(candidate) => (candidate.status === status || (candidate.status === '5xx' && status >= 500 && status < 600)) && (!candidate.match || candidate.match.test(context.serviceText)),
	);
	if (!row) {
		const rejected = status >= 400 && status < 500;
		return new GreenApiError(rejected ? `GREEN-API rejected the ${context.method} request.` : `GREEN-API gave an unexpected answer to ${context.method}.`, {
			code: rejected ? 'REQUEST_REJECTED' : 'UNEXPECTED_ANSWER',
			hint: "Check the input and the credential; the service's answer below says more.",
			serviceText: context.serviceText,
			httpCode: status,
		});
	}
	const text = (value: Text) => (typeof value === 'function' ? value(context) : value);
	return new GreenApiError(text(row.message), {
		code: row.code,
		hint: text(row.hint),
		serviceText: context.serviceText,
		httpCode: status,
		retryable: row.retryable,
		alreadyInState: row.alreadyInState,
		retryAfterMs,
		throttled: row.throttled,
	});
}

/**
 * The instance stayed over its limit: every request on the lane was answered 429 for as long as
 * the user allows (Max Wait When Rate Limited), or the service asked for a longer wait than that.
 */
export function stayedOverLimitError(context: ErrorContext, waited: { stalledMs: number; maxWaitMs: number; retryAfterMs?: number }): GreenApiError {
	const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
	const why =
		waited.retryAfterMs !== undefined && waited.retryAfterMs > 0
			? `it asked to wait ${seconds(waited.retryAfterMs)} (Retry-After), longer than Options → Max Wait When Rate Limited allows`
			: waited.maxWaitMs === 0
				? 'it answered 429 (Too Many Requests), and Options → Max Wait When Rate Limited is 0'
				: `nothing sent to ${context.method} on this instance got through for ${seconds(waited.stalledMs)}`;
	return new GreenApiError(`GREEN-API instance ${context.idInstance} stayed over its rate limit for ${context.method}: ${why}.`, {
		code: 'RATE_LIMITED',
		hint: 'Something else uses this instance at the same time (other workflows, other n8n workers, other programs), and together they keep it over its limit. Run them at different times or lower their Options → Requests Per Second; raise Options → Max Wait When Rate Limited to wait longer.',
		serviceText: context.serviceText,
		httpCode: 429,
		retryAfterMs: waited.retryAfterMs,
		throttled: true,
	});
}

/**
 * The one rule for what a failure says about whether GREEN-API has the request. A call ends in
 * error after requests that GREEN-API may have carried out (one timed out, its connection dropped
 * once open, the service failed: 5xx, 499): whatever the last answer was, its error says so.
 * - A call that must not run twice (api/types.ts, `safeToRepeat`) is never sent again then: it
 *   fails with MAY_HAVE_HAPPENED, its own code, so that a workflow branching on TIMEOUT or
 *   BAD_GATEWAY to retry cannot do it twice.
 * - A call safe to repeat keeps its code, and its hint says it may be done and that running it
 *   again does no harm.
 * A request that certainly did not arrive (a refused connection, a 4xx refusal such as 429) changes nothing.
 */
export function sayIfItMayHaveHappened(error: GreenApiError, method: string, mayHaveLanded: boolean, safeToRepeat: boolean): GreenApiError {
	if (!mayHaveLanded) return error;
	if (safeToRepeat) {
		const said = new GreenApiError(error.message, {
			code: error.code,
			hint: `${error.hint} GREEN-API may have carried out ${method} already (a request for this item got no answer); running it again does no harm.`,
			serviceText: error.serviceText,
			httpCode: error.httpCode,
			retryable: error.retryable,
			alreadyInState: error.alreadyInState,
			retryAfterMs: error.retryAfterMs,
			throttled: error.throttled,
		});
		said.attempts = error.attempts;
		said.earlierMayHaveLanded = error.earlierMayHaveLanded;
		return said;
	}
	const happened = new GreenApiError(`${error.message} GREEN-API may have carried out ${method}, so it was not sent again: it must not run twice.`, {
		code: 'MAY_HAVE_HAPPENED',
		hint: `Check whether it happened before running this item again. ${error.hint}`,
		serviceText: error.serviceText,
		httpCode: error.httpCode,
	});
	happened.attempts = error.attempts;
	return happened;
}

/**
 * A call that must not run twice was accepted (2xx) but its answer could not be read: it has most
 * likely been carried out, so it fails with MAY_HAVE_HAPPENED rather than as an unexpected answer,
 * which a workflow might retry.
 */
export function acceptedButUnreadableError(method: string, httpCode: number, expected: string): GreenApiError {
	return sayIfItMayHaveHappened(
		new GreenApiError(`GREEN-API accepted ${method} (HTTP ${httpCode}) but its answer was not as documented: ${expected}.`, {
			code: 'UNEXPECTED_ANSWER',
			hint: 'If GREEN-API has changed its answers, please report it at https://github.com/n8n-nodes-green-api/n8n-nodes-green-api/issues.',
			serviceText: '',
		}),
		method,
		true,
		false,
	);
}

/**
 * n8n refused to make the request (its SSRF protection, n8n 2.x: the host is on a deny-list or
 * resolves to a restricted address). Nothing left n8n, so nothing happened; asking again changes nothing.
 */
export function blockedByN8nError(context: ErrorContext, n8nSays: string): GreenApiError {
	return new GreenApiError(`n8n did not send ${context.method} to ${context.host}: its protection against server-side request forgery blocked the address.`, {
		code: 'BLOCKED_BY_N8N',
		hint: `Check the ${context.hostField} in the credential; if it is right, ask your n8n administrator to allow that host (N8N_SSRF_ALLOWED_HOSTNAMES, or N8N_SSRF_ALLOWED_IP_RANGES for its address).`,
		serviceText: n8nSays,
		retryable: false,
	});
}

/** No answer at all: the request timed out or the connection failed. Both are safe to retry. */
export function noAnswerError(kind: 'timeout' | 'connection', context: ErrorContext, detail: string, timeoutMs: number): GreenApiError {
	return kind === 'timeout'
		? new GreenApiError(`GREEN-API did not answer ${context.method} within ${timeoutMs} ms: the request timed out.`, {
				code: 'TIMEOUT',
				hint: `Raise Options → Timeout, or check the ${context.hostField} and that the service is up.`,
				serviceText: '',
				retryable: true,
			})
		: // The system code goes in the description: n8n swaps messages containing one for its own.
			new GreenApiError(`Could not reach GREEN-API at ${context.host}.`, {
				code: 'CONNECTION_FAILED',
				hint: `Check the ${context.hostField} in the credential and the network between n8n and GREEN-API.`,
				serviceText: detail ? `The connection failed: ${detail}.` : '',
				retryable: true,
			});
}
