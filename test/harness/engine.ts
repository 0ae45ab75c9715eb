/**
 * Runs real workflows in-process with n8n's own engine (n8n-core's WorkflowExecute): a Source
 * node emits the test's items, the GREEN-API node under test processes them with its real
 * parameters, expressions, settings (onError) and credential. Only what n8n's server would
 * supply is supplied here: node types, a credential store and the execution's additional data.
 */
import { Logger as BackendLogger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { DataDeduplicationService, ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	LoggerProxy,
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IBinaryKeyData,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type Logger,
} from 'n8n-workflow';

import { GreenApi as GreenApiCredential } from '../../credentials/GreenApi.credentials';
import { GreenApi } from '../../nodes/GreenApi/GreenApi.node';
import { buildProperties } from '../../nodes/GreenApi/actions/description';
import { router } from '../../nodes/GreenApi/actions/router';
import type { GreenApiMethod } from '../../nodes/GreenApi/api/types';
import { GreenApiPollingTrigger } from '../../nodes/GreenApi/GreenApiPollingTrigger.node';
import { GreenApiTrigger } from '../../nodes/GreenApi/GreenApiTrigger.node';
import { N8nLikeDeduplicator } from './deduplication';

export const NODE_TYPE = 'n8n-nodes-green-api.greenApi';
export const NODE_NAME = 'GREEN-API';
export const TRIGGER_TYPE = 'n8n-nodes-green-api.greenApiTrigger';

/** Emits the items given in its `items` parameter: the test's stand-in for a CRM trigger. */
class SourceNode implements INodeType {
	description = {
		displayName: 'Source',
		name: 'source',
		group: ['input'],
		version: 1,
		description: 'Test items',
		defaults: { name: 'Source' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Items', name: 'items', type: 'json', default: '[]' },
			{ displayName: 'Binary', name: 'binary', type: 'json', default: '[]' },
		] as INodeProperties[],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		// A number stands for the binary data of that earlier item: items sharing a file, as n8n passes one along.
		const given = JSON.parse(this.getNodeParameter('binary', 0, '[]') as string) as Array<IBinaryKeyData | number | null>;
		const binary = given.map((entry) => (typeof entry === 'number' ? (given[entry] as IBinaryKeyData) : entry));
		return [items.map((json, index) => (binary[index] ? { json, binary: binary[index] } : { json }))];
	}
}

export const POLLING_TRIGGER_TYPE = 'n8n-nodes-green-api.greenApiPollingTrigger';

const types: Record<string, INodeType | IVersionedNodeType> = {
	'test.source': new SourceNode(),
	[NODE_TYPE]: new GreenApi(),
	[TRIGGER_TYPE]: new GreenApiTrigger(),
	[POLLING_TRIGGER_TYPE]: new GreenApiPollingTrigger(),
};

/** Adds a node type the workflows may use in place of the GREEN-API node (the benchmark's plain loop). */
export function registerNodeType(name: string, type: INodeType): void {
	types[name] = type;
}

/**
 * Registers a GREEN-API node built from other methods (test operations) as `test.<name>`: its
 * parameters from the same description builder, its run through the same router.
 */
export function registerMethodsNode(name: string, methods: GreenApiMethod[]): string {
	const type: INodeType = {
		description: {
			displayName: name,
			name,
			group: ['output'],
			version: 1,
			description: 'test',
			defaults: { name },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'greenApi', required: true }],
			properties: buildProperties(methods),
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return await router.call(this, methods);
		},
	};
	registerNodeType(`test.${name}`, type);
	return `test.${name}`;
}

export const nodeTypes: INodeTypes = (() => {
	const get = (name: string) => {
		const type = types[name];
		if (!type) throw new Error(`Unknown node type ${name}`);
		return type;
	};
	return {
		getByName: get,
		// A versioned node (the GREEN-API Trigger) as n8n resolves it: the version the workflow's node has.
		getByNameAndVersion: (name: string, version?: number) => NodeHelpers.getVersionedNodeType(get(name), version),
		getKnownTypes: () => ({}),
	};
})();

