/**
 * The one executor behind every operation: reads and checks each item's parameters, sends the
 * method's request through the transport (which paces and retries), and gives back what the
 * method makes of each answer — one item for an action, any number for a list — in input order
 * and paired with its input item; a failing item yields one error item under "continue on fail",
 * or else stops the node with the first failing item's error.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type NodeApiError } from 'n8n-workflow';

import { DEFAULT_MAX_RATE_LIMIT_WAIT_S, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './description';
import type { GreenApiError } from './errors/catalogue';
import { toNodeError, unexpectedAnswerError } from './errors/nodeError';
import { findMethod } from './methods';
import { FieldError, UnexpectedAnswer, type GreenApiMethod } from './methods/types';
import { callMethod, type CallOptions, type GreenApiCredentials, type HttpRequest } from './transport/request';

/** Items one execution works on at once (sending, or waiting to retry); the pacer, not this, sets the rate. */
const MAX_IN_FLIGHT = 100;

interface ItemPlan {
	itemIndex: number;
	method: GreenApiMethod;
	request: Record<string, string>;
	/** Values as given, for fields the node rewrote (see FieldSpec.reportsInputAs). */
	given: IDataObject;
	/** The method's output parameters (Return All, Limit, Filters), with their defaults. */
	parameters: IDataObject;
	options: Omit<CallOptions, 'signal'>;
	ignoreAlreadyInState: boolean;
}

/** An item that failed: the error n8n shows, and what continue-on-fail output carries to branch on. */
interface ItemFailure {
	nodeError: NodeApiError | NodeOperationError;
	code: string;
	httpCode?: number;
	chatId?: string;
}

export async function executeGreenApi(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const signal = this.getExecutionCancelSignal?.();
	const http: HttpRequest = async (options) => await this.helpers.httpRequest(options);

	// Every item's input is checked before anything is sent: a bad item must not leave half a batch done.
	const plans = items.map((_, itemIndex) => planItem(this, itemIndex));
	const firstInvalid = plans.find(isFailure);
	if (!continueOnFail && firstInvalid) throw firstInvalid.nodeError;

	const output: INodeExecutionData[][] = new Array(items.length);
	const failures: Array<{ itemIndex: number; failure: ItemFailure }> = [];
	await forEachConcurrently(plans, MAX_IN_FLIGHT, async (plan, itemIndex) => {
		if (failures.length || signal?.aborted) return; // without continue-on-fail, the first failure stops new sends
		const outcome = isFailure(plan) ? plan : await runItem(this, plan, http, signal);
		if (!isFailure(outcome)) {
			output[itemIndex] = outcome.map((json) => ({ json, pairedItem: { item: itemIndex } }));
		} else if (continueOnFail) {
			output[itemIndex] = [{ json: failureJson(outcome), pairedItem: { item: itemIndex } }];
		} else {
			failures.push({ itemIndex, failure: outcome });
		}
	});
	if (signal?.aborted) throw new NodeOperationError(this.getNode(), 'The execution was cancelled');
	if (failures.length) {
		throw failures.reduce((first, next) => (next.itemIndex < first.itemIndex ? next : first)).failure.nodeError;
	}
	return [output.flat()];
}

function isFailure(value: unknown): value is ItemFailure {
	return typeof value === 'object' && value !== null && 'nodeError' in value;
}

function planItem(context: IExecuteFunctions, itemIndex: number): ItemPlan | ItemFailure {
	try {
		return readItem(context, itemIndex);
	} catch (error) {
		// An expression that fails to resolve (in Options, say) fails its item, not the whole run.
		return { nodeError: new NodeOperationError(context.getNode(), error as Error, { itemIndex }), code: 'INVALID_INPUT' };
	}
}

