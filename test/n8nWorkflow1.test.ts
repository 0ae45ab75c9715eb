/**
 * The oldest n8n-workflow the node loads on: everything it imports from n8n-workflow at run time,
 * against n8n-workflow 1.83.0 (npm alias n8n-workflow-1), the first version that exports
 * NodeConnectionTypes, which n8n's scanner requires the node to use. A whole n8n 1.x (1.123) runs
 * the node end to end in test-e2e/.
 */
import { GreenApi as GreenApiCredential } from '../credentials/GreenApi.credentials';
import { GreenApi } from '../nodes/GreenApi/GreenApi.node';
import { GreenApiTrigger } from '../nodes/GreenApi/GreenApiTrigger.node';

describe('with n8n-workflow 1.x (1.83.0)', () => {
	let loaded: {
		workflow: typeof import('n8n-workflow');
		node: import('n8n-workflow').INodeType;
		trigger: import('n8n-workflow').INodeType;
		credential: import('n8n-workflow').ICredentialType;
	};

	beforeAll(() => {
		jest.isolateModules(() => {
			jest.doMock('n8n-workflow', () => jest.requireActual('n8n-workflow-1'));
			const { GreenApi } = require('../nodes/GreenApi/GreenApi.node');
			const { GreenApiTrigger } = require('../nodes/GreenApi/GreenApiTrigger.node');
			const { GreenApi: GreenApiCredential } = require('../credentials/GreenApi.credentials');
			loaded = { workflow: require('n8n-workflow'), node: new GreenApi(), trigger: new GreenApiTrigger(), credential: new GreenApiCredential() };
		});
	});

	it('really is 1.x, with the NodeConnectionTypes the node takes its connections from', () => {
		expect(jest.requireActual('n8n-workflow-1/package.json').version).toBe('1.83.0');
		expect(loaded.workflow.NodeConnectionTypes.Main).toBe('main');
	});

	it('loads the trigger, with its full description', () => {
		expect(loaded.trigger.description.outputs).toEqual(['main']);
		// The same description as with the n8n-workflow 2.x the other tests load.
		expect(loaded.trigger.description.properties.map((property) => property.name)).toEqual(new GreenApiTrigger().description.properties.map((property) => property.name));
	});

	it('loads the node and the credential, with their full description', () => {
		expect(loaded.node.description.inputs).toEqual(['main']);
		const names = (properties: Array<{ name: string }>) => properties.map((property) => property.name);
		expect(names(loaded.node.description.properties)).toEqual(names(new GreenApi().description.properties));
		expect(names(loaded.node.description.properties)).toEqual(expect.arrayContaining(['resource', 'operation', 'chatId', 'options']));
		expect(names(loaded.credential.properties)).toEqual(names(new GreenApiCredential().properties));
	});

	it('has every run-time import the node uses, working as the node uses it', async () => {
		const { NodeApiError, NodeOperationError, sleep } = loaded.workflow;
		expect(loaded.node.description.outputs).toEqual(['main']);
		const node = { id: '1', name: 'GREEN-API', type: 'n8n-nodes-green-api.greenApi', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
		const apiError = new NodeApiError(node, { message: 'already archive=true', httpCode: '400' }, {
			message: 'Chat 79001234567@c.us is already archived.',
			description: 'Turn on Options → Ignore Already Archived/Unarchived to count this as success.',
			httpCode: '400',
			itemIndex: 2,
		});
		expect([apiError.message, apiError.httpCode, apiError.context.itemIndex]).toEqual(['Chat 79001234567@c.us is already archived.', '400', 2]);
		const operationError = new NodeOperationError(node, 'Chat ID is empty [item 0]', { description: 'hint', itemIndex: 0 });
		expect([operationError.message, operationError.description]).toEqual(['Chat ID is empty [item 0]', 'hint']);
		// 1.x's sleep takes no signal; the node only relies on it waiting.
		await expect(sleep(5)).resolves.toBeUndefined();
	});
});
