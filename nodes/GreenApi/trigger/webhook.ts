/**
 * Receive By: Webhook, one delivery (activation.ts points the instance here). Each delivery must
 * carry the trigger's secret, and is answered within seconds: 401 without the secret; 200 and
 * nothing started for a body that is no notification, another instance's notification, a copy of
 * one already handled (onceOnly.ts) or one the events and filters leave out. Nothing in a notification's content makes it answer otherwise: GREEN-API
 * would resend it for a day.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { sameSecret } from '../transport/webhookSecret';
import { itemsFor } from './items';
import { triggerParameters } from './parameters';
import { instanceFromCredential, CREDENTIAL_REUSE_MS } from './instance';
import { notifiedInstance } from './notification';
import { claim, notificationKey } from './onceOnly';
import { fetchTestEvent, isTestRunRequest } from './testFetch';

/**
 * How Fetch Test Event's own delivery (testFetch.ts) becomes the test run's item: `byPoll` for a
 * node that can also poll (n8n's manual run then calls poll(), which reads the journals), `here`
 * for the webhook-only version, which reads them itself (a failure then becomes the run's error).
 */
export interface WebhookOptions {
	testEvent: 'byPoll' | 'here';
}

/** One delivery from GREEN-API. */
export async function receiveWebhook(this: IWebhookFunctions, { testEvent }: WebhookOptions): Promise<IWebhookResponseData> {
	const arrivedAt = Date.now();
	const answer = (status: number, message: string): IWebhookResponseData => {
		this.getResponseObject().status(status).json({ message });
		return { noWebhookResponse: true };
	};
	const instance = await instanceFromCredential(this, CREDENTIAL_REUSE_MS);
	if (!sameSecret(bearerToken(this.getHeaderData().authorization), await instance.webhookSecret())) return answer(401, 'Unauthorized');
	const body: unknown = this.getBodyData();
	// 200 for all of these, so that GREEN-API does not resend what this workflow will never take.
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return answer(200, 'Ignored: not a GREEN-API notification');
	const notification = body as IDataObject;
	const notified = notifiedInstance(notification);
	if (notified !== '' && notified !== instance.idInstance) return answer(200, 'Ignored: a notification for another instance');
	// Fetch Test Event's own request (testFetch.ts): the manual run it starts reads a recent message itself.
	if (isTestRunRequest(notification)) {
		if (this.getMode() !== 'manual') return answer(200, 'Ignored: not a GREEN-API notification');
		if (testEvent === 'byPoll') return { workflowData: [[{ json: {} }]] };
		const items = await fetchTestEvent(this.getNode(), triggerParameters(this), instance);
		return { workflowData: [items.map((json) => ({ json }))] };
	}
	// A test (Fetch Test Event) notes nothing in the workflow's static data.
	const kept = this.getMode() === 'manual' ? undefined : this.getWorkflowStaticData('node');
	const delivery = await claim(`${this.getWorkflow().id ?? ''}|${this.getNode().id}|${this.getMode()}`, notificationKey(notification), kept);
	if (delivery.copy) return answer(200, 'Ignored: already received (GREEN-API delivered it again)');
	let handled = false;
	try {
		const items = await itemsFor([notification], triggerParameters(this), instance.archiveLookup, arrivedAt);
		handled = true;
		if (items.length === 0) return answer(200, 'Ignored: not a chosen event, or left out by the filters');
		return { workflowData: [items.map((json) => ({ json }))] };
	} finally {
		delivery.done(handled);
	}
}

/** GREEN-API sends the webhookUrlToken as `Authorization: Bearer <token>`; the bare token is taken too. */
function bearerToken(header: unknown): string {
	return typeof header === 'string' ? header.replace(/^Bearer\s+/i, '') : '';
}
