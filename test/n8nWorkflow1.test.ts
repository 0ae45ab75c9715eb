/**
 * The oldest n8n-workflow the node loads on: everything it imports from n8n-workflow at run time,
 * against n8n-workflow 1.83.0 (npm alias n8n-workflow-1), the first version that exports
 * NodeConnectionTypes, which n8n's scanner requires the node to use. A whole n8n 1.x (1.123) runs
 * the node end to end in test-e2e/.
 */
import { GreenApi as GreenApiCredential } from '../credentials/GreenApi.credentials';
import { GreenApi } from '../nodes/GreenApi/GreenApi.node';
import { GreenApiPollingTrigger } from '../nodes/GreenApi/GreenApiPollingTrigger.node';
import { GreenApiTrigger } from '../nodes/GreenApi/GreenApiTrigger.node';

describe('with n8n-workflow 1.x (1.83.0)', () => {
	let loaded: {
		workflow: typeof import('n8n-workflow');
		node: import('n8n-workflow').INodeType;
		trigger: import('n8n-workflow').IVersionedNodeType;
		pollingTrigger: import('n8n-workflow').INodeType;
		credential: import('n8n-workflow').ICredentialType;
	};

	beforeAll(() => {
		jest.isolateModules(() => {
			jest.doMock('n8n-workflow', () => jest.requireActual('n8n-workflow-1'));
			const { GreenApi } = require('../nodes/GreenApi/GreenApi.node');
			const { GreenApiTrigger } = require('../nodes/GreenApi/GreenApiTrigger.node');
			const { GreenApiPollingTrigger } = require('../nodes/GreenApi/GreenApiPollingTrigger.node');
			const { GreenApi: GreenApiCredential } = require('../credentials/GreenApi.credentials');
			loaded = { workflow: require('n8n-workflow'), node: new GreenApi(), trigger: new GreenApiTrigger(), pollingTrigger: new GreenApiPollingTrigger(), credential: new GreenApiCredential() };
		});
	});

	it('really is 1.x, with the NodeConnectionTypes the node takes its connections from', () => {
		expect(jest.requireActual('n8n-workflow-1/package.json').version).toBe('1.83.0');
		expect(loaded.workflow.NodeConnectionTypes.Main).toBe('main');
	});

	it('loads the triggers, every version, with their full description', () => {
		// The same descriptions as with the n8n-workflow 2.x the other tests load.
		const names = (type: import('n8n-workflow').INodeType) => type.description.properties.map((property) => property.name);
		expect(loaded.trigger.currentVersion).toBe(3);
		for (const version of [1, 2, 3]) {
			const loadedVersion = loaded.trigger.getNodeType(version);
			expect(loadedVersion.description.outputs).toEqual(['main']);
			expect(names(loadedVersion)).toEqual(names(new GreenApiTrigger().getNodeType(version)));
		}
		expect(loaded.pollingTrigger.description.outputs).toEqual(['main']);
		expect(names(loaded.pollingTrigger)).toEqual(names(new GreenApiPollingTrigger()));
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
		const apiError = new NodeApiError(
			node,
			{ message: 'already archive=true', httpCode: '400' },
			{
				message: 'Chat 79001234567@c.us is already archived.',
				description: 'Turn on Options → Ignore Already Archived/Unarchived to count this as success.',
				httpCode: '400',
				itemIndex: 2,
			},
		);
		expect([apiError.message, apiError.httpCode, apiError.context.itemIndex]).toEqual(['Chat 79001234567@c.us is already archived.', '400', 2]);
		const operationError = new NodeOperationError(node, 'Chat ID is empty [item 0]', { description: 'hint', itemIndex: 0 });
		expect([operationError.message, operationError.description]).toEqual(['Chat ID is empty [item 0]', 'hint']);
		// 1.x's sleep takes no signal; the node only relies on it waiting.
		await expect(sleep(5)).resolves.toBeUndefined();
	});
});
