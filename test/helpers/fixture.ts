/** A simulator with one GREEN-API instance, and the credential and parameters that reach it. */
import type { ICredentialDataDecryptedObject, IDataObject, INodeListSearchResult, INodeParameters } from 'n8n-workflow';

import { GreenApiSimulator } from '../../sandbox/simulator';
import { runGreenApi, searchList, type OnError, type RunResult } from '../harness/engine';

export const ID_INSTANCE = '1101000001';
/** Shaped like a real apiTokenInstance (50 hex chars), so a leak is unmistakable. */
export const TOKEN = 'd75b3a66374942c5b3c019c698abc2067e151558acbd412345';

export interface Fixture {
	simulator: GreenApiSimulator;
	apiUrl: string;
	credential: ICredentialDataDecryptedObject;
	run(items: IDataObject[], parameters?: INodeParameters, onError?: OnError, credential?: ICredentialDataDecryptedObject): Promise<RunResult>;
	/** Chat → From List, as the editor asks for it: the list search `searchChats` with what the user typed. */
	searchChats(filter?: string, paginationToken?: string, credential?: ICredentialDataDecryptedObject): Promise<INodeListSearchResult>;
	stop(): Promise<void>;
}

export async function startFixture(
	chats: Array<{ chatId: string; name?: string; archived?: boolean; messages?: number }> = [],
	options: ConstructorParameters<typeof GreenApiSimulator>[0] = {},
): Promise<Fixture> {
	const simulator = new GreenApiSimulator(options);
	simulator.addInstance({ idInstance: ID_INSTANCE, token: TOKEN, chats });
	const apiUrl = await simulator.start();
	const credential = { apiUrl, idInstance: ID_INSTANCE, apiTokenInstance: TOKEN };
	return {
		simulator,
		apiUrl,
		credential,
		run: async (items, parameters = {}, onError, override) =>
			await runGreenApi({
				items,
				parameters: { resource: 'chat', operation: 'archive', chatId: '={{ $json.chatId }}', ...parameters },
				credentials: { main: override ?? credential },
				onError,
			}),
		searchChats: async (filter, paginationToken, override) =>
			await searchList(
				{ parameters: { resource: 'chat', operation: 'archive', chatId: { __rl: true, mode: 'list', value: '' } }, credentials: { main: override ?? credential } },
				'searchChats',
				filter,
				paginationToken,
			),
		stop: async () => await simulator.stop(),
	};
}

/** Chats `count` numbered from a base, each with one incoming message. */
export function chats(count: number, base = 79000000000): Array<{ chatId: string }> {
	return Array.from({ length: count }, (_, i) => ({ chatId: `${base + i}@c.us` }));
}

/** The requests the simulator received about one chat (its ID in the body or query). */
export function requestsAbout(fixture: Fixture, chatId: string) {
	return fixture.simulator.requests.filter((request) => request.body.includes(chatId));
}
