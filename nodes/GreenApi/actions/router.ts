/**
 * The action node's router: runs the chosen operation for every item. It reads and checks each
 * item's parameters, calls the item's method (the transport paces and retries), and gives back
 * what the method makes of each answer —
 * one item for an action, any number for a list — in input order and paired with its input item;
 * a failing item yields one error item under "continue on fail", or else stops the node with the
 * first failing item's error, which lists what the items done before it did. Items for one chat
 * are called in item order, one at a time; different chats go in parallel.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INode, type INodeExecutionData, type NodeExecutionHint } from 'n8n-workflow';

import { findMethod } from './operations';
import { FieldError, RequestFile, type GreenApiMethod, type MethodCall, type OperationStep, type RequestFields } from '../api/types';
import { greenApiInstance, isCallFailure, type CallFailure, type CallSuccess } from '../transport/call';
import { readCallSettings, type CallSettings } from '../transport/callOptions';
import type { HttpRequest } from '../transport/request';
import { scrubbedCause } from '../transport/redaction';
import { nodeFaultError } from '../errors/nodeError';
import { certainlyNotSent, ClaimUnconfirmed, OnceKeyStoreFailed, onceKeys, UnsavedWorkflow, type OnceKeys } from './sendOnce';

/** Items one execution works on at once (sending, or waiting to retry); the pacer, not this, sets the rate. */
const MAX_IN_FLIGHT = 100;
/** The same when items carry once-keys: each spends SETTLE_MS waiting before its send. */
const MAX_IN_FLIGHT_WITH_KEYS = 200;

/** What the items of one execution share: what operations' own steps made once (see OperationStep.once), and their hints. */
interface ExecutionShared {
	made: Map<string, Promise<unknown>>;
	hints: Set<string>;
	/** The once-keys of this run (Send Once Per Key), when an item has one. */
	onceKeys?: OnceKeys;
}

interface ItemPlan {
	itemIndex: number;
	method: GreenApiMethod;
	request: RequestFields;
	/** Values as given, for fields the node rewrote (see FieldSpec.reportsInputAs). */
	given: IDataObject;
	/** The method's output parameters (Return All, Limit, Filters), with their defaults. */
	parameters: IDataObject;
	settings: CallSettings;
	acceptAlreadyInState: boolean;
	/** Options → Send Once Per Key, trimmed; empty for none (or a method that takes none). */
	onceKey: string;
}

/** Runs the node's items; `methods` are the operations it offers (all of api/ in the node, fewer or others in a test). */
export async function router(this: IExecuteFunctions, methods?: GreenApiMethod[]): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const signal = this.getExecutionCancelSignal?.();
	const http: HttpRequest = async (options) => await this.helpers.httpRequest(options);

	// Every item's input is checked before anything is sent: a bad item must not leave half a batch done.
	const plans = items.map((_, itemIndex) => planItem(this, itemIndex, methods));
	const firstInvalid = plans.find(isCallFailure);
	if (!continueOnFail && firstInvalid) throw firstInvalid.nodeError;

	const output: INodeExecutionData[][] = new Array(items.length);
	const failures: Array<{ itemIndex: number; failure: CallFailure }> = [];
	/** Items whose call may have been carried out although it failed: a cancelled run's error names them. */
	const uncertain: Array<{ itemIndex: number; failure: CallFailure }> = [];
	const execution: ExecutionShared = { made: new Map(), hints: new Set(), onceKeys: plans.some((plan) => !isCallFailure(plan) && plan.onceKey) ? onceKeys(this) : undefined };
	// An item with a once-key first waits out its claim (SETTLE_MS, idle): more in flight keep the send pace.
	await forEachInChatOrder(plans, execution.onceKeys ? MAX_IN_FLIGHT_WITH_KEYS : MAX_IN_FLIGHT, async (plan, itemIndex) => {
		if (failures.length || signal?.aborted) return; // without continue-on-fail, the first failure stops new sends
		// A bug in a step or a call fails its item (NODE_FAULT): it never escapes while other items are in flight.
		const outcome = isCallFailure(plan)
			? plan
			: await runOnce(this, plan, execution, async () => await runItem(this, plan, http, signal, execution)).catch((error: unknown) => nodeFault(this.getNode(), error, itemIndex));
		if (isCallFailure(outcome) && outcome.code === 'MAY_HAVE_HAPPENED') uncertain.push({ itemIndex, failure: outcome });
		if (!isCallFailure(outcome)) {
			output[itemIndex] = outcome.map((json) => ({ json, pairedItem: { item: itemIndex } }));
		} else if (continueOnFail) {
			output[itemIndex] = [{ json: failureJson(outcome), pairedItem: { item: itemIndex } }];
		} else {
			failures.push({ itemIndex, failure: outcome });
		}
	});
	if (execution.hints.size) this.addExecutionHints(...[...execution.hints].map((message): NodeExecutionHint => ({ message, type: 'warning', location: 'outputPane' })));
	if (signal?.aborted) throw cancelledError(this.getNode(), plans, output, uncertain);
	if (failures.length) {
		const { nodeError } = failures.reduce((first, next) => (next.itemIndex < first.itemIndex ? next : first)).failure;
		const done = doneSoFar(plans, output);
		if (done) nodeError.description = [nodeError.description, done].filter(Boolean).join('\n\n');
		throw nodeError;
	}
	return [output.flat()];
}

