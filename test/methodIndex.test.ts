/**
 * Adding a GREEN-API method touches its file and the method index, then the sandbox and the docs
 * (docs/development.md): these checks enumerate the operations from the node's own description, so
 * a method added there and forgotten elsewhere fails here, naming what is missing.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { INodePropertyOptions } from 'n8n-workflow';

import { GreenApi } from '../nodes/GreenApi/GreenApi.node';
import { findMethod } from '../nodes/GreenApi/actions/operations';
import type { GreenApiMethod } from '../nodes/GreenApi/api/types';
import { GreenApiSimulator, RATE_LIMITS } from '../sandbox/simulator';
import { ID_INSTANCE, TOKEN } from './helpers/fixture';

/** Every operation the node offers, as the editor reads it: resource by resource, from the node's own properties. */
function offeredOperations(): GreenApiMethod[] {
	const { properties } = new GreenApi().description;
	const resources = (properties.find((property) => property.name === 'resource')?.options ?? []) as INodePropertyOptions[];
	return resources.flatMap(({ value: resource }) => {
		const operation = properties.find((property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource));
		return ((operation?.options ?? []) as INodePropertyOptions[]).map(({ value }) => {
			const method = findMethod(String(resource), String(value));
			if (!method) throw new Error(`The node offers ${resource} → ${value}, but the method index has no such method`);
			return method;
		});
	});
}

const operations = offeredOperations();
const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

describe('every operation the node offers', () => {
	it('there are some, each found in the method index', () => {
		expect(operations.length).toBeGreaterThan(0);
	});

	it.each(operations.map((method) => [`${method.resource} → ${method.name}`, method] as const))('%s: the README’s table has its row, with its GREEN-API call', (_, method) => {
		expect(README).toMatch(new RegExp(`^\\| \\*\\*${method.name}\\*\\* \\| \`${method.path}\``, 'm'));
	});

	it.each(operations.map((method) => [`${method.resource} → ${method.name}`, method] as const))('%s: the sandbox knows its documented rate limit', (_, method) => {
		expect((RATE_LIMITS as Record<string, number>)[method.path]).toBe(method.rateLimitPerSecond);
	});

	describe('the sandbox serves it', () => {
		let simulator: GreenApiSimulator;
		let apiUrl: string;
		beforeAll(async () => {
			simulator = new GreenApiSimulator();
			simulator.addInstance({ idInstance: ID_INSTANCE, token: TOKEN, chats: [{ chatId: '79001234567@c.us' }] });
			apiUrl = await simulator.start();
		});
		afterAll(async () => await simulator.stop());

		it.each(operations.map((method) => [`${method.resource} → ${method.name}`, method] as const))('%s: not "Not Found"', async (_, method) => {
			const url = `${apiUrl}/waInstance${ID_INSTANCE}/${method.path}/${TOKEN}`;
			const answer = method.httpMethod === 'GET' ? await fetch(url) : await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ chatId: '79001234567@c.us' }) });
			expect(answer.status).not.toBe(404);
		});
	});
});
