/**
 * A published-workflow fixture: the GREEN-API Trigger (Webhook, incoming messages, no filter) → NoOp,
 * on the sandbox credential; version 2 (Receive By: Webhook) as saved before version 3, or 3 (the webhook alone).
 */
export function everyMessageWorkflow(id: string, name: string, webhookId: string, credentialId: string, typeVersion: 2 | 3 = 2) {
	const trigger = `${id}-trigger`;
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: trigger,
				name: 'A customer wrote',
				type: 'n8n-nodes-green-api.greenApiTrigger',
				typeVersion,
				position: [0, 0],
				webhookId,
				parameters: { ...(typeVersion === 2 ? { receiveBy: 'webhook' } : {}), events: ['incomingMessage'], filters: {}, options: {} },
				credentials: { greenApi: { id: credentialId, name: 'GREEN-API sandbox' } },
			},
			{ id: `${id}-noop`, name: 'Received', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { 'A customer wrote': { main: [[{ node: 'Received', type: 'main', index: 0 }]] } },
	};
}
