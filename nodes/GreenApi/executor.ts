/**
 * The one executor behind every operation: reads and checks each item's parameters, sends the
 * method's request through the transport (which paces and retries), and gives back exactly one
 * output item per input item, in input order and paired with it — or, without "continue on
 * fail", stops with the first failing item's error.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './description';
import { GreenApiError } from './errors/catalogue';
import { findMethod } from './methods';
import { FieldError, type GreenApiMethod } from './methods/types';
import { callMethod, type CallOptions, type GreenApiCredentials, type HttpRequest } from './transport/request';

/** Items one execution works on at once (sending, or waiting to retry); the pacer, not this, sets the rate. */
const MAX_IN_FLIGHT = 100;

interface ItemPlan {
	itemIndex: number;
	method: GreenApiMethod;
	request: Record<string, string>;
	options: Omit<CallOptions, 'signal' | 'pacer'>;
	ignoreAlreadyInState: boolean;
}

type NodeError = NodeApiError | NodeOperationError;

/** Input errors are ours, not the service's: they get this code in continue-on-fail output. */
const inputErrors = new WeakSet<NodeError>();

export async function executeGreenApi(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const signal = this.getExecutionCancelSignal?.();
	const http: HttpRequest = async (options) => await this.helpers.httpRequest(options);

	// Every item's input is checked before anything is sent: a bad item must not leave half a batch done.
	const plans = items.map((_, itemIndex) => planItem(this, itemIndex));
	if (!continueOnFail) {
		const invalid = plans.find((plan): plan is NodeError => !isPlan(plan));
		if (invalid) throw invalid;
	}

	const output: INodeExecutionData[] = new Array(items.length);
	const failures: Array<{ itemIndex: number; error: NodeError }> = [];
	await forEachConcurrently(plans, MAX_IN_FLIGHT, async (plan, itemIndex) => {
		if (failures.length) return; // without continue-on-fail, the first failure stops new sends
		let json: IDataObject;
		try {
			if (!isPlan(plan)) throw plan;
			json = await runItem(this, plan, http, signal);
		} catch (error) {
			if (signal?.aborted) throw error;
			const nodeError = toNodeError(this, error, itemIndex);
			if (!continueOnFail) {
				failures.push({ itemIndex, error: nodeError });
				return;
			}
			json = errorJson(nodeError, isPlan(plan) ? plan.request : {}, error);
		}
		output[itemIndex] = { json, pairedItem: { item: itemIndex } };
	});
	if (failures.length) {
		throw failures.reduce((first, next) => (next.itemIndex < first.itemIndex ? next : first)).error;
	}
	return [output];
}

function isPlan(plan: ItemPlan | NodeError): plan is ItemPlan {
	return !(plan instanceof Error);
}

function planItem(context: IExecuteFunctions, itemIndex: number): ItemPlan | NodeError {
	const node = context.getNode();
	try {
		const resource = context.getNodeParameter('resource', itemIndex) as string;
		const operation = context.getNodeParameter('operation', itemIndex) as string;
		const method = findMethod(resource, operation);
		if (!method) {
			return new NodeOperationError(node, `Unknown operation "${operation}" for resource "${resource}"`, { itemIndex });
		}
		const request: Record<string, string> = {};
		for (const field of method.fields) {
			const { name, displayName } = field.property;
			try {
				request[name] = field.normalise(context.getNodeParameter(name, itemIndex));
			} catch (error) {
				if (!(error instanceof FieldError)) throw error;
				const invalid = new NodeOperationError(node, `${displayName} ${error.message} [item ${itemIndex}]`, {
					description: error.hint,
					itemIndex,
				});
				inputErrors.add(invalid);
				return invalid;
			}
		}
		const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const number = (name: string, fallback: number, min: number) => {
			const value = options[name] ?? fallback;
			if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
				throw new NodeOperationError(node, `Option "${name}" must be a number of at least ${min} [item ${itemIndex}]`, { itemIndex });
			}
			return value;
		};
		return {
			itemIndex,
			method,
			request,
			options: {
				timeoutMs: number('timeout', DEFAULT_TIMEOUT_MS, 1),
				maxRetries: Math.floor(number('maxRetries', DEFAULT_MAX_RETRIES, 0)),
				requestsPerSecond: number('requestsPerSecond', method.rateLimitPerSecond, 0.01),
			},
			ignoreAlreadyInState: options.ignoreAlreadyArchived === true,
		};
	} catch (error) {
		return toNodeError(context, error, itemIndex);
	}
}

async function runItem(
	context: IExecuteFunctions,
	plan: ItemPlan,
	http: HttpRequest,
	signal: AbortSignal | undefined,
): Promise<IDataObject> {
	const credentials = (await context.getCredentials('greenApi', plan.itemIndex)) as unknown as GreenApiCredentials;
	try {
		const { response } = await callMethod(http, credentials, plan.method, plan.request, { ...plan.options, signal });
		return plan.method.output(plan.request, response);
	} catch (error) {
		if (!(error instanceof GreenApiError) || !error.alreadyInState) throw error;
		// A retry that finds the work done means an earlier attempt landed and only its answer was lost.
		if (error.attempts > 1) return plan.method.output(plan.request, undefined);
		if (plan.ignoreAlreadyInState) return { ...plan.method.output(plan.request, undefined), alreadyInState: true };
		throw error;
	}
}

function toNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	const node = context.getNode();
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof GreenApiError) {
		if (error.httpCode === undefined) {
			return new NodeOperationError(node, error.message, { description: error.description, itemIndex });
		}
		// Built from our own sanitised fields only: the raw HTTP error holds the URL, and so the token.
		return new NodeApiError(node, { message: error.serviceText, httpCode: String(error.httpCode) } as JsonObject, {
			message: error.message,
			description: error.description,
			httpCode: String(error.httpCode),
			itemIndex,
		});
	}
	return new NodeOperationError(node, error instanceof Error ? error : new Error(String(error)), { itemIndex });
}

/** The output item of a failure under continue-on-fail: `error` plus what to branch on. */
function errorJson(nodeError: NodeError, request: Record<string, string>, cause: unknown): IDataObject {
	const details: IDataObject = {
		code: cause instanceof GreenApiError ? cause.code : inputErrors.has(nodeError) ? 'INVALID_INPUT' : 'ERROR',
		description: nodeError.description ?? '',
	};
	if (cause instanceof GreenApiError && cause.httpCode !== undefined) details.httpCode = cause.httpCode;
	if (request.chatId) details.chatId = request.chatId;
	return { error: nodeError.message, details };
}

async function forEachConcurrently<T>(
	list: T[],
	limit: number,
	work: (item: T, index: number) => Promise<void>,
): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < list.length) {
			const index = next++;
			await work(list[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
}
