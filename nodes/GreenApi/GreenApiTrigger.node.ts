import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { triggerProperties } from './trigger/description';
import { pollNotifications } from './trigger/polling';
import { webhookMethods } from './trigger/activation';
import { receiveWebhook } from './trigger/webhook';

export class GreenApiTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'GREEN-API Trigger',
		name: 'greenApiTrigger',
		icon: { light: 'file:greenApi.svg', dark: 'file:greenApi.dark.svg' },
		group: ['trigger'],
		// Both versions behave alike. n8n treats a version-1 node's webhook request as its legacy
		// Webhook v1 (it evaluates an expression for a binary-data option on every delivery), so new
		// triggers are version 2: a delivery costs n8n less. Version 1 stays for saved workflows.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ $parameter["receiveBy"] === "polling" ? "Polling" : "Webhook" }}',
		description: 'Starts the workflow when a WhatsApp message, status, call or state change arrives through GREEN-API',
		defaults: { name: 'GREEN-API Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'greenApi', required: true }],
		// Both ways in: a webhook (Receive By: Webhook) and a poll (Receive By: Polling); each does nothing in the other mode.
		polling: true,
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: triggerProperties,
	};

	webhookMethods = webhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveWebhook.call(this);
	}

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollNotifications.call(this);
	}
}
