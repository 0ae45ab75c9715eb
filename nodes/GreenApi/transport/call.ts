/**
 * The one path from a described method to items: fetches the credential, calls the method through
 * the transport, and decodes the answer with the method's own `output` — or gives back the n8n
 * error to show, with what a continue-on-fail item carries to branch on. The action node's
 * executor, the editor's list searches and the trigger all call methods this way.
 */
import { NodeOperationError, type IDataObject, type INode, type NodeApiError } from 'n8n-workflow';

import { UnexpectedAnswer, type MethodCall, type RequestFields } from '../api/types';
import { acceptedButUnreadableError, type GreenApiError } from '../errors/catalogue';
import type { ErrorCode } from '../errors/codes';
import { nodeFaultError, toNodeError, unexpectedAnswerError } from '../errors/nodeError';
import type { CallOptions } from './callOptions';
import { callMethod, type GreenApiCredentials, type HttpRequest } from './request';
import { scrubbedCause } from './secrets';

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

export interface CallSpec<Item extends IDataObject> {
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

/** The chat a request names, for the failure item to carry. */
function chatIdOf(request: RequestFields): string | undefined {
	return typeof request.chatId === 'string' ? request.chatId : undefined;
}

export function isCallFailure(value: unknown): value is CallFailure {
	return typeof value === 'object' && value !== null && 'nodeError' in value;
}

export async function callAndDecode<Item extends IDataObject>(spec: CallSpec<Item>): Promise<CallSuccess<Item> | CallFailure> {
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
		if (!(error instanceof UnexpectedAnswer)) return nodeFault(node, error, secrets, request, itemIndex);
		// GREEN-API took the request: a call that must not run twice has most likely happened, and says so.
		if (!method.safeToRepeat && httpCode !== undefined) return serviceFailure(node, acceptedButUnreadableError(method.path, httpCode, error.message), request, itemIndex);
		return { nodeError: unexpectedAnswerError(node, method.path, error.message, itemIndex), code: 'UNEXPECTED_ANSWER', chatId: chatIdOf(request) };
	}
}

/** A bug met while calling (not the input's fault, nor the service's): NODE_FAULT, its text scrubbed of the token. */
function nodeFault(node: INode, thrown: unknown, secrets: Array<string | undefined>, request: RequestFields, itemIndex?: number): CallFailure {
	return { nodeError: nodeFaultError(node, scrubbedCause(thrown, secrets), itemIndex), code: 'NODE_FAULT', chatId: chatIdOf(request) };
}

function serviceFailure(node: INode, error: GreenApiError, request: RequestFields, itemIndex?: number): CallFailure {
	return { nodeError: toNodeError(node, error, itemIndex), code: error.code, httpCode: error.httpCode, chatId: chatIdOf(request) };
}
