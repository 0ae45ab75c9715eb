/**
 * The GREEN-API triggers as n8n node types, over the same code. The GREEN-API Trigger's versions 1
 * and 2 take either way in (Receive By), so they have a webhook and a poll, each idle in the other
 * mode; version 3 is the webhook alone (no poll runs, and Fetch Test Event's delivery answers from
 * the journals itself). The GREEN-API Polling Trigger (its own node file) polls alone.
 */
import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
	type IPollFunctions,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { webhookMethods } from './activation';
import { triggerProperties, webhookTriggerProperties } from './description';
import { pollNotifications } from './polling';
import { STATIC_DATA_HINTS } from './staticDataKept';
import { receiveWebhook } from './webhook';

const WEBHOOK = [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }] satisfies INodeTypeDescription['webhooks'];

/** A version's whole description: the node's base (GreenApiTrigger.node.ts) and what the version adds. */
function description(base: INodeTypeBaseDescription, version: number, extra: Partial<INodeTypeDescription>): INodeTypeDescription {
	return {
		...base,
		version,
		defaults: { name: 'GREEN-API Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'greenApi', required: true }],
		webhooks: WEBHOOK,
		properties: [],
		hints: STATIC_DATA_HINTS,
		...extra,
	} as INodeTypeDescription;
}

/**
 * Versions 1 and 2, as workflows saved with them hold them. Both behave alike; n8n treats a
 * version-1 node's webhook request as its legacy Webhook v1 (it evaluates an expression for a
 * binary-data option on every delivery), which is why version 2 came.
 */
export class EitherWayTrigger implements INodeType {
	description: INodeTypeDescription;

	webhookMethods = webhookMethods;

	constructor(base: INodeTypeBaseDescription, version: 1 | 2) {
		this.description = description(base, version, {
			subtitle: '={{ $parameter["receiveBy"] === "polling" ? "Polling" : "Webhook" }}',
			polling: true,
			// A copy each: n8n's loader adds Poll Times to a polling version's list in place.
			properties: [...triggerProperties],
		});
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveWebhook.call(this, { testEvent: 'byPoll' });
	}

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollNotifications.call(this);
	}
}

/** Version 3: the webhook alone. */
export class WebhookTrigger implements INodeType {
	description: INodeTypeDescription;

	webhookMethods = webhookMethods;

	constructor(base: INodeTypeBaseDescription) {
		this.description = description(base, 3, { properties: webhookTriggerProperties });
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveWebhook.call(this, { testEvent: 'here' });
	}
}
