import { NodeConnectionTypes, type INodeExecutionData, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';

import { pollingTriggerProperties } from './trigger/description';
import { pollNotifications } from './trigger/polling';
import { STATIC_DATA_HINTS } from './trigger/staticDataKept';

/** The GREEN-API Polling Trigger: GREEN-API's message journals, read on the node's Poll Times schedule. */
export class GreenApiPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'GREEN-API Polling Trigger',
		name: 'greenApiPollingTrigger',
		icon: { light: 'file:greenApi.svg', dark: 'file:greenApi.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Polling',
		description: "Starts the workflow for each new WhatsApp message in GREEN-API's journals, for an n8n GREEN-API cannot reach",
		defaults: { name: 'GREEN-API Polling Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'greenApi', required: true }],
		polling: true,
		properties: pollingTriggerProperties,
		hints: STATIC_DATA_HINTS,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollNotifications.call(this);
	}
}
