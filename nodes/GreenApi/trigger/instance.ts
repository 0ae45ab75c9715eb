/**
 * The GREEN-API instance as the trigger talks to it, from whichever n8n functions it runs in
 * (activation, a webhook delivery, a poll): the shared call path's instance (transport/call.ts:
 * calls, a restart waited out, answers read), with the credential a delivery may reuse, its
 * archive look-up, and its identity (never the token).
 */
import { NodeOperationError, type IHttpRequestOptions, type INode } from 'n8n-workflow';

import { greenApiInstance, type GreenApiInstance } from '../transport/call';
import { instanceAddress, type GreenApiCredentials } from '../transport/request';
import { webhookSecret } from '../transport/webhookSecret';
import { archiveStates, type ArchiveLookup } from './archiveLookup';

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

export interface Instance extends GreenApiInstance {
	/** Its ID, as the credential has it; notifications name it. */
	idInstance: string;
	/** What tells instances apart in this process (API host and ID; never the token). */
	key: string;
	/** The secret this instance is to send with deliveries to the node's webhook (see transport/webhookSecret.ts). */
	webhookSecret(): Promise<string>;
	archiveLookup: ArchiveLookup;
}

/** The instance the node's credential names; `reuseCredentialMs` lets a delivery use a credential read moments ago. */
export async function instanceFromCredential(functions: TriggerFunctions, reuseCredentialMs = 0): Promise<Instance> {
	const credentials = await credentialsOf(functions, reuseCredentialMs);
	const node = functions.getNode();
	const instance = greenApiInstance({ node, http: async (options) => await functions.helpers.httpRequest(options), credentials: async () => credentials });
	const { apiUrl, idInstance } = instanceAddress(credentials as Partial<GreenApiCredentials>);
	const key = `${apiUrl}|${idInstance}`;
	return {
		...instance,
		idInstance,
		key,
		webhookSecret: async () => await webhookSecret(credentials, node.webhookId ?? node.id),
		archiveLookup: async (chatIds, arrivedAt, patient) => await archiveStates({ instance, key }, chatIds, arrivedAt, patient),
	};
}

/** A refusal of the trigger's own, shown like the service's errors: what is wrong, and what to do. */
export function triggerError(node: INode, message: string, hint: string): NodeOperationError {
	return new NodeOperationError(node, message, { description: hint });
}
