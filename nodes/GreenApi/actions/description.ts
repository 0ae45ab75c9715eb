/**
 * The action node's UI parameters, derived from the method descriptions: one Resource selector, one
 * Operation selector per resource, each field once (shown for every operation that uses it, so a
 * mapped value survives switching operation), and the Options the router understands.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { METHODS, RESOURCES } from './operations';
import type { GreenApiMethod } from '../api/types';
import { MAX_RATE_LIMIT_WAIT, MAX_RETRIES, REQUESTS_PER_SECOND, TIMEOUT, type NumberBounds } from '../transport/callOptions';

/**
 * The node's one-line description, also what an AI Agent reads of the node used as a tool: every
 * operation's action, so that a new operation is offered to agents too.
 */
export function nodeDescription(methods: GreenApiMethod[] = METHODS): string {
	const actions = methods.map((method) => method.toolDescription ?? method.action.replace(/^\w/, (letter) => letter.toLowerCase()));
	return `Manage WhatsApp chats and send messages through GREEN-API: ${actions.slice(0, -1).join(', ')} or ${actions[actions.length - 1]}`;
}

export function buildProperties(methods: GreenApiMethod[] = METHODS): INodeProperties[] {
	const resources = [...new Set(methods.map((method) => method.resource))];
	// The first resource the method list declares.
	const firstResource = resources[0];
	return [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resources.map((value) => ({ name: RESOURCES[value] ?? value, value })),
			default: firstResource,
		},
		...resources.map((resource) =>
			operationProperty(
				resource,
				methods.filter((m) => m.resource === resource),
			),
		),
		...fieldProperties(methods),
		optionsProperty(methods),
	];
}

function operationProperty(resource: string, methods: GreenApiMethod[]): INodeProperties {
	// The resource's first method, as the method list declares it.
	const firstOperation = methods[0].operation;
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: methods.map((method): INodePropertyOptions => ({
			name: method.name,
			value: method.operation,
			action: method.action,
			description: method.description,
		})),
		default: firstOperation,
	};
}

/** The methods' fields and output parameters (Return All, Limit, …), each once per resource. */
function fieldProperties(methods: GreenApiMethod[]): INodeProperties[] {
	const byField = new Map<string, { property: INodeProperties; resource: string; operations: string[] }>();
	for (const method of methods) {
		for (const property of [...method.fields.filter((field) => !field.inOptions).map((field) => field.property), ...(method.outputParameters ?? [])]) {
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
	// Shown for exactly these methods: an entry per resource, keyed by resource and operation (two
	// resources may name an operation alike). An option every method has needs no condition.
	const shownFor = (group: GreenApiMethod[]): object[] =>
		group.length === methods.length
			? [{}]
			: [...groupBy(group, (method) => method.resource)].map(([resource, ofResource]) => ({
					displayOptions: { show: { '/resource': [resource], '/operation': ofResource.map((method) => method.operation) } },
				}));
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			...methodOptions(methods, shownFor),
			{
				...numberOption(MAX_RETRIES),
				description:
					'How many times to resend a request after a gateway error (499, 502, 503, 504), a timeout or a dropped connection, for an operation that is safe to repeat (one that must not run twice, such as sending a message, is never resent after these: GREEN-API may have carried it out). Rate-limit answers (429) do not count here (see Max Wait When Rate Limited); documented errors such as "chat not found" are never retried.',
			},
			{
				...numberOption(MAX_RATE_LIMIT_WAIT),
				description:
					'Seconds an item keeps being resent while GREEN-API answers 429 (Too Many Requests) and nothing sent to the instance gets through. The node slows down by itself to share the instance with whatever else uses it (other workflows, n8n workers, programs); an item fails only when the instance stays blocked this long. 0 fails an item at its first 429.',
			},
			...[...byLimit].flatMap(([limit, group]) =>
				shownFor(group).map((shown) => ({
					...numberOption(REQUESTS_PER_SECOND, limit, 1),
					description: `Most requests per second this node sends to the method on one GREEN-API instance. GREEN-API allows ${limit} per second for this method, and the node never sends more: a higher value is ${limit}. Set it lower to leave room for other workflows or programs using the instance; calls with the default use what they leave.`,
					...shown,
				})),
			),
			{
				...numberOption(TIMEOUT),
				description: 'Milliseconds to wait for GREEN-API to answer one request before giving up on it (and, where that is safe, resending it: see Max Retries)',
			},
		],
	};
}

/** A number entry of Options, with its default and bounds as the transport reads them. */
function numberOption(bounds: NumberBounds, fallback = bounds.default ?? 0, decimals?: number): INodeProperties {
	const numberPrecision = bounds.whole ? 0 : decimals;
	return {
		displayName: bounds.displayName,
		name: bounds.name,
		type: 'number',
		typeOptions: { minValue: bounds.min, maxValue: bounds.max, ...(numberPrecision === undefined ? {} : { numberPrecision }) },
		default: fallback,
	};
}

/**
 * Options the methods read (Default Country for their fields, Ignore Already Archived/Unarchived,
 * …), each once, shown for the operations whose methods use it.
 */
function methodOptions(methods: GreenApiMethod[], shownFor: (group: GreenApiMethod[]) => object[]): INodeProperties[] {
	const byName = new Map<string, { option: INodeProperties; methods: GreenApiMethod[] }>();
	for (const method of methods) {
		const options = [
			...method.fields.flatMap((field) => [...(field.inOptions ? [field.property] : []), ...(field.options ?? [])]),
			...(method.ignoreAlreadyInState ? [method.ignoreAlreadyInState] : []),
			...(method.onceKey ? [method.onceKey] : []),
		];
		for (const option of options) {
			const entry = byName.get(option.name) ?? { option, methods: [] };
			if (!entry.methods.includes(method)) entry.methods.push(method);
			byName.set(option.name, entry);
		}
	}
	return [...byName.values()].flatMap(({ option, methods: group }) => shownFor(group).map((shown) => ({ ...option, ...shown })));
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
	const groups = new Map<K, T[]>();
	for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
	return groups;
}
