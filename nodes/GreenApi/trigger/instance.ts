/**
 * The GREEN-API instance as the trigger talks to it, from whichever n8n functions it runs in
 * (activation, a webhook delivery, a poll): its methods called through the shared call path and
 * pacer, its archive look-up, and its identity (never the token).
 */
import { NodeOperationError, sleep, type IDataObject, type IHttpRequestOptions, type INode } from 'n8n-workflow';

import type { MethodCall, RequestFields } from '../api/types';
import { callAndDecode, isCallFailure, type CallFailure } from '../transport/call';
import { defaultCallSettings, type CallSettings } from '../transport/callOptions';
import { instanceAddress, type GreenApiCredentials } from '../transport/request';
import { webhookSecret } from '../transport/secrets';
import { archiveStates, STARTING_RETRY_MS, type ArchiveLookup } from './archiveLookup';

/** What the trigger needs of n8n's hook, webhook and poll functions alike. */
export interface TriggerFunctions {
	getNode(): INode;
	getWorkflow(): { id?: string };
	getCredentials(type: string): Promise<object>;
	helpers: { httpRequest(options: IHttpRequestOptions): Promise<unknown> };
}

type Credentials = { apiUrl?: unknown; idInstance?: unknown; apiTokenInstance?: unknown };

/**
 * How long a webhook delivery may use the credential an earlier delivery read. n8n reads and
 * decrypts a credential from its database on every call, which (measured) takes most of a
 * delivery's time when GREEN-API delivers 50 a second; a change to the credential is seen within
 * this long. Kept in this process's memory only.
 */
export const CREDENTIAL_REUSE_MS = 5000;
const recentCredentials = new Map<string, { at: number; credentials: Promise<Credentials> }>();

/** The node's credential; with `reuseMs`, one read within that long serves every call that asks (deliveries). */
async function credentialsOf(functions: TriggerFunctions, reuseMs: number): Promise<Credentials> {
	const read = async () => (await functions.getCredentials('greenApi')) as Credentials;
	if (reuseMs <= 0) return await read();
	const node = functions.getNode();
	const key = `${functions.getWorkflow().id ?? ''}|${node.id}|${node.credentials?.greenApi?.id ?? ''}`;
	const recent = recentCredentials.get(key);
	if (recent && Date.now() - recent.at < reuseMs) return await recent.credentials;
	const credentials = read();
	recentCredentials.set(key, { at: Date.now(), credentials });
	// A failed read is not kept: the next delivery reads again.
	credentials.catch(() => recentCredentials.delete(key));
	return await credentials;
}

export interface Instance {
	/** Calls a method; its output items, or throws the n8n error (with what to do) when it fails. */
	call<Item extends IDataObject>(method: MethodCall<Item>, request?: RequestFields, settings?: Partial<CallSettings>): Promise<Item[]>;
	/** Calls a method once: its output items, or the failure (the n8n error and its code, e.g. INSTANCE_STARTING), not thrown. */
	attempt<Item extends IDataObject>(method: MethodCall<Item>, request?: RequestFields): Promise<Item[] | CallFailure>;
	/** As call, but while the instance is restarting (after a settings write) it asks again, for up to `budgetMs`. */
	callWhileStarting<Item extends IDataObject>(method: MethodCall<Item>, budgetMs: number, request?: RequestFields): Promise<Item[]>;
	/** Its ID, as the credential has it; notifications name it. */
	idInstance: string;
	/** What tells instances apart in this process (API host and ID; never the token). */
	key: string;
	/** The secret this instance is to send with deliveries to the node's webhook (see transport/secrets.ts). */
	webhookSecret(): Promise<string>;
	archiveLookup: ArchiveLookup;
}

/** The instance the node's credential names; `reuseCredentialMs` lets a delivery use a credential read moments ago. */
export async function instanceFromCredential(functions: TriggerFunctions, reuseCredentialMs = 0): Promise<Instance> {
	const credentials = await credentialsOf(functions, reuseCredentialMs);
	const node = functions.getNode();
	const http = async (options: IHttpRequestOptions) => await functions.helpers.httpRequest(options);
	const credentialsOnce = async () => credentials;
	const { apiUrl, idInstance } = instanceAddress(credentials as Partial<GreenApiCredentials>);
	const instanceKey = `${apiUrl}|${idInstance}`;
	const attempt = async <Item extends IDataObject>(method: MethodCall<Item>, request: RequestFields = {}, settings: Partial<CallSettings> = {}) => {
		const outcome = await callAndDecode({
			node,
			http,
			credentials: credentialsOnce,
			method,
			request,
			options: { ...defaultCallSettings(method.rateLimitPerSecond), ...settings },
		});
		return isCallFailure(outcome) ? outcome : outcome.items;
	};
	return {
		idInstance,
		key: instanceKey,
		attempt,
		call: async (method, request = {}, settings = {}) => {
			const outcome = await attempt(method, request, settings);
			if (isCallFailure(outcome)) throw outcome.nodeError;
			return outcome;
		},
		callWhileStarting: async (method, budgetMs, request = {}) => {
			const until = Date.now() + budgetMs;
			let outcome = await attempt(method, request);
			while (isCallFailure(outcome) && outcome.code === 'INSTANCE_STARTING' && Date.now() + STARTING_RETRY_MS <= until) {
				await sleep(STARTING_RETRY_MS);
				outcome = await attempt(method, request);
			}
			if (isCallFailure(outcome)) throw outcome.nodeError;
			return outcome;
		},
		webhookSecret: async () => await webhookSecret(credentials, node.webhookId ?? node.id),
		archiveLookup: async (chatIds, arrivedAt, patient) => await archiveStates({ node, http, credentials: credentialsOnce, instanceKey }, chatIds, arrivedAt, patient),
	};
}

/** A refusal of the trigger's own, shown like the service's errors: what is wrong, and what to do. */
export function triggerError(node: INode, message: string, hint: string): NodeOperationError {
	return new NodeOperationError(node, message, { description: hint });
}
