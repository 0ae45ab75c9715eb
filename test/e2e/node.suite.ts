/**
 * Through the real n8n (the pinned n8n CLI on Node 24) with this package installed from its
 * packed tarball into a fresh user folder, as users get it, against the GREEN-API sandbox.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { GreenApiSimulator } from '../../sandbox/simulator';
import { SANDBOX } from '../../sandbox/seed';
import { GreenApi as GreenApiCredential } from '../../credentials/GreenApi.credentials';
import { METHODS } from '../../nodes/GreenApi/actions/operations';
import { JOURNAL_CAP } from '../../nodes/GreenApi/api/journals/journal';
import * as app from '../../scripts/n8n-app';
import { waitUntil } from '../../scripts/waitUntil';

/* eslint-disable @typescript-eslint/no-explicit-any -- n8n's REST answers and stored runs, read as untyped JSON */
type Item = { json: Record<string, any>; pairedItem: { item: number } };

export function nodeSuite(major: '1' | '2'): void {
	const line = app.lineOf(major);

	describe(`on n8n ${line.version}`, () => {
		let userFolder: string;
		/** The package as packed for this run. */
		let tarball: string;
		let simulator: GreenApiSimulator;
		/** Everything n8n printed in this file's runs, for the token check. */
		const printed: string[] = [];

		const example = app.readExample();
		const cleanUp = app.readExample('nightly-clean-up-archive-closed-deals');
		const quiet = app.readExample('archive-quiet-chats');
		const closing = app.readExample('crm-deal-closed-thank-and-archive');
		const GREEN_API_NODE = 'Archive WhatsApp chat';

		/** The example workflow with the GREEN-API node changed, under its own id. */
		function variant(id: string, change: (node: any) => void, deals?: object[]) {
			const workflow = JSON.parse(JSON.stringify(example));
			workflow.id = id;
			workflow.name = `${example.name} (${id})`;
			change(workflow.nodes.find((node: any) => node.name === GREEN_API_NODE));
			if (deals) {
				workflow.nodes.find((node: any) => node.name === 'CRM: deals closed today').parameters.jsonOutput = JSON.stringify({ deals });
			}
			return workflow;
		}

		const unarchive = variant('greenApiE2eUnar1', (node) => (node.parameters.operation = 'unarchive'), [{ deal: 'D-2001', customer: 'Oliver Smith', phone: '+44 20 7946 0958' }]);
		const markAsRead = variant(
			'greenApiE2eRead1',
			(node) => (node.parameters = { resource: 'chat', operation: 'markAsRead', chatId: '={{ $json.phone }}', idMessage: '={{ $json.lastMessage }}', options: {} }),
			[
				{ deal: 'D-6001', customer: 'Anna Petrova', phone: '+7 (900) 123-45-67', lastMessage: '' },
				{ deal: 'D-6002', customer: 'Ivan Sidorov', phone: '79007654321@c.us', lastMessage: 'BAE5F4886F6F2D05' },
			],
		);
		const national = variant('greenApiE2eNatl1', (node) => (node.parameters.options = { defaultCountry: 'RU' }), [{ deal: 'D-4001', customer: 'Ivan Sidorov', phone: '8 (900) 765-43-21' }]);
		const listGroups = variant('greenApiE2eList1', (node) => (node.parameters = { resource: 'chat', operation: 'getAll', returnAll: true, filters: { type: 'group' }, options: {} }), [{ deal: 'D-5001' }]);
		const stopOnError = variant('greenApiE2eStop1', (node) => delete node.onError, [{ deal: 'D-3001', customer: 'Unknown', phone: '+7 999 000-00-00' }]);

		/**
		 * A bulk run to cancel: 40 archive calls paced at 1 a second, started by a production webhook
		 * (answered at once) so that it runs in the server, where the editor's Stop button reaches it.
		 */
		const CANCEL_PATH = 'green-api-e2e-cancel';
		const bulkToCancel = variant(
			'greenApiE2eCanc1',
			(node) => (node.parameters.options = { requestsPerSecond: 1, ignoreAlreadyArchived: true }),
			Array.from({ length: 40 }, (_, index) => ({ deal: `D-7${String(index).padStart(3, '0')}`, customer: 'Bulk', phone: ['+7 900 123-45-67', '+7 900 765-43-21', '+1 415 555 0123'][index % 3] })),
		);
		bulkToCancel.nodes[0] = {
			...bulkToCancel.nodes[0],
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			webhookId: '6c1d9a52-0b7e-4f5a-9a31-2f0c8e4d7b10',
			parameters: { httpMethod: 'POST', path: CANCEL_PATH, responseMode: 'onReceived', options: {} },
		};

		const THANK_NODE = 'Thank the customer';
		/**
		 * Example 5 ("thank the customer once → archive") cut to its Send Text, "Thank the customer",
		 * as the example has it (its Send Once Per Key `{{ $json.deal }}-thanks`) but for `change`:
		 * fed by its CRM stand-in with `deals`, or by a production webhook the CRM posts
		 * `{ "deals": [...] }` to (`responseMode` lastNode: the answer is Send Text's items).
		 */
		function thankOnly(id: string, change: (thank: any) => void, feed: { deals: object[] } | { path: string; webhookId: string; responseMode: 'onReceived' | 'lastNode' }) {
			const workflow = JSON.parse(JSON.stringify(closing));
			workflow.id = id;
			workflow.name = `${closing.name} (${id})`;
			const nodes = Object.fromEntries(workflow.nodes.map((node: any) => [node.name, node]));
			const thank = nodes[THANK_NODE];
			change(thank);
			const main = (to: string) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });
			if ('deals' in feed) {
				const [manual, crm] = [nodes['When clicking ‘Execute workflow’'], nodes['CRM: deals closed today']];
				crm.parameters.jsonOutput = JSON.stringify({ deals: feed.deals });
				workflow.nodes = [manual, crm, nodes['One item per deal'], thank];
				workflow.connections = { [manual.name]: main(crm.name), [crm.name]: main('One item per deal'), 'One item per deal': main(THANK_NODE) };
			} else {
				const webhook = {
					id: `${feed.webhookId}-node`,
					name: 'CRM webhook: deal closed',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: feed.webhookId,
					parameters: { httpMethod: 'POST', path: feed.path, responseMode: feed.responseMode, ...(feed.responseMode === 'lastNode' ? { responseData: 'allEntries' } : {}), options: {} },
				};
				const split = { ...nodes['One item per deal'], parameters: { fieldToSplitOut: 'body.deals', options: {} } };
				workflow.nodes = [webhook, split, thank];
				workflow.connections = { [webhook.name]: main(split.name), [split.name]: main(THANK_NODE) };
			}
			return workflow;
		}

		/** n8n's own Retry On Fail on Send Text: a failed try runs the node again, all its items. */
		const retryOnFail = thankOnly(
			'greenApiE2eRoF1',
			(thank) => {
				delete thank.onError;
				Object.assign(thank, { retryOnFail: true, maxTries: 2, waitBetweenTries: 1000 });
			},
			{
				deals: [
					{ deal: 'D-9301', customer: 'Anna', phone: '+7 (900) 123-45-67' },
					{ deal: 'D-9302', customer: 'Jane', phone: '+1 415 555 0123' },
				],
			},
		);
		/** The CRM's "deal closed" webhook, answered with what Send Text made of the deal. */
		const DEAL_PATH = 'green-api-e2e-deal';
		const dealWebhook = thankOnly('greenApiE2eHook1', () => {}, { path: DEAL_PATH, webhookId: '0b6f4c1e-7d2a-4e5b-9c3f-1a8d2e6b9c01', responseMode: 'lastNode' });
		/** The same webhook into a Send Text that stops the workflow on a failure: an execution to retry. */
		const RETRY_PATH = 'green-api-e2e-retry';
		const toRetry = thankOnly('greenApiE2eRtry1', (thank) => delete thank.onError, { path: RETRY_PATH, webhookId: '0b6f4c1e-7d2a-4e5b-9c3f-1a8d2e6b9c02', responseMode: 'onReceived' });
		/** The messages the sandbox accepted for one chat about one deal (the deal's number is in the text). */
		const thanksFor = (chatId: string, deal: string) => simulator.sentTo(SANDBOX.idInstance, chatId).filter((message) => message.textMessage?.includes(deal));
		/** GREEN-API's answer when the plan's monthly quota is used up (466): the send certainly did not happen. */
		const QUOTA_USED_UP = { status: 466, text: 'Monthly quota of the Developer plan for method calls is exceeded. Upgrade the plan to continue.', method: 'sendMessage' };

		async function execute(workflowId: string, env: Record<string, string> = {}) {
			const result = await line.execute(userFolder, workflowId, env);
			printed.push(result.stdout, result.stderr);
			return result;
		}

		/** The sandbox's chats back in their seeded archive states (earlier tests archive some). */
		function resetChats() {
			const chats = simulator.instance(SANDBOX.idInstance).chats;
			for (const chat of SANDBOX.chats) chats.get(chat.chatId)!.archived = chat.archived ?? false;
			return chats;
		}

		function outputs(run: any): [Item[], Item[]] {
			const [success = [], failure = []] = run.data.resultData.runData[GREEN_API_NODE][0].data.main;
			return [success, failure];
		}

		beforeAll(async () => {
			await line.ensureN8n();
			userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'green-api-e2e-'));
			tarball = await app.packPackage(path.join(userFolder, 'pack'));
			await app.installPackage(userFolder, tarball);
			simulator = new GreenApiSimulator();
			simulator.addInstance(SANDBOX);
			const apiUrl = await simulator.start(0);
			await line.importFixtures(userFolder, { apiUrl, idInstance: SANDBOX.idInstance, token: SANDBOX.token }, [
				example,
				cleanUp,
				quiet,
				unarchive,
				stopOnError,
				national,
				listGroups,
				markAsRead,
				bulkToCancel,
				closing,
				retryOnFail,
				dealWebhook,
				toRetry,
			]);
		});

		afterAll(async () => {
			await simulator?.stop();
			if (userFolder) fs.rmSync(userFolder, { recursive: true, force: true });
		});

		describe('the packed package inside n8n', () => {
			it('is installed from the tarball with only the published files: dist/, README, CHANGELOG, LICENSE, manifest', () => {
				const installed = path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-green-api');
				const files = (fs.readdirSync(installed, { recursive: true }) as string[]).filter((file) => fs.statSync(path.join(installed, file)).isFile());
				const topLevel = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'];
				expect(files).toEqual(expect.arrayContaining([...topLevel, path.join('dist', 'nodes', 'GreenApi', 'GreenApi.node.js')]));
				expect(files.filter((file) => !topLevel.includes(file) && !file.startsWith(`dist${path.sep}`))).toEqual([]);
				expect(files.filter((file) => /\.(map|ts)$/.test(file))).toEqual([]);
				const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
				expect(manifest.dependencies ?? {}).toEqual({});
			});

			it('is the tarball `npm pack` makes for this version, holding exactly what was installed', () => {
				const version = JSON.parse(fs.readFileSync(path.join(app.ROOT, 'package.json'), 'utf8')).version;
				expect(path.basename(tarball)).toBe(`n8n-nodes-green-api-${version}.tgz`);
				const packed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
					.trim()
					.split('\n')
					.filter((entry) => !entry.endsWith('/'));
				const installed = path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-green-api');
				const files = (fs.readdirSync(installed, { recursive: true }) as string[]).filter((file) => fs.statSync(path.join(installed, file)).isFile());
				expect(packed.map((entry) => entry.replace(/^package\//, '')).sort()).toEqual(files.map((file) => file.split(path.sep).join('/')).sort());
			});

			it('runs the example: chats archived, a documented error and a bad chat id on the error output', async () => {
				const { run, stderr } = await execute(example.id);
				expect(stderr).not.toMatch(/Unrecognized node type|could not be found/i);
				expect(run?.status).toBe('success');
				const [archived, failed] = outputs(run);
				expect(archived.map((item) => item.json)).toEqual([
					{ chatId: '79001234567@c.us', archived: true, input: '+7 (900) 123-45-67' },
					{ chatId: '79007654321@c.us', archived: true, input: '+7 900 765-43-21' },
					{ chatId: '120363043968066561@g.us', archived: true },
				]);
				expect(failed.map((item) => [item.pairedItem.item, item.json.error.code])).toEqual([
					[3, 'ALREADY_ARCHIVED'],
					[4, 'INVALID_INPUT'],
				]);
				// The error output keeps the CRM fields next to the error.
				expect(failed[0].json).toMatchObject({ deal: 'D-1004', customer: 'Oliver Smith', message: 'Chat 442079460958@c.us is already archived.' });
				expect(failed[1].json).toMatchObject({ deal: 'D-1005', message: 'Chat "call back later" is neither a chat ID nor a phone number [item 4]' });
				// Both outputs feed the next nodes.
				expect(run.data.resultData.runData['Archived'][0].data.main[0]).toHaveLength(3);
				expect(run.data.resultData.runData['Could not archive'][0].data.main[0]).toHaveLength(2);

				const chats = simulator.instance(SANDBOX.idInstance).chats;
				expect(chats.get('79001234567@c.us')?.archived).toBe(true);
				expect(chats.get('120363043968066561@g.us')?.archived).toBe(true);
				// The refused item never reached the service.
				expect(simulator.requests.some((request) => request.body.includes('call back later'))).toBe(false);
			});

			it('unarchives', async () => {
				const { run } = await execute(unarchive.id);
				const [done, failed] = outputs(run);
				expect(failed).toEqual([]);
				expect(done.map((item) => item.json)).toEqual([{ chatId: '442079460958@c.us', archived: false, input: '+44 20 7946 0958' }]);
				expect(simulator.instance(SANDBOX.idInstance).chats.get('442079460958@c.us')?.archived).toBe(false);
			});

			it('Mark as Read: the whole chat, or up to a message; idMessage is sent only when given', async () => {
				const chats = simulator.instance(SANDBOX.idInstance).chats;
				chats.get('79001234567@c.us')!.unread = 2;
				chats.get('79007654321@c.us')!.unread = 1;
				const { run } = await execute(markAsRead.id);
				const [done, failed] = outputs(run);
				expect(failed).toEqual([]);
				expect(done.map((item) => item.json)).toEqual([
					{ chatId: '79001234567@c.us', read: true, input: '+7 (900) 123-45-67' },
					{ chatId: '79007654321@c.us', idMessage: 'BAE5F4886F6F2D05', read: true },
				]);
				const sent = simulator.requests.filter((request) => request.method === 'readChat').map((request) => JSON.parse(request.body));
				// The two items go out together: either may reach the sandbox first.
				const byChat = (a: { chatId: string }, b: { chatId: string }) => a.chatId.localeCompare(b.chatId);
				expect(sent.slice(-2).sort(byChat)).toEqual([{ chatId: '79001234567@c.us' }, { chatId: '79007654321@c.us', idMessage: 'BAE5F4886F6F2D05' }]);
				expect([chats.get('79001234567@c.us')!.unread, chats.get('79007654321@c.us')!.unread]).toEqual([0, 0]);
			});

			it('a national number with Default Country set: 8 (900) 765-43-21 in Russia is archived as 79007654321@c.us', async () => {
				simulator.instance(SANDBOX.idInstance).chats.get('79007654321@c.us')!.archived = false;
				const { run } = await execute(national.id);
				const [done, failed] = outputs(run);
				expect(failed).toEqual([]);
				expect(done.map((item) => item.json)).toEqual([{ chatId: '79007654321@c.us', archived: true, input: '8 (900) 765-43-21' }]);
				expect(simulator.instance(SANDBOX.idInstance).chats.get('79007654321@c.us')?.archived).toBe(true);
			});

			it("Get Many lists the instance's chats with their names (groups only, here)", async () => {
				resetChats();
				const { run } = await execute(listGroups.id);
				const [listed, failed] = outputs(run);
				expect(failed).toEqual([]);
				expect(listed.map((item) => item.json)).toEqual([
					{ chatId: '79001234567-1581234048@g.us', name: 'Old team', type: 'group', archived: true },
					{ chatId: '120363043968066561@g.us', name: 'Acme buyers', type: 'group', archived: false },
				]);
			});

			it("runs the nightly clean-up: the chats still in the inbox whose deal is closed are archived, with the deal's fields", async () => {
				const chats = resetChats();
				const { run } = await execute(cleanUp.id);
				expect(run?.status).toBe('success');
				const listedChats = run.data.resultData.runData['Chats still in the inbox'][0].data.main[0] as Item[];
				expect(listedChats.map((item) => item.json.name)).toEqual(['New lead', 'Jane Doe', 'Ivan Sidorov', 'Anna Petrova']);
				const [archived, failed] = run.data.resultData.runData['Archive chat'][0].data.main as [Item[], Item[]];
				expect(failed).toEqual([]);
				// Oliver Smith's chat was archived already (not listed); Max Mustermann has no chat on this instance.
				expect(archived.map((item) => item.json)).toEqual([
					{ chatId: '14155550123@c.us', archived: true },
					{ chatId: '79001234567@c.us', archived: true },
				]);
				// Each archived chat is paired with the merged item it came from: the chat and its closed deal.
				const merged = run.data.resultData.runData['Chats of closed deals'][0].data.main[0] as Item[];
				expect(archived.map((item) => merged[item.pairedItem.item].json)).toEqual([
					{ chatId: '14155550123@c.us', name: 'Jane Doe', type: 'user', archived: false, deal: 'D-1007', customer: 'Jane Doe', phone: '+1 415 555 0123' },
					{ chatId: '79001234567@c.us', name: 'Anna Petrova', type: 'user', archived: false, deal: 'D-1001', customer: 'Anna Petrova', phone: '+7 (900) 123-45-67' },
				]);
				expect(SANDBOX.chats.filter((chat) => chats.get(chat.chatId)!.archived).map((chat) => chat.name)).toEqual(['Anna Petrova', 'Jane Doe', 'Oliver Smith', 'Old team']);
			});

			it('runs "Archive the chats that went quiet": the quiet chats archived, the busy ones left, a chat GREEN-API will not archive on the error output; with a full journal, nothing called quiet', async () => {
				const chats = resetChats();
				const { run } = await execute(quiet.id);
				expect(run?.status).toBe('success');
				const listed = run.data.resultData.runData['Chats quiet for 30 days'][0].data.main[0] as Item[];
				// Ivan (45 days) and Acme buyers (40 days) went quiet, New lead never had a message; Anna (2 days)
				// and Jane (answered 5 days ago) did not; Oliver and Old team are archived already.
				expect(listed.map((item) => item.json.name).sort()).toEqual(['Acme buyers', 'Ivan Sidorov', 'New lead']);
				expect(listed.every((item) => item.json.lastMessageAt === null && typeof item.json.messagesKnownSince === 'string')).toBe(true);
				const [archived, failed] = run.data.resultData.runData['Archive chat'][0].data.main as [Item[], Item[]];
				expect(archived.map((item) => item.json.chatId).sort()).toEqual(['120363043968066561@g.us', '79007654321@c.us']);
				expect(failed.map((item) => [item.json.chatId, item.json.error.code])).toEqual([['79000000000@c.us', 'NO_MESSAGES_IN_CHAT']]);
				expect(chats.get('79001234567@c.us')!.archived).toBe(false);
				expect(chats.get('14155550123@c.us')!.archived).toBe(false);

				// The incoming journal full (10,000 messages of the last 3 days): it reaches back 3 days only,
				// so no chat is proven quiet for 30, and the run says why.
				resetChats();
				const journal = simulator.notifications.inbox(SANDBOX.idInstance).journals.incoming;
				const kept = [...journal];
				const now = Math.floor(Date.now() / 1000);
				for (let i = 0; i < JOURNAL_CAP; i++) {
					simulator.notifications.record(
						SANDBOX.idInstance,
						{ type: 'incoming', idMessage: `FULL${i}`, timestamp: now - Math.floor((i * 3 * 86400) / JOURNAL_CAP), typeMessage: 'textMessage', chatId: '79001234567@c.us', textMessage: 'x' },
						0,
					);
				}
				try {
					const full = await execute(quiet.id);
					expect(full.run?.status).toBe('success');
					const task = full.run.data.resultData.runData['Chats quiet for 30 days'][0];
					expect(task.data.main[0]).toEqual([]);
					expect(JSON.stringify(task.hints)).toMatch(/3 chats with no message since .* left out: GREEN-API's journals hold every message only from then on \(the incoming journal is full/);
					expect(full.run.data.resultData.runData['Archive chat']).toBeUndefined();
				} finally {
					journal.splice(0, journal.length, ...kept);
				}
			});

			it('runs "CRM deal closed → thank the customer once → archive the chat": each customer thanked once (also when the workflow runs again), each chat archived, also where a message leaving the send queue brings the chat back to the inbox', async () => {
				// After the quiet-chats example: the messages sent here go into the outgoing journal, and a chat written to is not quiet.
				const chats = resetChats();
				const instance = simulator.instance(SANDBOX.idInstance);
				const ANNA = '79001234567@c.us';
				const IVAN = '79007654321@c.us';
				// The case that needs the wait: a message leaving the queue unarchives its chat.
				instance.unarchiveOnSend = true;
				try {
					const first = await execute(closing.id);
					expect(first.run?.status).toBe('success');
					for (const chat of [ANNA, IVAN]) {
						expect(simulator.sentTo(SANDBOX.idInstance, chat)).toHaveLength(1);
						expect(simulator.sentTo(SANDBOX.idInstance, chat)[0]).toMatchObject({ state: 'sent' });
						expect(chats.get(chat)?.archived).toBe(true);
					}
					// The deals reported again (a CRM resending, a re-run): nobody is thanked twice, the chats stay archived.
					const again = await execute(closing.id);
					expect(again.run?.status).toBe('success');
					const thanked = again.run.data.resultData.runData['Thank the customer'][0].data.main[0].map((item: Item) => item.json);
					expect(thanked.map((item: any) => [item.sent, item.sendOnceKey])).toEqual([
						[false, 'D-8001-thanks'],
						[false, 'D-8002-thanks'],
					]);
					for (const chat of [ANNA, IVAN]) {
						expect(simulator.sentTo(SANDBOX.idInstance, chat)).toHaveLength(1);
						expect(chats.get(chat)?.archived).toBe(true);
					}
				} finally {
					instance.unarchiveOnSend = false;
				}
			}, 180000);

			it("Send Once Per Key under n8n's Retry On Fail: the try that failed for one customer (quota used up) is run again whole, and nobody is thanked twice", async () => {
				const [ANNA, JANE] = ['79001234567@c.us', '14155550123@c.us'];
				// Jane's first send is refused (nothing sent), so the node fails its first try; Anna's went out in it.
				simulator.script(SANDBOX.idInstance, JANE, [QUOTA_USED_UP]);
				const { run } = await execute(retryOnFail.id);
				expect(run?.status).toBe('success');
				const tries = run.data.resultData.runData[THANK_NODE];
				expect(tries).toHaveLength(1); // n8n keeps the try that succeeded
				expect(tries[0].data.main[0].map((item: Item) => [item.json.sendOnceKey, item.json.sent])).toEqual([
					['D-9301-thanks', false], // sent by the first try: its key held
					['D-9302-thanks', true], // refused in the first try: its key given back, sent now
				]);
				expect(thanksFor(ANNA, 'D-9301')).toHaveLength(1);
				expect(thanksFor(JANE, 'D-9302')).toHaveLength(1);
				expect(simulator.requests.filter((request) => request.method === 'sendMessage' && request.body.includes('D-9302')).map((request) => request.status)).toEqual([466, 200]);
			});

			it('without an error output, a documented error stops the workflow with the plain sentence', async () => {
				const result = await execute(stopOnError.id);
				expect(result.run).toBeUndefined();
				expect(`${result.stdout}\n${result.stderr}`).toContain('Chat 79990000000@c.us is not among the contacts of this WhatsApp account.');
			});

			it('leaves the token in no output, no log line and no stored execution', async () => {
				// Once more with every debug log line n8n writes, into a file.
				const logFile = path.join(userFolder, 'n8n-debug.log');
				simulator.instance(SANDBOX.idInstance).chats.get('79007654321@c.us')!.archived = false;
				await execute(example.id, { N8N_LOG_LEVEL: 'debug', N8N_LOG_OUTPUT: 'file', N8N_LOG_FILE_LOCATION: logFile });
				const debugLog = fs.readFileSync(logFile, 'utf8');
				expect(debugLog).toMatch(/Archive WhatsApp chat/);
				printed.push(debugLog);
				const stored = app.storedData(userFolder);
				expect(stored).toContain('79007654321@c.us'); // executions are stored, readable, here
				for (const text of [stored, ...printed]) {
					expect(text).not.toContain(SANDBOX.token);
					expect(text).not.toContain(encodeURIComponent(SANDBOX.token));
				}
			});
		});

		describe('the n8n server: the editor sees the node, the credential test asks the instance', () => {
			let server: ChildProcess;
			let base: string;
			let cookie = '';

			beforeAll(async () => {
				for (const workflow of [bulkToCancel, dealWebhook, toRetry]) await line.activate(userFolder, workflow.id);
				({ base, server } = await line.startServer(userFolder, { port: 25000 + Math.floor(Math.random() * 10000) }));
				({ cookie } = await app.signIn(base, { email: 'e2e@example.com', firstName: 'E', lastName: 'E', password: 'E2e-password-1' }));
			});

			afterAll(() => {
				server?.kill('SIGTERM');
			});

			it('lists the node with its operations and fields, and the credential with its test', async () => {
				const nodes = (await (await fetch(`${base}/types/nodes.json`, { headers: { cookie } })).json()) as any[];
				const node = nodes.find((type) => type.name === 'n8n-nodes-green-api.greenApi');
				expect(node).toBeDefined();
				expect(node.usableAsTool).toBe(true);
				// n8n makes an AI Agent tool of it, with the same light/dark icon pair, which n8n serves.
				const tool = nodes.find((type) => type.name === 'n8n-nodes-green-api.greenApiTool');
				expect(tool?.codex?.categories).toEqual(['AI']);
				expect(tool.iconUrl).toEqual(node.iconUrl);
				expect(Object.keys(node.iconUrl)).toEqual(['light', 'dark']);
				for (const icon of Object.values(node.iconUrl) as string[]) {
					const served = await fetch(`${base}/${icon}`, { headers: { cookie } });
					expect([served.status, served.headers.get('content-type'), (await served.text()).startsWith('<svg')]).toEqual([200, 'image/svg+xml', true]);
				}
				// Every operation the node's own description offers (one Operation per resource), as n8n serves it to the editor.
				const operations = node.properties.filter((property: any) => property.name === 'operation').flatMap((property: any) => property.options.map((option: any) => option.value));
				expect(operations).toEqual(METHODS.map((method) => method.operation));
				expect(node.properties.map((property: any) => property.name)).toEqual(expect.arrayContaining(['resource', 'operation', 'chatId', 'returnAll', 'limit', 'filters', 'options']));
				const chat = node.properties.find((property: any) => property.name === 'chatId');
				expect(chat).toMatchObject({ type: 'resourceLocator', default: { mode: 'idOrPhone', value: '' } });
				expect(chat.modes.map((mode: any) => [mode.name, mode.displayName, mode.typeOptions?.searchListMethod])).toEqual([
					['idOrPhone', 'By ID or Phone', undefined],
					['list', 'From List', 'searchChats'],
				]);
				const credentials = (await (await fetch(`${base}/types/credentials.json`, { headers: { cookie } })).json()) as any[];
				const credential = credentials.find((type) => type.name === 'greenApi');
				expect(credential.properties.map((property: any) => property.name)).toEqual(new GreenApiCredential().properties.map((property) => property.name));
			});

			it('a bulk run paced by the rate limit, cancelled as the editor’s Stop does: n8n records it cancelled, and the node sends nothing after the stop', async () => {
				const archives = () => simulator.requests.filter((request) => request.method === 'archiveChat');
				const before = archives().length;
				const started = await fetch(`${base}/webhook/${CANCEL_PATH}`, { method: 'POST' });
				expect(started.status).toBe(200);
				await waitUntil(() => archives().length >= before + 3, { timeoutMs: 60000, what: 'The bulk run archiving, paced at 1 a second' });
				const list = async () => (await (await fetch(`${base}/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: bulkToCancel.id }))}`, { headers: { cookie } })).json()) as any;
				const [running] = (await list()).data.results;
				const stop = await fetch(`${base}/rest/executions/${running.id}/stop`, { method: 'POST', headers: { cookie } });
				expect(stop.status).toBe(200);
				const stoppedAt = performance.now(); // the simulator's clock (it runs in this process)
				const sentBefore = archives().length - before;
				await waitUntil(async () => (await list()).data.results[0].status === 'canceled', { timeoutMs: 30000, what: 'n8n recorded the execution cancelled' });
				// Three pacing periods: a node still running would have sent three more by now.
				await new Promise((resolve) => setTimeout(resolve, 3000));
				// A request already on the wire when the stop came may arrive just after it; nothing later.
				const late = archives().filter((request) => request.at > stoppedAt + 500);
				expect(late).toEqual([]);
				expect(sentBefore).toBeGreaterThanOrEqual(3);
				expect(archives().length - before).toBeLessThan(40);
			});

			/** Chat → From List, as the editor asks n8n's server for it while the user types. */
			async function searchChats(filter?: string, paginationToken?: string) {
				const response = await fetch(`${base}/rest/dynamic-node-parameters/resource-locator-results`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json', cookie },
					body: JSON.stringify({
						path: 'parameters.chatId',
						nodeTypeAndVersion: { name: 'n8n-nodes-green-api.greenApi', version: 1 },
						currentNodeParameters: { resource: 'chat', operation: 'archive', chatId: { __rl: true, mode: 'list', value: '' }, options: {} },
						methodName: 'searchChats',
						filter,
						paginationToken,
						credentials: { greenApi: { id: app.SANDBOX_CREDENTIAL_ID, name: 'GREEN-API sandbox' } },
					}),
				});
				const text = await response.text();
				printed.push(text);
				return { status: response.status, body: JSON.parse(text) };
			}

			it("Chat → From List: the server's list search gives the sandbox's chats with name, ID and archive state, filtered by what is typed", async () => {
				resetChats();
				const all = await searchChats();
				expect(all.status).toBe(200);
				// In the order getChats gives (most recent activity first, which earlier tests here changed).
				expect(all.body.data.results).toHaveLength(SANDBOX.chats.length);
				expect(all.body.data.results).toEqual(
					expect.arrayContaining([
						{ name: 'Old team — 79001234567-1581234048@g.us (archived)', value: '79001234567-1581234048@g.us' },
						{ name: 'New lead — 79000000000@c.us', value: '79000000000@c.us' },
						{ name: 'Acme buyers — 120363043968066561@g.us', value: '120363043968066561@g.us' },
						{ name: 'Oliver Smith — 442079460958@c.us (archived)', value: '442079460958@c.us' },
						{ name: 'Jane Doe — 14155550123@c.us', value: '14155550123@c.us' },
						{ name: 'Ivan Sidorov — 79007654321@c.us', value: '79007654321@c.us' },
						{ name: 'Anna Petrova — 79001234567@c.us', value: '79001234567@c.us' },
					]),
				);
				const typed = await searchChats('+7 900 765');
				expect(typed.body.data.results.map((result: { value: string }) => result.value)).toEqual(['79007654321@c.us']);
				const byName = await searchChats('oliver');
				expect(byName.body.data.results.map((result: { value: string }) => result.value)).toEqual(['442079460958@c.us']);
			});

			it('Chat → From List: when the instance refuses the credential, the editor gets the same plain sentence, and no token', async () => {
				const instance = simulator.instance(SANDBOX.idInstance);
				instance.token = 'another0token0than0the0credential0holds0000000000';
				try {
					const refused = await searchChats();
					// n8n answers a list search's node error as a server error (500) on both lines, with the node's sentence in the body.
					expect(refused.status).toBe(500);
					expect(JSON.stringify(refused.body)).toContain('GREEN-API rejected the API token (apiTokenInstance).');
				} finally {
					instance.token = SANDBOX.token;
				}
				for (const text of printed) expect(text).not.toContain(SANDBOX.token);
			});

			async function testCredential(data: object) {
				const response = await fetch(`${base}/rest/credentials/test`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json', cookie },
					body: JSON.stringify({ credentials: { id: app.SANDBOX_CREDENTIAL_ID, name: 'GREEN-API sandbox', type: 'greenApi', data } }),
				});
				return ((await response.json()) as { data: { status: string; message: string } }).data;
			}

			// getStateInstance allows one call per second per instance, so each check uses its own instance.
			let nextInstance = 2200;
			function instanceIn(state: string) {
				const idInstance = String(++nextInstance);
				simulator.addInstance({ idInstance, token: SANDBOX.token, state });
				return idInstance;
			}

			it.each([
				['a trailing slash', '/'],
				['a path prefix', '/proxy/green'],
			])('passes for an authorized instance, with %s in the API URL', async (_case, suffix) => {
				const data = { apiUrl: `${simulatorUrl()}${suffix}`, idInstance: instanceIn('authorized'), apiTokenInstance: SANDBOX.token };
				expect(await testCredential(data)).toEqual({ status: 'OK', message: 'Connection successful!' });
			});

			it.each([
				['notAuthorized', /not authorized: .*scan the QR code/],
				['blocked', /blocked/],
				['starting', /starting/],
				['yellowCard', /yellow card/],
				['sleepMode', /sleep mode/],
			])('fails in plain words when the instance is %s', async (state, message) => {
				const result = await testCredential({ apiUrl: simulatorUrl(), idInstance: instanceIn(state), apiTokenInstance: SANDBOX.token });
				expect(result.status).toBe('Error');
				expect(result.message).toMatch(message);
			});

			/**
			 * What the credential test says for 401, 403 and 429. The lines differ: 2.x reads the
			 * credential's own sentences (its rules for those codes); n8n 1.x never reaches them (its
			 * request error carries no response) and gives n8n's generic sentence for the code.
			 */
			const refusals =
				line.major === '2'
					? { 401: /API Token Instance \(HTTP 401\)/, 403: /Instance ID.*API URL/, 429: /once per second .* test again/ }
					: { 401: /^Authorization failed - please check your credentials$/, 403: /^Forbidden - perhaps check your credentials\?$/, 429: /^The service is receiving too many requests from you$/ };

			it('says to wait when tested twice within a second (429)', async () => {
				const data = { apiUrl: simulatorUrl(), idInstance: instanceIn('authorized'), apiTokenInstance: SANDBOX.token };
				await testCredential(data);
				expect(await testCredential(data)).toEqual({ status: 'Error', message: expect.stringMatching(refusals[429]) });
			});

			it('names the wrong field for a wrong token (401) or instance (403)', async () => {
				const wrongToken = await testCredential({ apiUrl: simulatorUrl(), idInstance: instanceIn('authorized'), apiTokenInstance: 'not-the-token-123456' });
				expect(wrongToken).toEqual({ status: 'Error', message: expect.stringMatching(refusals[401]) });
				const wrongInstance = await testCredential({ apiUrl: simulatorUrl(), idInstance: '999', apiTokenInstance: SANDBOX.token });
				expect(wrongInstance).toEqual({ status: 'Error', message: expect.stringMatching(refusals[403]) });
				expect(JSON.stringify([wrongToken, wrongInstance])).not.toContain(SANDBOX.token);
			});

			describe('Send Once Per Key in the server: a deal webhook delivered twice, an execution retried through REST', () => {
				const [ANNA, IVAN, JANE] = ['79001234567@c.us', '79007654321@c.us', '14155550123@c.us'];
				const deals = {
					anna: (deal: string) => ({ deal, customer: 'Anna', phone: '+7 (900) 123-45-67' }),
					ivan: (deal: string) => ({ deal, customer: 'Ivan', phone: '+7 900 765-43-21' }),
					jane: (deal: string) => ({ deal, customer: 'Jane', phone: '+1 415 555 0123' }),
				};

				/** n8n's REST API as the editor calls it; every answer kept for the token check. */
				async function rest(method: 'GET' | 'POST', route: string, body?: object) {
					const response = await fetch(`${base}/rest/${route}`, { method, headers: { 'Content-Type': 'application/json', cookie }, body: body && JSON.stringify(body) });
					const text = await response.text();
					printed.push(text);
					return { status: response.status, body: JSON.parse(text) };
				}

				/** The CRM posting "deal closed" to a production webhook: n8n's answer (for the lastNode webhook, Send Text's items). */
				async function post(path: string, closed: object[]) {
					const response = await fetch(`${base}/webhook/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ deals: closed }) });
					const text = await response.text();
					printed.push(text);
					return { status: response.status, items: JSON.parse(text) };
				}

				const executionsOf = async (workflowId: string): Promise<any[]> => (await rest('GET', `executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`)).body.data.results;

				/** A workflow's executions once `count` of them have finished, newest first. */
				async function finished(workflowId: string, count: number): Promise<any[]> {
					let runs: any[] = [];
					await waitUntil(
						async () => {
							runs = await executionsOf(workflowId);
							return runs.length >= count && runs.every((run) => !['new', 'running', 'waiting'].includes(run.status));
						},
						{ timeoutMs: 60000, what: `${count} executions of ${workflowId} finished`, detail: () => JSON.stringify(runs.map((run) => [run.id, run.status])) },
					);
					return runs;
				}

				/** Whether n8n serves the production webhook at `path` yet (n8n 2.x publishes in the background after it starts): the methods a CORS preflight is told. */
				const webhookLive = async (path: string) =>
					((await fetch(`${base}/webhook/${path}`, { method: 'OPTIONS', headers: { Origin: base } })).headers.get('access-control-allow-methods') ?? '').includes('POST');

				beforeAll(async () => {
					for (const path of [DEAL_PATH, RETRY_PATH]) await waitUntil(async () => await webhookLive(path), { timeoutMs: 90000, what: `n8n serves the webhook ${path}` });
				});

				it('the same deal posted twice, one after the other: one message; both executions succeed, the second answers sent: false', async () => {
					const deal = deals.anna('D-9101');
					const before = (await executionsOf(dealWebhook.id)).length;
					const first = await post(DEAL_PATH, [deal]);
					const second = await post(DEAL_PATH, [deal]);
					expect([first.status, second.status]).toEqual([200, 200]);
					expect(first.items).toEqual([{ chatId: ANNA, idMessage: expect.any(String), sent: true, sendOnceKey: 'D-9101-thanks', input: deal.phone }]);
					expect(second.items).toEqual([{ chatId: ANNA, sent: false, sendOnceKey: 'D-9101-thanks', input: deal.phone }]);
					expect(thanksFor(ANNA, 'D-9101')).toHaveLength(1);
					expect((await finished(dealWebhook.id, before + 2)).slice(0, 2).map((run) => run.status)).toEqual(['success', 'success']);
				});

				it('the same deal posted twice at the same moment (two executions at once, as n8n-io/n8n#38083 shows one webhook start): one message; both succeed, one answers sent: false', async () => {
					const deal = deals.ivan('D-9102');
					const before = (await executionsOf(dealWebhook.id)).length;
					const answers = await Promise.all([post(DEAL_PATH, [deal]), post(DEAL_PATH, [deal])]);
					expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
					const items = answers.flatMap((answer) => answer.items);
					expect(items.map((item) => item.sent).sort()).toEqual([false, true]);
					expect(items.map((item) => [item.chatId, item.sendOnceKey])).toEqual([
						[IVAN, 'D-9102-thanks'],
						[IVAN, 'D-9102-thanks'],
					]);
					expect(thanksFor(IVAN, 'D-9102')).toHaveLength(1);
					expect((await finished(dealWebhook.id, before + 2)).slice(0, 2).map((run) => run.status)).toEqual(['success', 'success']);
				});

				it('an execution that failed part-way, retried through REST as the editor retries (original workflow, then the saved one): nobody is thanked again, the customer not yet thanked is', async () => {
					// Anna's send goes through; Ivan's is taken but its answer lost (500): it may have gone out, and here it
					// did; Jane's is refused, the plan's quota used up (nothing sent), in the run and in the first retry.
					simulator.script(SANDBOX.idInstance, IVAN, [{ status: 500, accepted: true, method: 'sendMessage' }]);
					simulator.script(SANDBOX.idInstance, JANE, [QUOTA_USED_UP, QUOTA_USED_UP]);
					const thanked = () => [thanksFor(ANNA, 'D-9201'), thanksFor(IVAN, 'D-9202'), thanksFor(JANE, 'D-9203')].map((messages) => messages.length);
					const before = (await executionsOf(toRetry.id)).length;
					expect((await post(RETRY_PATH, [deals.anna('D-9201'), deals.ivan('D-9202'), deals.jane('D-9203')])).status).toBe(200);
					const [failed] = await finished(toRetry.id, before + 1);
					expect(failed.status).toBe('error');
					expect(thanked()).toEqual([1, 1, 0]);
					// The run stopped at the first failing item, Ivan's, saying it may have gone out and what was done.
					const stored = JSON.stringify((await rest('GET', `executions/${failed.id}`)).body);
					expect(stored).toContain('GREEN-API may have carried out sendMessage, so it was not sent again: it must not run twice.');
					expect(stored).toContain('Done before the node stopped, and not undone: item 0 (chat 79001234567@c.us, message');

					// "Retry with original workflow": Jane's send refused again, so the retry fails too.
					const retried = await rest('POST', `executions/${failed.id}/retry`, { loadWorkflow: false });
					expect([retried.status, retried.body.data.status, retried.body.data.retryOf]).toEqual([200, 'error', failed.id]);
					expect(retried.body.data.data.resultData.error.message).toMatch(/^The monthly quota of the GREEN-API plan is used up/);
					expect(thanked()).toEqual([1, 1, 0]);

					// The plan upgraded, "Retry with currently saved workflow" of that retry: Jane is thanked, nobody else again.
					const again = await rest('POST', `executions/${retried.body.data.id}/retry`, { loadWorkflow: true });
					expect([again.status, again.body.data.status]).toEqual([200, 'success']);
					const items = again.body.data.data.resultData.runData[THANK_NODE].at(-1).data.main[0].map((item: Item) => item.json);
					expect(items.map((item: any) => [item.chatId, item.sendOnceKey, item.sent])).toEqual([
						[ANNA, 'D-9201-thanks', false], // sent in the run: its key held
						[IVAN, 'D-9202-thanks', false], // may have gone out (MAY_HAVE_HAPPENED): its key kept
						[JANE, 'D-9203-thanks', true], // refused twice: its key given back each time
					]);
					expect(thanked()).toEqual([1, 1, 1]);
					expect((await finished(toRetry.id, before + 3)).slice(0, 3).map((run) => [run.status, run.retryOf ?? null])).toEqual([
						['success', retried.body.data.id],
						['error', failed.id],
						['error', null],
					]);
				});

				/**
				 * n8n SIGKILLed in the middle of a keyed bulk run, started again, and the CRM posting the same
				 * deals again: nobody is thanked twice. The price of recording a key before its send (docs/node.md):
				 * the keys claimed but not yet sent when n8n died are skipped by the second run, at most the 200
				 * items a keyed run has in flight. Measured and printed, not hidden.
				 */
				it('n8n killed with SIGKILL mid-run, restarted, the same 300 deals posted again: nobody thanked twice; those left unsent are at most the run’s 200 in flight', async () => {
					const bulk = Array.from({ length: 300 }, (_, index) => ({ deal: `D-K${String(index).padStart(3, '0')}`, customer: 'Bulk', phone: `+7 903 000 ${String(index).padStart(4, '0')}` }));
					const chatOf = (index: number) => `7903000${String(index).padStart(4, '0')}@c.us`;
					const messages = () => bulk.map(({ deal }, index) => thanksFor(chatOf(index), deal).length);
					const sum = (counts: number[]) => counts.reduce((total, count) => total + count, 0);
					const earlier = new Set((await executionsOf(toRetry.id)).map((run) => run.id));
					expect((await post(RETRY_PATH, bulk)).status).toBe(200);
					await waitUntil(() => sum(messages()) >= 50, { timeoutMs: 60000, what: 'The first 50 of the bulk run sent', intervalMs: 5 });
					server.kill('SIGKILL');
					await new Promise((resolve) => server.once('exit', resolve));
					// A request already in the sandbox's socket may still be counted: read once the count has stood still a second.
					let counted = -1;
					await waitUntil(
						async () => {
							const now = sum(messages());
							if (now === counted) return true;
							counted = now;
							await new Promise((resolve) => setTimeout(resolve, 1000));
							return false;
						},
						{ timeoutMs: 30000, what: 'The sandbox took the last requests sent before the kill' },
					);
					const sentBeforeKill = counted;

					({ base, server } = await line.startServer(userFolder, { port: 25000 + Math.floor(Math.random() * 10000) }));
					({ cookie } = await app.signIn(base, { email: 'e2e@example.com', firstName: 'E', lastName: 'E', password: 'E2e-password-1' }));
					await waitUntil(async () => await webhookLive(RETRY_PATH), { timeoutMs: 90000, what: `n8n serves the webhook ${RETRY_PATH} again` });
					expect(sum(messages())).toBe(sentBeforeKill);
					const killed = new Set((await executionsOf(toRetry.id)).map((run) => run.id));
					expect((await post(RETRY_PATH, bulk)).status).toBe(200);
					let again: any;
					await waitUntil(
						async () => {
							again = (await executionsOf(toRetry.id)).find((run) => !killed.has(run.id));
							return again !== undefined && !['new', 'running', 'waiting'].includes(again.status);
						},
						{ timeoutMs: 120000, what: 'The second run finished', detail: () => JSON.stringify(again) },
					);
					expect(again.status).toBe('success');
					expect([...killed].filter((id) => !earlier.has(id))).toHaveLength(1);

					const counts = messages();
					expect(counts.filter((count) => count > 1)).toEqual([]);
					const unsent = counts.filter((count) => count === 0).length;
					expect(unsent).toBeLessThanOrEqual(200);
					console.log(
						`n8n ${line.version} killed mid-run: ${sentBeforeKill} of 300 sent before the kill, ${sum(counts) - sentBeforeKill} by the second run, ${unsent} left unsent under their keys (claimed before the kill), none twice`,
					);
				});

				it("leaves the token in none of n8n's answers here, and nowhere in its database", () => {
					for (const text of [...printed, app.storedData(userFolder)]) {
						expect(text).not.toContain(SANDBOX.token);
						expect(text).not.toContain(encodeURIComponent(SANDBOX.token));
					}
				});
			});
		});

		function simulatorUrl(): string {
			const address = simulator.server.address() as { port: number };
			return `http://127.0.0.1:${address.port}`;
		}
	});
}