/**
 * A cancelled run's error: which items' messages may have gone out (their own words) and what the
 * items done did, so that nobody has to guess before running it again.
 */
function cancelledError(node: INode, plans: Array<ItemPlan | CallFailure>, output: INodeExecutionData[][], uncertain: Array<{ itemIndex: number; failure: CallFailure }>): NodeOperationError {
	const mayHaveHappened = uncertain.sort((a, b) => a.itemIndex - b.itemIndex).map(({ itemIndex, failure }) => `Item ${itemIndex}: ${failure.nodeError.message}`);
	// Only the items that succeeded count as done (under continue-on-fail, failures are output items too).
	const succeeded = output.map((items, itemIndex) => (isCallFailure(plans[itemIndex]) || items?.some((item) => item.json.error !== undefined) ? undefined : items));
	const description = [...mayHaveHappened, doneSoFar(plans, succeeded as INodeExecutionData[][])].filter(Boolean).join('\n\n');
	return new NodeOperationError(node, 'The execution was cancelled', description ? { description } : {});
}

/** Done items listed in a stopped run's error at most. */
const MAX_DONE_LISTED = 20;

/**
 * What the items done before the node stopped did (item, the chat it asked about, the service's
 * message ID where its one output has one), for the stopped run's error: so that nobody has to
 * guess before running it again. The chat comes from the request: a list's output names others.
 */
function doneSoFar(plans: Array<ItemPlan | CallFailure>, output: INodeExecutionData[][]): string {
	const done = output.flatMap((items, itemIndex) => {
		if (!items) return [];
		const plan = plans[itemIndex];
		const chatId = isCallFailure(plan) ? undefined : plan.request.chatId;
		const idMessage = items.length === 1 ? items[0].json.idMessage : undefined;
		const what = [typeof chatId === 'string' ? `chat ${chatId}` : '', typeof idMessage === 'string' ? `message ${idMessage}` : ''].filter(Boolean);
		return [`item ${itemIndex}${what.length ? ` (${what.join(', ')})` : ''}`];
	});
	if (!done.length) return '';
	const more = done.length > MAX_DONE_LISTED ? `, and ${done.length - MAX_DONE_LISTED} more` : '';
	return `Done before the node stopped, and not undone: ${done.slice(0, MAX_DONE_LISTED).join(', ')}${more}.`;
}

function planItem(context: IExecuteFunctions, itemIndex: number, methods?: GreenApiMethod[]): ItemPlan | CallFailure {
	try {
		return readItem(context, itemIndex, methods);
	} catch (error) {
		// An expression that fails to resolve (in Options, say) fails its item, not the whole run.
		return { nodeError: new NodeOperationError(context.getNode(), error as Error, { itemIndex }), code: 'INVALID_INPUT' };
	}
}

