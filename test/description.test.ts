/**
 * The action node's parameters built from two resources that name an operation alike (a second
 * resource's "get" beside Chat's): every option, field and output parameter is shown for its own
 * resource and operation only, read with n8n's own display rules.
 */
import { NodeHelpers, type INodeParameters, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';

import { buildProperties } from '../nodes/GreenApi/actions/description';
import { getChat } from '../nodes/GreenApi/actions/chat/get.operation';
import type { GreenApiMethod } from '../nodes/GreenApi/api/types';

/** Chat → Get, and a throwaway second resource's Get with another rate limit and a field of its own. */
const chatGet: GreenApiMethod = getChat;
const messageGet: GreenApiMethod = {
	...getChat,
	resource: 'message',
	rateLimitPerSecond: 50,
	fields: [...getChat.fields, { ...getChat.fields[0], property: { ...getChat.fields[0].property, name: 'idMessage', displayName: 'Message ID' }, options: [] }],
};

const properties = buildProperties([chatGet, messageGet]);
const description = { properties } as unknown as INodeTypeDescription;
const options = properties.find((property) => property.name === 'options')!.options as INodeProperties[];

/** What n8n's editor shows for these root values: the parameters, and the entries of Options. */
function shown(root: INodeParameters) {
	const visible = (parameter: INodeProperties) => NodeHelpers.displayParameter(root, parameter, { typeVersion: 1 }, description, root);
	return {
		parameters: properties.filter(visible).map((property) => property.name),
		options: options.filter(visible).map((option) => [option.name, option.default]),
	};
}

describe('two resources sharing an operation name', () => {
	it(`Chat → ${chatGet.operation}: Chat's own rate and fields, not the other resource's`, () => {
		const { parameters, options: entries } = shown({ resource: 'chat', operation: chatGet.operation });
		expect(entries.filter(([name]) => name === 'requestsPerSecond')).toEqual([['requestsPerSecond', chatGet.rateLimitPerSecond]]);
		expect(parameters).not.toContain('idMessage');
	});

	it(`the second resource → ${messageGet.operation}: its own rate (50) and its own field`, () => {
		const { parameters, options: entries } = shown({ resource: 'message', operation: messageGet.operation });
		expect(entries.filter(([name]) => name === 'requestsPerSecond')).toEqual([['requestsPerSecond', 50]]);
		expect(parameters).toContain('idMessage');
		// An option of one method (Default Country, from its chat field) shown once, not twice.
		const names = entries.map(([name]) => name);
		expect(names.length).toBe(new Set(names).size);
	});
});
