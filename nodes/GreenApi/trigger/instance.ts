/**
 * The GREEN-API instance as the trigger talks to it, from whichever n8n functions it runs in
 * (activation, a webhook delivery, a poll): its methods called through the shared call path and
 * pacer, its archive look-up, and its identity (never the token).
 */
import { NodeOperationError, type IDataObject, type IHttpRequestOptions, type INode } from 'n8n-workflow';

import type { MethodCall } from '../api/types';
import { callAndDecode, isCallFailure } from '../transport/call';
import { defaultCallSettings, type CallSettings } from '../transport/callOptions';
import { webhookSecret } from '../transport/secrets';
import { archiveStates } from './archiveLookup';
import type { ArchiveLookup } from './handling';

/** What the trigger needs of n8n's hook, webhook and poll functions alike. */
export interface TriggerFunctions {
	getNode(): INode;
	getCredentials(type: string): Promise<object>;
	helpers: { httpRequest(options: IHttpRequestOptions): Promise<unknown> };
}

export interface Instance {
	/** Calls a method; its output items, or throws the n8n error (with what to do) when it fails. */
	call<Item extends IDataObject>(method: MethodCall<Item>, request?: Record<string, string>, settings?: Partial<CallSettings>): Promise<Item[]>;
	/** Its ID, as the credential has it; notifications name it. */
	idInstance: string;
	/** The secret this instance is to send with deliveries to the node's webhook (see transport/secrets.ts). */
	webhookSecret(): Promise<string>;
	archiveLookup: ArchiveLookup;
}

export async function connect(functions: TriggerFunctions): Promise<Instance> {
	const credentials = (await functions.getCredentials('greenApi')) as { apiUrl?: unknown; idInstance?: unknown; apiTokenInstance?: unknown };
	const node = functions.getNode();
	const http = async (options: IHttpRequestOptions) => await functions.helpers.httpRequest(options);
	const credentialsOnce = async () => credentials;
	const idInstance = String(credentials.idInstance ?? '').trim();
	const instanceKey = `${String(credentials.apiUrl ?? '').trim().replace(/\/+$/, '')}|${idInstance}`;
	return {
		idInstance,
		call: async (method, request = {}, settings = {}) => {
			const outcome = await callAndDecode({
				node,
				http,
				credentials: credentialsOnce,
				method,
				request,
				options: { ...defaultCallSettings(method.rateLimitPerSecond), ...settings },
			});
			if (isCallFailure(outcome)) throw outcome.nodeError;
			return outcome.items;
		},
		webhookSecret: async () => await webhookSecret(credentials, node.webhookId ?? node.id),
		archiveLookup: async (chatIds, arrivedAt) => await archiveStates({ node, http, credentials: credentialsOnce, instanceKey }, chatIds, arrivedAt),
	};
}

/** A refusal of the trigger's own, shown like the service's errors: what is wrong, and what to do. */
export function triggerError(node: INode, message: string, hint: string): NodeOperationError {
	return new NodeOperationError(node, message, { description: hint });
}