/** Credentials by id, as n8n's credential store would decrypt them. */
export class CredentialStore extends ICredentialsHelper {
	constructor(private readonly byId: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}
	getParentTypes(): string[] {
		return [];
	}
	isCredentialUsableByNode(): boolean {
		return true;
	}
	async authenticate(_credentials: ICredentialDataDecryptedObject, _type: string, requestOptions: IHttpRequestOptions) {
		return requestOptions;
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async getCredentials(): Promise<never> {
		throw new Error('not used by the node');
	}
	async getDecrypted(_data: IWorkflowExecuteAdditionalData, details: INodeCredentialsDetails) {
		const credentials = details.id ? this.byId[details.id] : undefined;
		if (!credentials) throw new Error(`No credential ${details.id}`);
		return { ...credentials };
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
	getCredentialsProperties(): INodeProperties[] {
		return new GreenApiCredential().properties;
	}
}

/** n8n's deduplication store (Send Once Per Key), as n8n's server would init it: in memory, behaving as n8n's does. */
export const deduplication = new N8nLikeDeduplicator();
void DataDeduplicationService.init(deduplication);

/** Every log line the engine and the node write during runs, for the no-secret checks. */
export const logLines: string[] = [];
const capture = (level: string) => (message: string, meta?: object) => {
	logLines.push(`${level} ${message} ${meta ? safeJson(meta) : ''}`);
};
const capturing = { error: capture('error'), warn: capture('warn'), info: capture('info'), debug: capture('debug') };
LoggerProxy.init(capturing as unknown as Logger);
// A node's own log lines (`this.logger` in n8n-core's contexts is the DI container's Logger) too.
Container.set(BackendLogger, { ...capturing, scoped: () => capturing } as unknown as BackendLogger);

function safeJson(value: unknown): string {
	const seen = new WeakSet();
	return JSON.stringify(value, (_key, v: unknown) => {
		if (v && typeof v === 'object') {
			if (seen.has(v)) return '[circular]';
			seen.add(v);
		}
		return v;
	});
}

export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface RunSpec {
	items: IDataObject[];
	/** Binary data of the items, by index (a file in memory: base64 `data`, `mimeType`, `fileName`), as a file-reading node would give it. */
	binary?: Array<IBinaryKeyData | null>;
	/** The GREEN-API node's parameters; strings starting with `=` are n8n expressions. */
	parameters: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Which credential id the node uses; defaults to the first. */
	credentialId?: string;
	/** The node type under test; defaults to the GREEN-API node. */
	nodeType?: string;
	/** The workflow's ID; '' for an unsaved workflow (none). */
	workflowId?: string;
	onError?: OnError;
}

export interface RunResult {
	run: IRun;
	/** Items on the node's first (success) output. */
	main: INodeExecutionData[];
	/** Items on the error output (only with continueErrorOutput). */
	errorOutput: INodeExecutionData[];
	/** The execution hints the node gave for the output pane. */
	hints: string[];
	/** The node's error, when it stopped the workflow. */
	error?: IRun['data']['resultData']['error'];
	/** The whole run as n8n would store it. */
	stored: string;
}

let executionCounter = 0;

/** The items' binary data with each object given again written as the index of its first item: one file on many items is stored once. */
function sharedOnce(binary: Array<IBinaryKeyData | null>): Array<IBinaryKeyData | number | null> {
	return binary.map((entry, index) => {
		const first = entry ? binary.indexOf(entry) : -1;
		return first >= 0 && first < index ? first : entry;
	});
}

/** The test's workflow (Source → GREEN-API) and what n8n's server would hand the engine for it. */
function buildWorkflow(spec: RunSpec) {
	const credentialId = spec.credentialId ?? Object.keys(spec.credentials)[0];
	const source: INode = {
		id: 'source',
		name: 'Source',
		type: 'test.source',
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(spec.items), binary: JSON.stringify(sharedOnce(spec.binary ?? [])) },
	};
	const greenApi: INode = {
		id: 'green-api',
		name: NODE_NAME,
		type: spec.nodeType ?? NODE_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: spec.parameters,
		credentials: { greenApi: { id: credentialId, name: `GREEN-API ${credentialId}` } },
		...(spec.onError ? { onError: spec.onError } : {}),
	};
	const workflowData = {
		id: spec.workflowId ?? 'wf-test',
		name: 'GREEN-API test',
		active: false,
		nodes: [source, greenApi],
		connections: { Source: { main: [[{ node: NODE_NAME, type: NodeConnectionTypes.Main, index: 0 }]] } },
		settings: { executionOrder: 'v1' as const },
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
	};
	const workflow = new Workflow({ ...workflowData, nodeTypes });
	const executionId = `test-${++executionCounter}`;
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData as never);
	const additionalData = additionalDataFor(spec.credentials, { hooks, executionId });
	return { workflow, source, greenApi, additionalData };
}

/** What n8n's server hands the engine and the nodes' functions for one run: credentials, URLs, hooks. */
export function additionalDataFor(credentials: Record<string, ICredentialDataDecryptedObject>, extra: Partial<IWorkflowExecuteAdditionalData> & IDataObject = {}): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new CredentialStore(credentials),
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		currentNodeExecutionIndex: 0,
		variables: {},
		logAiEvent: () => {},
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: async () => {
			throw new Error('not used');
		},
		...extra,
	} as unknown as IWorkflowExecuteAdditionalData;
}

export async function runGreenApi(spec: RunSpec): Promise<RunResult> {
	const { workflow, source, additionalData } = buildWorkflow(spec);
	const run = await new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode: source });
	const taskData = run.data.resultData.runData[NODE_NAME]?.[0];
	const outputs = taskData?.data?.main ?? [];
	return {
		run,
		main: outputs[0] ?? [],
		errorOutput: outputs[1] ?? [],
		hints: (taskData?.hints ?? []).map((hint) => hint.message),
		error: run.data.resultData.error,
		stored: safeJson(run),
	};
}

/**
 * Calls one of the node's list searches (a resource locator's "From List") the way n8n's server
 * does for the editor: with n8n-core's LoadOptionsContext on the node as configured.
 */
export async function searchList(spec: Omit<RunSpec, 'items'>, method: string, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const { workflow, greenApi, additionalData } = buildWorkflow({ ...spec, items: [] });
	const search = (types[NODE_TYPE] as INodeType).methods?.listSearch?.[method];
	if (!search) throw new Error(`The node has no list search ${method}`);
	const context = new LoadOptionsContext(workflow, greenApi, additionalData, 'parameters.chatId');
	return await search.call(context, filter, paginationToken);
}
