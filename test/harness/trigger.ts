/**
 * The GREEN-API triggers (any version, or the Polling Trigger) inside n8n-core's own function contexts, as n8n's server runs it: its
 * activation hooks (checkExists / create / delete) in a HookContext, each webhook delivery in a
 * WebhookContext with the request and response n8n would hand it, and each poll in a PollContext.
 * One workflow per trigger, so the workflow's static data (the webhook secret) lasts across calls
 * as n8n keeps it.
 */
import { HookContext, PollContext, WebhookContext } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IWebhookData,
	type IWebhookResponseData,
	type WorkflowActivateMode,
} from 'n8n-workflow';

import { additionalDataFor, nodeTypes, TRIGGER_TYPE } from './engine';

export const TRIGGER_NAME = 'GREEN-API Trigger';
const WEBHOOK_ID = 'c0ffee00-0000-4000-8000-000000000001';
/** Each harness is another workflow, as each test's trigger is (n8n keeps per-workflow state: static data, a credential read moments ago). */
let workflows = 0;

/** What a delivery came to: the HTTP answer n8n sent GREEN-API, and the items it started the workflow with. */
export interface Delivered {
	status: number;
	body: unknown;
	items?: IDataObject[];
}

export interface TriggerHarness {
	workflow: Workflow;
	node: INode;
	/** The URL the trigger has the instance send to: where n8n registers its webhook (production, or test), marked with the workflow. */
	url(test?: boolean): string;
	hook(name: 'checkExists' | 'create' | 'delete', test?: boolean): Promise<boolean>;
	/** One delivery to the production webhook, or with `test` to the test webhook ("Fetch Test Event"). */
	deliver(body: unknown, headers?: Record<string, string>, test?: boolean): Promise<Delivered>;
	/**
	 * One poll. `budgetMs`: what n8n 2.41's getPollBudgetMs() says. `durableCursor`: as n8n 2.41's
	 * durable poll cursors, the poll gets its own copy of the node's static data, committed only when
	 * the poll returns (a poll that throws commits nothing).
	 */
	poll(mode?: 'trigger' | 'manual', options?: { budgetMs?: number; durableCursor?: boolean }): Promise<INodeExecutionData[][] | null>;
	staticData(): IDataObject;
	/** The credential n8n hands the trigger: change it to see the trigger read it again. */
	credential: ICredentialDataDecryptedObject;
}

/**
 * `baseUrl`: where n8n is reached (its webhook URLs start there). `staticData`: the workflow's
 * static data as n8n saved it, for a trigger started again after a restart (a new workflow
 * object, as a new n8n process has).
 */
export function triggerHarness(
	parameters: INodeParameters,
	credential: ICredentialDataDecryptedObject,
	baseUrl = 'http://localhost:5678',
	staticData: IDataObject = {},
	nodeType: { type: string; version: number } = { type: TRIGGER_TYPE, version: 1 },
): TriggerHarness {
	const node: INode = {
		id: 'trigger',
		name: TRIGGER_NAME,
		type: nodeType.type,
		typeVersion: nodeType.version,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
		parameters,
		credentials: { greenApi: { id: 'main', name: 'GREEN-API sandbox' } },
	};
	const workflow = new Workflow({ id: `wf-trigger-${++workflows}`, name: 'Trigger test', active: true, nodes: [node], connections: {}, nodeTypes, staticData: JSON.parse(JSON.stringify(staticData)) });
	const type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion) as INodeType;
	const additionalData = (extra = {}) => additionalDataFor({ main: credential }, { webhookBaseUrl: `${baseUrl}/webhook`, webhookTestBaseUrl: `${baseUrl}/webhook-test`, ...extra });
	const webhookData = (test: boolean): IWebhookData => ({
		httpMethod: 'POST',
		node: node.name,
		path: `${WEBHOOK_ID}/webhook`,
		// The polling trigger has none: its harness only polls.
		webhookDescription: type.description.webhooks?.[0] as IWebhookData['webhookDescription'],
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData(),
		webhookId: WEBHOOK_ID,
		isTest: test,
	});
	const mode = (test: boolean) => (test ? 'manual' : 'trigger');
	return {
		workflow,
		node,
		url: (test = false) => `${baseUrl}/${test ? 'webhook-test' : 'webhook'}/${WEBHOOK_ID}/webhook?workflow=${workflow.id}`,
		hook: async (name, test = false) => {
			const activation: WorkflowActivateMode = test ? 'manual' : 'activate';
			const context = new HookContext(workflow, node, additionalData(), mode(test), activation, webhookData(test));
			return (await type.webhookMethods!.default![name]!.call(context)) as boolean;
		},
		deliver: async (body, headers = {}, test = false) => {
			let status = 200;
			let answered: unknown;
			const response = {
				status(code: number) {
					status = code;
					return response;
				},
				json(value: unknown) {
					answered = value;
					return response;
				},
				send(value: unknown) {
					answered = value;
					return response;
				},
				end() {
					return response;
				},
			};
			const request = { body, headers: Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value])), params: {}, query: {} };
			const context = new WebhookContext(workflow, node, additionalData({ httpRequest: request, httpResponse: response }), test ? 'manual' : 'webhook', webhookData(test), [], null);
			const result: IWebhookResponseData = await type.webhook!.call(context);
			const items = result.workflowData?.[0]?.map((item) => item.json);
			// n8n answers a started workflow itself (responseMode onReceived: 200).
			return result.noWebhookResponse ? { status, body: answered } : { status: 200, body: result.webhookResponse, items };
		},
		poll: async (pollMode = 'trigger', options = {}) => {
			const committed = workflow.getStaticData('node', node);
			const copy = options.durableCursor ? (structuredClone({ ...committed }) as IDataObject) : undefined;
			const budget = options.budgetMs === undefined ? undefined : () => options.budgetMs!;
			const context = new PollContext(
				workflow,
				node,
				additionalData(),
				pollMode,
				pollMode === 'manual' ? 'manual' : 'activate',
				undefined,
				undefined,
				undefined,
				undefined,
				copy ? () => copy : undefined,
				budget,
			);
			const polled = await type.poll!.call(context);
			if (copy) {
				for (const key of Object.keys(committed)) delete committed[key];
				Object.assign(committed, copy);
			}
			return polled;
		},
		staticData: () => workflow.getStaticData('node', node),
		credential,
	};
}
