/**
 * The credential's test (getStateInstance) asks at the URL the node's transport builds: its
 * request, resolved by n8n-workflow's expression engine with `$credentials` as n8n's routing node
 * resolves a credential test's request, against the URL request.ts sends, for tokens and fields as
 * people paste them (spaces around, a trailing slash, characters a URL path must encode). The
 * simulator then answers the resolved URL as the instance it names.
 */
import { Workflow, type ICredentialDataDecryptedObject, type IHttpRequestOptions } from 'n8n-workflow';

import { GreenApi as GreenApiCredential } from '../credentials/GreenApi.credentials';
import { GreenApiSimulator } from '../sandbox/simulator';
import { defaultCallSettings } from '../nodes/GreenApi/transport/callOptions';
import { callMethod, type GreenApiCredentials } from '../nodes/GreenApi/transport/request';
import type { MethodEndpoint } from '../nodes/GreenApi/api/types';
import { NODE_TYPE, nodeTypes } from './harness/engine';

const getStateInstance: MethodEndpoint = { path: 'getStateInstance', httpMethod: 'GET', rateLimitPerSecond: 1, safeToRepeat: true, errors: [] };

/** The credential test's URL as n8n resolves its request (RoutingNode: requestDefaults through the workflow's expression engine, with $credentials). */
function credentialTestUrl(credentials: ICredentialDataDecryptedObject): string {
	const node = { id: 'test', name: 'Temp-Node', type: NODE_TYPE, typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const { request } = new GreenApiCredential().test;
	const resolve = (value: string | undefined) => String(workflow.expression.getParameterValue(value ?? '', null, 0, 0, node.name, [], 'internal', { $credentials: credentials, $version: 1 }, undefined, false));
	return `${resolve(request.baseURL)}${resolve(request.url)}`;
}

/** The URL request.ts sends getStateInstance to, for the same credential. */
async function transportUrl(credentials: ICredentialDataDecryptedObject): Promise<string> {
	const sent: IHttpRequestOptions[] = [];
	const http = async (options: IHttpRequestOptions) => {
		sent.push(options);
		return { statusCode: 200, body: '{"stateInstance":"authorized"}', headers: {} };
	};
	const outcome = await callMethod(http, credentials as unknown as GreenApiCredentials, getStateInstance, {}, defaultCallSettings(1000));
	expect(outcome).toMatchObject({ response: { stateInstance: 'authorized' } });
	expect(sent).toHaveLength(1);
	return sent[0].url;
}

describe('the credential test asks where the node asks', () => {
	let simulator: GreenApiSimulator;
	let apiUrl: string;
	beforeAll(async () => {
		simulator = new GreenApiSimulator();
		apiUrl = await simulator.start();
	});
	afterAll(async () => await simulator.stop());

	it.each([
		// getStateInstance answers once a second per instance: each case has its own.
		['a token as the console shows it', '1101000071', 'd75b3a66374942c5b3c019c698abc2067e151558acbd412345'],
		['a token a URL path must encode (/ + ? # % space, non-ASCII)', '1101000072', 'ab/cd+ef?gh#ij%kl mn é'],
		['spaces around every field, a trailing slash on the API URL', '1101000073', '  d75b3a66374942c5b3c019c698abc2067e151558acbd4123ff  '],
	])('%s: the same URL, and the instance answers it', async (_, idInstance, token) => {
		simulator.addInstance({ idInstance, token: token.trim() });
		const credentials = { apiUrl: ` ${apiUrl}/ `, idInstance: ` ${idInstance} `, apiTokenInstance: token };
		const url = credentialTestUrl(credentials);
		expect(url).toBe(await transportUrl(credentials));
		const answer = await fetch(url);
		expect(answer.status).toBe(200);
		expect(await answer.json()).toEqual({ stateInstance: 'authorized' });
	});
});
