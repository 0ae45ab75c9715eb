/**
 * The node's UI parameters, derived from the method descriptions: one Resource selector, one
 * Operation selector per resource, each field once (shown for every operation that uses it, so a
 * mapped value survives switching operation), and the Options the executor understands.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { METHODS, RESOURCES } from './methods';
import type { GreenApiMethod } from './methods/types';

export const DEFAULT_TIMEOUT_MS = 15000;
export const DEFAULT_MAX_RETRIES = 3;
/** Seconds an item may wait out 429s while nothing on its instance gets through. */
export const DEFAULT_MAX_RATE_LIMIT_WAIT_S = 300;

export function buildProperties(methods: GreenApiMethod[] = METHODS): INodeProperties[] {
	const resources = [...new Set(methods.map((method) => method.resource))];
	return [
		// The lint rule wants a literal default; here it is the first resource the method list declares.
		// eslint-disable-next-line n8n-nodes-base/node-param-default-missing
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resources.map((value) => ({ name: RESOURCES[value] ?? value, value })),
			default: resources[0],
		},
		...resources.map((resource) => operationProperty(resource, methods.filter((m) => m.resource === resource))),
		...fieldProperties(methods),
		optionsProperty(methods),
	];
}

function operationProperty(resource: string, methods: GreenApiMethod[]): INodeProperties {
	// The default is the resource's first method, as the method list declares it (see above).
	// eslint-disable-next-line n8n-nodes-base/node-param-default-missing
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: methods.map(
			(method): INodePropertyOptions => ({
				name: method.name,
				value: method.operation,
				action: method.action,
				description: method.description,
			}),
		),
		default: methods[0].operation,
	};
}

/** The methods' fields and output parameters (Return All, Limit, …), each once per resource. */
function fieldProperties(methods: GreenApiMethod[]): INodeProperties[] {
	const byField = new Map<string, { property: INodeProperties; resource: string; operations: string[] }>();
	for (const method of methods) {
		for (const property of [...method.fields.map((field) => field.property), ...(method.outputParameters ?? [])]) {
			const key = `${method.resource}/${property.name}`;
			const entry = byField.get(key) ?? { property, resource: method.resource, operations: [] };
			entry.operations.push(method.operation);
			byField.set(key, entry);
		}
	}
	return [...byField.values()].map(({ property, resource, operations }) => ({
		...property,
		// A parameter's own conditions (Limit: only without Return All) stay, narrowed to the operations.
		displayOptions: { show: { ...property.displayOptions?.show, resource: [resource], operation: operations } },
	}));
}

function optionsProperty(methods: GreenApiMethod[]): INodeProperties {
	const byLimit = groupBy(methods, (method) => method.rateLimitPerSecond);
	const withAlreadyState = methods.filter((method) => method.alreadyInStateWord);
	const forOperations = (group: GreenApiMethod[]) =>
		group.length === methods.length ? {} : { displayOptions: { show: { '/operation': group.map((m) => m.operation) } } };
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			...fieldOptions(methods, forOperations),
			...(withAlreadyState.length
				? [
						{
							displayName: 'Ignore Already Archived/Unarchived',
							name: 'ignoreAlreadyArchived',
							type: 'boolean' as const,
							default: false,
							description:
								'Whether a chat that is already in the requested state (already archived for Archive, not archived for Unarchive) counts as success, marked alreadyInState: true, instead of an error',
							...forOperations(withAlreadyState),
						},
					]
				: []),
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: DEFAULT_MAX_RETRIES,
				description:
					'How many times to resend a request after a gateway error (499, 502, 503, 504), a timeout or a dropped connection. Rate-limit answers (429) do not count here (see Max Wait When Rate Limited); documented errors such as "chat not found" are never retried.',
			},
			{
				displayName: 'Max Wait When Rate Limited',
				name: 'maxRateLimitWait',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_MAX_RATE_LIMIT_WAIT_S,
				description:
					'Seconds an item keeps being resent while GREEN-API answers 429 (Too Many Requests) and nothing sent to the instance gets through. The node slows down by itself to share the instance with whatever else uses it (other workflows, n8n workers, programs); an item fails only when the instance stays blocked this long. 0 fails an item at its first 429.',
			},
			...[...byLimit].map(([limit, group]) => ({
				displayName: 'Requests Per Second',
				name: 'requestsPerSecond',
				type: 'number' as const,
				typeOptions: { minValue: 0.1, numberPrecision: 1 },
				default: limit,
				description: `Most requests per second sent to one GREEN-API instance. GREEN-API documents ${limit} per second for this method; change it only if your plan has another limit.`,
				...forOperations(group),
			})),
			{
				displayName: 'Timeout',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 100 },
				default: DEFAULT_TIMEOUT_MS,
				description: 'Milliseconds to wait for GREEN-API to answer one request before giving up on it (and retrying, see Max Retries)',
			},
		],
	};
}

/** Options the methods' fields read (Default Country, …), each once, shown for the operations whose fields use it. */
function fieldOptions(methods: GreenApiMethod[], forOperations: (group: GreenApiMethod[]) => object): INodeProperties[] {
	const byName = new Map<string, { option: INodeProperties; methods: GreenApiMethod[] }>();
	for (const method of methods) {
		for (const option of method.fields.flatMap((field) => field.options ?? [])) {
			const entry = byName.get(option.name) ?? { option, methods: [] };
			if (!entry.methods.includes(method)) entry.methods.push(method);
			byName.set(option.name, entry);
		}
	}
	return [...byName.values()].map(({ option, methods: group }) => ({ ...option, ...forOperations(group) }));
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
	const groups = new Map<K, T[]>();
	for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
	return groups;
}