function readItem(context: IExecuteFunctions, itemIndex: number, methods?: GreenApiMethod[]): ItemPlan | CallFailure {
	const node = context.getNode();
	const invalid = (message: string, description?: string): CallFailure => ({
		nodeError: new NodeOperationError(node, `${message} [item ${itemIndex}]`, { description, itemIndex }),
		code: 'INVALID_INPUT',
	});
	const resource = context.getNodeParameter('resource', itemIndex) as string;
	const operation = context.getNodeParameter('operation', itemIndex) as string;
	const method = findMethod(resource, operation, methods);
	if (!method) return invalid(`Unknown operation "${operation}" for resource "${resource}"`);

	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const request: RequestFields = {};
	const given: IDataObject = {};
	for (const field of method.fields) {
		const { name, displayName } = field.property;
		// extractValue: a resource locator's value (the chat), whichever mode set it; other fields as they are.
		// An option left unset, or set to nothing by an expression, is not sent (GREEN-API's own default applies).
		if (field.inOptions && (options[name] === undefined || options[name] === null || options[name] === '')) continue;
		// A field the editor hides for the item's choices (File URL when the file comes from binary data) is not read.
		if (!shownFor(field.property, (parameter) => context.getNodeParameter(parameter, itemIndex, undefined))) continue;
		const value = field.inOptions ? options[name] : context.getNodeParameter(name, itemIndex, undefined, { extractValue: true });
		let normalised;
		try {
			normalised = field.normalise(value, options, context.getInputData()[itemIndex]);
		} catch (error) {
			if (error instanceof FieldError) return invalid(`${field.inOptions ? 'Options → ' : ''}${displayName} ${error.message}`, error.hint);
			return nodeFault(node, error, itemIndex);
		}
		if (normalised === undefined) continue; // an optional field left empty is not sent
		request[field.requestName ?? name] = normalised;
		// A CRM can be updated with the canonical ID when the node had to rewrite what it was given.
		if (field.reportsInputAs && value !== normalised) given[field.reportsInputAs] = value as IDataObject[string];
	}
	try {
		method.check?.(request, context.getInputData()[itemIndex]);
	} catch (error) {
		if (error instanceof FieldError) return invalid(error.message, error.hint);
		return nodeFault(node, error, itemIndex);
	}
	const parameters: IDataObject = {};
	for (const { name, default: fallback } of method.outputParameters ?? []) {
		parameters[name] = context.getNodeParameter(name, itemIndex, fallback) as IDataObject[string];
	}
	const settings = readCallSettings(options, method.rateLimitPerSecond);
	if ('problem' in settings) return invalid(settings.problem);
	const ignoreOption = method.ignoreAlreadyInState?.name;
	const rawKey = method.onceKey ? options[method.onceKey.name] : undefined;
	if (rawKey !== undefined && rawKey !== null && typeof rawKey !== 'string' && typeof rawKey !== 'number') {
		return invalid(`Options → ${method.onceKey!.displayName} must be text, but is ${JSON.stringify(rawKey)}`, method.onceKey!.description);
	}
	const onceKey = rawKey === undefined || rawKey === null ? '' : String(rawKey).trim();
	return { itemIndex, method, request, given, parameters, settings, acceptAlreadyInState: !!ignoreOption && options[ignoreOption] === true, onceKey };
}

/**
 * An item with a once-key (Send Once Per Key): sent only when its key is new, skipped with
 * `sent: false` when it was sent before; its key given back when the send certainly did not happen.
 */
async function runOnce(context: IExecuteFunctions, plan: ItemPlan, execution: ExecutionShared, run: () => Promise<IDataObject[] | CallFailure>): Promise<IDataObject[] | CallFailure> {
	const keys = execution.onceKeys;
	if (!plan.onceKey || !keys) return await run();
	const { onceKey: sendOnceKey } = plan;
	const fresh = await keys.claim(sendOnceKey).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
	if (fresh instanceof Error) return await claimFailure(context, plan, fresh);
	if (!fresh) return [{ chatId: plan.request.chatId as string, sent: false, sendOnceKey, ...plan.given }];
	if (context.getExecutionCancelSignal?.()?.aborted) {
		// Cancelled while the claim settled (a claim is finished, so that it knows the key is its own): nothing was sent, so the key is given back.
		await keys.release(sendOnceKey).catch(() => undefined);
		return { nodeError: new NodeOperationError(context.getNode(), 'The execution was cancelled', { itemIndex: plan.itemIndex }), code: 'CANCELLED' };
	}
	const outcome = await run();
	if (isCallFailure(outcome) && certainlyNotSent(outcome.code)) {
		const notGivenBack = await keys.release(sendOnceKey).then(
			() => undefined,
			(error: unknown) => (error instanceof Error ? error.message : String(error)),
		);
		const kept = `Its once-key "${sendOnceKey}" could not be given back (${notGivenBack}), so a run with it skips it: send it under another key.`;
		if (notGivenBack !== undefined) outcome.nodeError.description = [outcome.nodeError.description, kept].filter(Boolean).join('\n\n');
	}
	return Array.isArray(outcome) ? outcome.map((json) => ({ ...json, sendOnceKey })) : outcome;
}