function readItem(context: IExecuteFunctions, itemIndex: number): ItemPlan | ItemFailure {
	const node = context.getNode();
	const invalid = (message: string, description?: string): ItemFailure => ({
		nodeError: new NodeOperationError(node, `${message} [item ${itemIndex}]`, { description, itemIndex }),
		code: 'INVALID_INPUT',
	});
	const resource = context.getNodeParameter('resource', itemIndex) as string;
	const operation = context.getNodeParameter('operation', itemIndex) as string;
	const method = findMethod(resource, operation);
	if (!method) return invalid(`Unknown operation "${operation}" for resource "${resource}"`);

	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const request: Record<string, string> = {};
	const given: IDataObject = {};
	for (const field of method.fields) {
		const { name, displayName } = field.property;
		// extractValue: a resource locator's value (the chat), whichever mode set it; other fields as they are.
		const value = context.getNodeParameter(name, itemIndex, undefined, { extractValue: true });
		try {
			request[name] = field.normalise(value, options);
		} catch (error) {
			if (error instanceof FieldError) return invalid(`${displayName} ${error.message}`, error.hint);
			return { nodeError: new NodeOperationError(node, error as Error, { itemIndex }), code: 'INVALID_INPUT' };
		}
		// A CRM can be updated with the canonical ID when the node had to rewrite what it was given.
		if (field.reportsInputAs && value !== request[name]) given[field.reportsInputAs] = value as IDataObject[string];
	}
	const parameters: IDataObject = {};
	for (const { name, default: fallback } of method.outputParameters ?? []) {
		parameters[name] = context.getNodeParameter(name, itemIndex, fallback) as IDataObject[string];
	}

	const numbers = {
		timeout: DEFAULT_TIMEOUT_MS,
		maxRetries: DEFAULT_MAX_RETRIES,
		requestsPerSecond: method.rateLimitPerSecond,
		maxRateLimitWait: DEFAULT_MAX_RATE_LIMIT_WAIT_S,
	};
	const minimum = { timeout: 1, maxRetries: 0, requestsPerSecond: 0.01, maxRateLimitWait: 0 };
	for (const name of Object.keys(numbers) as Array<keyof typeof numbers>) {
		const value = options[name] ?? numbers[name];
		if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum[name]) {
			return invalid(`Option "${name}" must be a number of at least ${minimum[name]}`);
		}
		numbers[name] = value;
	}
	return {
		itemIndex,
		method,
		request,
		given,
		parameters,
		options: {
			timeoutMs: numbers.timeout,
			maxRetries: Math.floor(numbers.maxRetries),
			requestsPerSecond: numbers.requestsPerSecond,
			maxThrottledWaitMs: numbers.maxRateLimitWait * 1000,
		},
		ignoreAlreadyInState: options.ignoreAlreadyArchived === true,
	};
}

async function runItem(
	context: IExecuteFunctions,
	plan: ItemPlan,
	http: HttpRequest,
	signal: AbortSignal | undefined,
): Promise<IDataObject[] | ItemFailure> {
	const { itemIndex, method, request } = plan;
	let credentials: GreenApiCredentials;
	try {
		credentials = (await context.getCredentials('greenApi', itemIndex)) as unknown as GreenApiCredentials;
	} catch (error) {
		return { nodeError: new NodeOperationError(context.getNode(), error as Error, { itemIndex }), code: 'CREDENTIAL_INVALID' };
	}
	const outcome = await callMethod(http, credentials, method, request, { ...plan.options, signal }).catch(
		() => undefined, // only cancellation rejects
	);
	if (!outcome) return { nodeError: new NodeOperationError(context.getNode(), 'The execution was cancelled', { itemIndex }), code: 'CANCELLED' };
	const success = (response: unknown, extra: IDataObject = {}): IDataObject[] | ItemFailure => {
		try {
			return method.output(request, response, plan.parameters).map((json) => ({ ...json, ...plan.given, ...extra }));
		} catch (error) {
			const nodeError =
				error instanceof UnexpectedAnswer
					? unexpectedAnswerError(context.getNode(), method.path, error.message, itemIndex)
					: new NodeOperationError(context.getNode(), error as Error, { itemIndex });
			return { nodeError, code: 'UNEXPECTED_ANSWER', chatId: request.chatId };
		}
	};
	if ('response' in outcome) return success(outcome.response);
	const { error } = outcome;
	if (error.alreadyInState) {
		// A retry that finds the work done means an earlier attempt landed and only its answer was lost.
		if (error.attempts > 1) return success(undefined);
		if (plan.ignoreAlreadyInState) return success(undefined, { alreadyInState: true });
	}
	return serviceFailure(context, error, plan);
}

function serviceFailure(context: IExecuteFunctions, error: GreenApiError, plan: ItemPlan): ItemFailure {
	const nodeError = toNodeError(context.getNode(), error, plan.itemIndex);
	return { nodeError, code: error.code, httpCode: error.httpCode, chatId: plan.request.chatId };
}

/** The output item of a failure under continue-on-fail: `error` plus what to branch on. */
function failureJson({ nodeError, code, httpCode, chatId }: ItemFailure): IDataObject {
	const details: IDataObject = { code, description: nodeError.description ?? '' };
	if (httpCode !== undefined) details.httpCode = httpCode;
	if (chatId) details.chatId = chatId;
	return { error: nodeError.message, details };
}

async function forEachConcurrently<T>(list: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < list.length) {
			const index = next++;
			await work(list[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
}
