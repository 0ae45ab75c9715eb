import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { buildProperties } from './actions/description';
import { executeGreenApi } from './actions/executor';
import { listSearch } from './methods/listSearch';

export class GreenApi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'GREEN-API',
		name: 'greenApi',
		icon: { light: 'file:greenApi.svg', dark: 'file:greenApi.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Manage WhatsApp chats through GREEN-API: archive, unarchive, list and get chats',
		defaults: { name: 'GREEN-API' },
		usableAsTool: true,
		// Plain 'main' rather than NodeConnectionTypes.Main: n8n-workflow 1.x before about 1.90 has no
		// such export, and the node would not load there. The value is the same string.
		// eslint-disable-next-line @n8n/community-nodes/node-connection-type-literal
		inputs: ['main'],
		// eslint-disable-next-line @n8n/community-nodes/node-connection-type-literal
		outputs: ['main'],
		credentials: [{ name: 'greenApi', required: true }],
		properties: buildProperties(),
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeGreenApi.call(this);
	}
}