/** An item whose key could not be claimed: not sent, and why. An error no case here knows is the node's fault (NODE_FAULT, where it is caught). */
async function claimFailure(context: IExecuteFunctions, plan: ItemPlan, error: Error): Promise<CallFailure> {
	const { onceKey: sendOnceKey, itemIndex } = plan;
	const node = context.getNode();
	if (error instanceof ClaimUnconfirmed) {
		const description = `${error.message}: another execution may have sent the message for this key at the same moment. The key stays recorded, so a run with it skips it: check the chat, and if the message is not there, send it under another key.`;
		return {
			nodeError: new NodeOperationError(node, `Not sent: once-key "${sendOnceKey}" could not be confirmed as this execution's [item ${itemIndex}]`, { itemIndex, description }),
			code: 'MAY_HAVE_HAPPENED',
		};
	}
	if (error instanceof OnceKeyStoreFailed) {
		const description = `${error.message}. Nothing was sent. The key may be recorded, so a run with it may skip it: if it does and the message is not in the chat, send it under another key.`;
		return { nodeError: new NodeOperationError(node, `Not sent: n8n's store of once-keys failed for once-key "${sendOnceKey}" [item ${itemIndex}]`, { itemIndex, description }), code: 'ONCE_KEY_STORE_FAILED' };
	}
	if (error instanceof UnsavedWorkflow) return { nodeError: new NodeOperationError(node, `${error.message} [item ${itemIndex}]`, { itemIndex }), code: 'INVALID_INPUT' };
	throw error;
}

/** Whether the editor shows `property` given the other parameters' values (its own displayOptions, as n8n reads the simple ones). */
function shownFor(property: { displayOptions?: { show?: Record<string, unknown[] | undefined> } }, valueOf: (parameter: string) => unknown): boolean {
	return Object.entries(property.displayOptions?.show ?? {}).every(([parameter, values]) => parameter.startsWith('/') || parameter.startsWith('@') || !values || values.includes(valueOf(parameter)));
}

async function runItem(context: IExecuteFunctions, plan: ItemPlan, http: HttpRequest, signal: AbortSignal | undefined, execution: ExecutionShared): Promise<IDataObject[] | CallFailure> {
	const { itemIndex, method } = plan;
	const instance = greenApiInstance({ node: context.getNode(), http, credentials: async () => await context.getCredentials('greenApi', itemIndex), signal });
	const callOf = async <Item extends IDataObject>(called: MethodCall<Item>, request: RequestFields) =>
		await instance.attempt(called, request, {
			// The item's Options apply to every call it makes; each method keeps its own documented rate.
			settings: { ...plan.settings, ...((called as MethodCall) === method ? {} : { requestsPerSecond: called.rateLimitPerSecond }) },
			parameters: plan.parameters,
			acceptAlreadyInState: plan.acceptAlreadyInState,
			itemIndex,
		});
	if (method.execute) return await runOwnStep(context, method.execute.bind(method), plan, callOf, execution);
	const outcome = await callOf(method, plan.request);
	if (isCallFailure(outcome)) return outcome;
	const marks: IDataObject = outcome.alreadyInState ? { alreadyInState: true } : {};
	return outcome.items.map((json) => ({ ...json, ...plan.given, ...marks }));
}

/** A failed call inside an operation's own step, carried out of it to fail the item. */
class StepCallFailed extends Error {
	constructor(readonly failure: CallFailure) {
		super(failure.nodeError.message);
	}
}

