/**
 * The one call path: every GREEN-API call of the action node's router, the trigger (activation,
 * deliveries' archive look-up, polling, Fetch Test Event) and the editor's list search goes through
 * an instance made here (`greenApiInstance`). It fetches the credential, calls the method through
 * the transport (request.ts: URL, pacing, retries by the method's safety, the error catalogue),
 * waits out a restart of the instance when asked to, and decodes the answer with the method's own
 * `output` — or gives back the n8n error to show, with what a continue-on-fail item carries to
 * branch on.
 */
import { NodeOperationError, type IDataObject, type INode, type NodeApiError } from 'n8n-workflow';

import { UnexpectedAnswer, type MethodCall, type RequestFields } from '../api/types';
import { acceptedButUnreadableError, chatIdOf, type GreenApiError } from '../errors/catalogue';
import type { ErrorCode } from '../errors/codes';
import { nodeFaultError, toNodeError, unexpectedAnswerError } from '../errors/nodeError';
import { defaultCallSettings, type CallOptions, type CallSettings } from './callOptions';
import { pause } from './pause';
import { callMethod, type GreenApiCredentials, type HttpRequest } from './request';
import { scrubbedCause } from './redaction';

/** A call that failed: the error n8n shows, and what continue-on-fail output carries to branch on. */
export interface CallFailure {
	nodeError: NodeApiError | NodeOperationError;
	code: ErrorCode;
	httpCode?: number;
	chatId?: string;
}

/** A call that succeeded: its output items; `alreadyInState` when the chat was found already in the state asked for. */
export interface CallSuccess<Item> {
	items: Item[];
	alreadyInState?: true;
}

interface CallSpec<Item extends IDataObject> {
	node: INode;
	http: HttpRequest;
	/** The node's GREEN-API credential (n8n's getCredentials); a failure here fails the call. */
	credentials: () => Promise<object>;
	method: MethodCall<Item>;
	request: RequestFields;
	options: CallOptions;
	/** The method's output parameters (Return All, Limit, Filters). */
	parameters?: IDataObject;
	/** Whether "already in that state" counts as success (the method's ignoreAlreadyInState option is on). */
	acceptAlreadyInState?: boolean;
	itemIndex?: number;
}

export function isCallFailure(value: unknown): value is CallFailure {
	return typeof value === 'object' && value !== null && 'nodeError' in value;
}

/** The chat a request names, for the failure item to carry (none when it names none). */
function failedChat(request: RequestFields): string | undefined {
	return chatIdOf(request) || undefined;
}

/** While an instance restarts (a settings write; seconds), a call that waits it out asks again this often. */
export const STARTING_RETRY_MS = 2000;

/** How one call is made, beyond the method and its request. */
export interface CallHow {
	/** Over the method's defaults (its documented rate, the default timeout, retries and wait). */
	settings?: Partial<CallSettings>;
	/** The method's output parameters (Return All, Limit, Filters). */
	parameters?: IDataObject;
	/** Whether "already in that state" counts as success (the method's ignoreAlreadyInState option is on). */
	acceptAlreadyInState?: boolean;
	itemIndex?: number;
	/**
	 * Until when (ms since the epoch) a call answered "instance in starting process"
	 * (INSTANCE_STARTING: it restarts after a settings write) is asked again, every
	 * STARTING_RETRY_MS; without it such a call fails at once.
	 */
	restartUntil?: number;
	/** Told each time a call is asked again after a restart (so that a shared answer can say how fresh it is). */
	askingAgain?: () => void;
}

/** A GREEN-API instance as the nodes call it. */
export interface GreenApiInstance {
	/** Calls a method: its output items, or the failure (the n8n error and its code), not thrown. */
	attempt<Item extends IDataObject>(method: MethodCall<Item>, request?: RequestFields, how?: CallHow): Promise<CallSuccess<Item> | CallFailure>;
	/** As attempt, but the failure's n8n error is thrown. */
	call<Item extends IDataObject>(method: MethodCall<Item>, request?: RequestFields, how?: CallHow): Promise<Item[]>;
}

export interface InstanceSpec {
	node: INode;
	/** n8n's `this.helpers.httpRequest`. */
	http: HttpRequest;
	/** The node's GREEN-API credential (n8n's getCredentials), read for each call; a failure here fails the call. */
	credentials: () => Promise<object>;
	/** The execution's cancel signal: stops waiting, retrying and the request in flight. */
	signal?: AbortSignal;
}

