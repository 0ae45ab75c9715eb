import { VersionedNodeType, type INodeTypeBaseDescription } from 'n8n-workflow';

import { EitherWayTrigger, WebhookTrigger } from './trigger/nodeVersions';

/** The GREEN-API Trigger: by webhook (version 3); versions 1 and 2 (Receive By) for workflows saved with them. */
export class GreenApiTrigger extends VersionedNodeType {
	constructor() {
		const base: INodeTypeBaseDescription = {
			displayName: 'GREEN-API Trigger',
			name: 'greenApiTrigger',
			icon: { light: 'file:greenApi.svg', dark: 'file:greenApi.dark.svg' },
			group: ['trigger'],
			description: 'Starts the workflow when a WhatsApp message, status, call or state change arrives through GREEN-API',
			defaultVersion: 3,
		};
		super({ 1: new EitherWayTrigger(base, 1), 2: new EitherWayTrigger(base, 2), 3: new WebhookTrigger(base) }, base);
	}
}