/** An operation's own execute step (GreenApiMethod.execute), its calls made like the generic step's. */
async function runOwnStep(
	context: IExecuteFunctions,
	execute: (step: OperationStep) => Promise<IDataObject[]>,
	plan: ItemPlan,
	callOf: <Item extends IDataObject>(method: MethodCall<Item>, request: RequestFields) => Promise<CallSuccess<Item> | CallFailure>,
	execution: ExecutionShared,
): Promise<IDataObject[] | CallFailure> {
	const node = context.getNode();
	const { itemIndex } = plan;
	const step: OperationStep = {
		request: plan.request,
		parameters: plan.parameters,
		item: context.getInputData()[itemIndex],
		binary: async (name, field) => await readBinary(context, itemIndex, name, field),
		call: async (method, request) => {
			const outcome = await callOf(method, request);
			if (isCallFailure(outcome)) throw new StepCallFailed(outcome);
			return outcome.items;
		},
		once: async <Value>(key: string, make: () => Promise<Value>) => {
			if (!execution.made.has(key)) execution.made.set(key, make());
			return (await execution.made.get(key)) as Value;
		},
		hint: (message) => execution.hints.add(message),
	};
	try {
		return (await execute(step)).map((json) => ({ ...json, ...plan.given }));
	} catch (error) {
		if (error instanceof StepCallFailed) return error.failure;
		if (error instanceof FieldError) {
			return { nodeError: new NodeOperationError(node, `${error.message} [item ${itemIndex}]`, { description: error.hint, itemIndex }), code: 'INVALID_INPUT' };
		}
		return nodeFault(node, error, itemIndex);
	}
}

/**
 * An item's binary property as a file to upload. n8n's helpers check it exists and read its bytes
 * wherever n8n keeps them (memory, disk, S3): one read, no copy. A missing property is the input's
 * fault and names the field that named it.
 */
async function readBinary(context: IExecuteFunctions, itemIndex: number, name: string, field: string): Promise<RequestFile> {
	const binary = context.getInputData()[itemIndex]?.binary?.[name];
	if (!binary) {
		const present = Object.keys(context.getInputData()[itemIndex]?.binary ?? {});
		throw new FieldError(
			`${field}: the item has no binary property "${name}"`,
			present.length
				? `Set ${field} to one the item has: ${present.map((key) => `"${key}"`).join(', ')}.`
				: `Give the node an item with a file, e.g. from a Read/Write Files from Disk or an HTTP Request node, and set ${field} to its property.`,
		);
	}
	const data = await context.helpers.getBinaryDataBuffer(itemIndex, name);
	return new RequestFile(data, binary.mimeType || 'application/octet-stream', binary.fileName || name);
}

/** A bug met in the node's own code (a step, a field's reading): the item fails with NODE_FAULT, never the whole run. */
function nodeFault(node: INode, thrown: unknown, itemIndex: number): CallFailure {
	// Its text could only hold a URL (and so the token) if it came from a request: scrubbed all the same.
	return { nodeError: nodeFaultError(node, scrubbedCause(thrown, []), itemIndex), code: 'NODE_FAULT' };
}

/**
 * The output item of a failure under continue-on-fail: `message`, the plain sentence, and `error`,
 * what to branch on (`error.code`). Exactly these two keys, because that is the one shape every
 * n8n line moves to the error output under "Continue (using error output)", merged there with the
 * input item's fields: n8n 1.x moves an item only when its json is `{ error }` or
 * `{ error, message }`, and an item carrying the error object itself keeps nothing but the message.
 */
function failureJson({ nodeError, code, httpCode, chatId }: CallFailure): IDataObject {
	const error: IDataObject = { code, description: nodeError.description ?? '' };
	if (httpCode !== undefined) error.httpCode = httpCode;
	if (chatId) error.chatId = chatId;
	return { message: nodeError.message, error };
}

/**
 * Runs `work` for every plan, up to `limit` at once, keeping each chat's items in item order and one
 * at a time (two messages to one chat must not arrive swapped), while different chats go in parallel.
 */
async function forEachInChatOrder(plans: Array<ItemPlan | CallFailure>, limit: number, work: (plan: ItemPlan | CallFailure, index: number) => Promise<void>): Promise<void> {
	const byChat = new Map<string, number[]>();
	const queues: number[][] = [];
	plans.forEach((plan, index) => {
		const chatId = isCallFailure(plan) ? undefined : plan.request.chatId;
		if (typeof chatId !== 'string') return void queues.push([index]);
		const queue = byChat.get(chatId);
		if (queue) return void queue.push(index);
		const own = [index];
		byChat.set(chatId, own);
		queues.push(own);
	});
	let next = 0;
	const worker = async () => {
		while (next < queues.length) {
			for (const index of queues[next++]) await work(plans[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, queues.length) }, worker));
}