/** The instance a node's credential names, called from whichever n8n functions the node runs in. */
export function greenApiInstance(spec: InstanceSpec): GreenApiInstance {
	const once = async <Item extends IDataObject>(method: MethodCall<Item>, request: RequestFields, how: CallHow) =>
		await callAndDecode({
			node: spec.node,
			http: spec.http,
			credentials: spec.credentials,
			method,
			request,
			options: { ...defaultCallSettings(method.rateLimitPerSecond), ...how.settings, signal: spec.signal },
			parameters: how.parameters,
			acceptAlreadyInState: how.acceptAlreadyInState,
			itemIndex: how.itemIndex,
		});
	const attempt = async <Item extends IDataObject>(method: MethodCall<Item>, request: RequestFields = {}, how: CallHow = {}) => {
		let outcome = await once(method, request, how);
		// Restarting: ask again while there is time, rather than fail what a moment's wait would do.
		while (isCallFailure(outcome) && outcome.code === 'INSTANCE_STARTING' && how.restartUntil !== undefined && Date.now() + STARTING_RETRY_MS <= how.restartUntil) {
			const cancelled = await pause(STARTING_RETRY_MS, spec.signal).then(
				() => false,
				() => true,
			);
			if (cancelled) return { nodeError: new NodeOperationError(spec.node, 'The execution was cancelled', { itemIndex: how.itemIndex }), code: 'CANCELLED' } satisfies CallFailure;
			how.askingAgain?.();
			outcome = await once(method, request, how);
		}
		return outcome;
	};
	return {
		attempt,
		call: async (method, request, how) => {
			const outcome = await attempt(method, request, how);
			if (isCallFailure(outcome)) throw outcome.nodeError;
			return outcome.items;
		},
	};
}

async function callAndDecode<Item extends IDataObject>(spec: CallSpec<Item>): Promise<CallSuccess<Item> | CallFailure> {
	const { node, method, request, itemIndex } = spec;
	let credentials: GreenApiCredentials;
	try {
		credentials = (await spec.credentials()) as GreenApiCredentials;
	} catch (error) {
		return { nodeError: new NodeOperationError(node, error as Error, { itemIndex }), code: 'CREDENTIAL_INVALID' };
	}
	const secrets = [credentials.apiTokenInstance];
	const outcome = await callMethod(spec.http, credentials, method, request, spec.options).then(
		(result) => result,
		(thrown: unknown) => ({ thrown }),
	);
	if ('thrown' in outcome) {
		// The transport gives up by rejecting when the run is cancelled; any other rejection is a bug.
		if (spec.options.signal?.aborted) return { nodeError: new NodeOperationError(node, 'The execution was cancelled', { itemIndex }), code: 'CANCELLED' };
		return nodeFault(node, outcome.thrown, secrets, request, itemIndex);
	}
	if ('response' in outcome) return decode(spec, outcome.response, secrets, outcome.httpCode);
	const { error } = outcome;
	if (error.alreadyInState) {
		// A resend that finds the work done after an attempt that may have landed (timeout, reset, 5xx):
		// that attempt did it and only its answer was lost. After a 429 the state was there before.
		if (error.earlierMayHaveLanded) return decode(spec, undefined, secrets);
		if (spec.acceptAlreadyInState) {
			const success = decode(spec, undefined, secrets);
			return isCallFailure(success) ? success : { ...success, alreadyInState: true };
		}
	}
	return serviceFailure(node, error, request, itemIndex);
}

/** The method's output items from a success answer (`httpCode`; none when "already in state" stands for one). */
function decode<Item extends IDataObject>(spec: CallSpec<Item>, response: unknown, secrets: Array<string | undefined>, httpCode?: number): CallSuccess<Item> | CallFailure {
	const { node, method, request, itemIndex } = spec;
	try {
		return { items: method.output(request, response, spec.parameters ?? {}) };
	} catch (error) {
		// GREEN-API took the request: a call that must not run twice has most likely happened, and says so,
		// whatever kept the node from reading the answer (a bug of the node's is logged as one too).
		if (!method.safeToRepeat && httpCode !== undefined) {
			let expected = error instanceof UnexpectedAnswer ? error.message : '';
			if (!expected) {
				const cause = scrubbedCause(error, secrets);
				nodeFaultError(node, cause, itemIndex); // logs the fault with its stack
				expected = `the node could not read it (${cause.message})`;
			}
			return serviceFailure(node, acceptedButUnreadableError(method.path, httpCode, expected), request, itemIndex);
		}
		if (!(error instanceof UnexpectedAnswer)) return nodeFault(node, error, secrets, request, itemIndex);
		return { nodeError: unexpectedAnswerError(node, method.path, error.message, itemIndex), code: 'UNEXPECTED_ANSWER', chatId: failedChat(request) };
	}
}

/** A bug met while calling (not the input's fault, nor the service's): NODE_FAULT, its text scrubbed of the token. */
function nodeFault(node: INode, thrown: unknown, secrets: Array<string | undefined>, request: RequestFields, itemIndex?: number): CallFailure {
	return { nodeError: nodeFaultError(node, scrubbedCause(thrown, secrets), itemIndex), code: 'NODE_FAULT', chatId: failedChat(request) };
}

function serviceFailure(node: INode, error: GreenApiError, request: RequestFields, itemIndex?: number): CallFailure {
	return { nodeError: toNodeError(node, error, itemIndex), code: error.code, httpCode: error.httpCode, chatId: failedChat(request) };
}
