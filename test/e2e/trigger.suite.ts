/**
 * The GREEN-API Trigger through the real n8n server (the pinned n8n on Node 24) with this package
 * installed from its tarball, against the sandbox, which delivers webhooks to n8n as GREEN-API does:
 * the example "A customer wrote to an archived chat" published, activation and deactivation and what
 * they write to the instance, deliveries with and without the secret, and polling mode.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';

import { GreenApiSimulator } from '../../sandbox/simulator';
import { SANDBOX } from '../../sandbox/seed';
import * as app from '../../scripts/n8n-app';
import { waitUntil } from '../../scripts/waitUntil';
import { CLEAR_DELAY_MS } from '../../nodes/GreenApi/trigger/activation';

/* eslint-disable @typescript-eslint/no-explicit-any */

export function triggerSuite(major: '1' | '2'): void {
	const line = app.lineOf(major);

	describe(`on n8n ${line.version}`, () => {
		const ARCHIVED = '442079460958@c.us'; // Oliver Smith, archived in the sandbox
		const INBOX = '79007654321@c.us'; // Ivan Sidorov, in the inbox
		const PORT = 5690 + Math.floor(Math.random() * 200);
		const BASE = `http://127.0.0.1:${PORT}`;
		const example = app.readExample('customer-wrote-to-archived-chat');
		/** Where a published trigger has the instance send: its webhook URL, marked with its workflow. */
		const urlOf = (workflow: any) => `${BASE}/webhook/${workflow.nodes[0].webhookId}/webhook?workflow=${workflow.id}`;
		const WEBHOOK_URL = urlOf(example);
		/** The example again, as another workflow on the same instance, as saved before version 3: the trigger's version 2, Receive By: Webhook. */
		const second = {
			...example,
			id: 'greenApiTrigger2',
			name: 'Archived chats, a second workflow',
			nodes: example.nodes.map((node: any, index: number) =>
				index === 0 ? { ...node, id: 'second-trigger', typeVersion: 2, webhookId: '5e1f2c0a-3a1b-4c9e-8f0d-7b2a6c4d9e03', parameters: { receiveBy: 'webhook', ...node.parameters } } : node,
			),
		};
		const EVERY_MINUTE = { item: [{ mode: 'everyMinute' }] };
		/** The same trigger polling, as saved before version 3 (version 2, Receive By: Polling): for an n8n GREEN-API cannot reach. */
		const polling = {
			...example,
			id: 'greenApiPolling1',
			name: 'Archived chats, polled',
			nodes: example.nodes.map((node: any, index: number) =>
				index === 0
					? { ...node, id: 'poll-trigger', typeVersion: 2, webhookId: '5e1f2c0a-3a1b-4c9e-8f0d-7b2a6c4d9e02', parameters: { ...node.parameters, receiveBy: 'polling', pollTimes: EVERY_MINUTE } }
					: node,
			),
		};
		/** The same again with the GREEN-API Polling Trigger, a node of its own (no webhook, no Receive By). */
		const pollingNode = {
			...example,
			id: 'greenApiPollNew1',
			name: 'Archived chats, polled by the Polling Trigger',
			nodes: example.nodes.map((node: any, index: number) => {
				if (index !== 0) return node;
				const { webhookId: _webhookId, ...rest } = node;
				return {
					...rest,
					id: 'poll-node',
					name: 'A customer wrote to an archived chat',
					type: 'n8n-nodes-green-api.greenApiPollingTrigger',
					typeVersion: 1,
					parameters: { ...node.parameters, pollTimes: EVERY_MINUTE },
				};
			}),
		};

		let userFolder: string;
		let simulator: GreenApiSimulator;
		let server: ChildProcess | undefined;
		let cookie = '';
		const printed: string[] = [];
		/** Every webhook secret the trigger wrote to the instance, for the no-secret check. */
		const secrets = new Set<string>();

		const settings = () => simulator.notifications.inbox(SANDBOX.idInstance).settings;
		const settingsWrites = () => simulator.requests.filter((request) => request.method === 'setSettings').length;
		const getSettingsReads = () => simulator.requests.filter((request) => request.method === 'getSettings').length;
		const chats = () => simulator.instance(SANDBOX.idInstance).chats;

		/**
		 * n8n's REST API, as the editor calls it. A read n8n fails with an HTML page (its web framework's
		 * own error page: a fault inside n8n, e.g. its SQLite busy right after a restart, not an answer of
		 * its API) is asked again, twice at most; anything else that is not JSON fails the test with
		 * what n8n answered and the tail of its log.
		 */
		async function rest(method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> {
			for (let attempt = 1; ; attempt++) {
				const response = await fetch(`${BASE}/rest/${route}`, {
					method,
					headers: { 'Content-Type': 'application/json', cookie },
					body: body === undefined ? undefined : JSON.stringify(body),
				});
				const text = await response.text();
				printed.push(text);
				try {
					return { status: response.status, body: text ? JSON.parse(text) : undefined };
				} catch {
					const answer = `n8n answered ${method} /rest/${route} with HTTP ${response.status}, not JSON: ${text.slice(0, 400)}`;
					if (method === 'GET' && attempt < 3) {
						console.warn(`${answer} (asking again)`);
						await new Promise((resolve) => setTimeout(resolve, 1000));
						continue;
					}
					const log = fs.readFileSync(path.join(userFolder, 'n8n.log'), 'utf8').split('\n').slice(-40).join('\n');
					throw new Error(`${answer}\n--- the end of n8n's log ---\n${log}`);
				}
			}
		}

		async function executions(workflowId: string): Promise<any[]> {
			const { body } = await rest('GET', `executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
			return body.data.results;
		}

		/** An execution with its data, as n8n stored it. */
		async function execution(id: string): Promise<any> {
			const { body } = await rest('GET', `executions/${id}`);
			return JSON.parse(body.data.data);
		}

		/** n8n 2.41's durable poll cursors, on for the next start (docs/trigger.md names the settings). */
		let durableCursors = false;
		const DURABLE_CURSORS = { N8N_SCHEDULER_ENABLED: 'true', N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true', N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true', N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true' };

		async function startN8n() {
			const logFile = fs.openSync(path.join(userFolder, 'n8n.log'), 'a');
			({ server } = await line.startServer(userFolder, {
				port: PORT,
				env: { N8N_WEBHOOK_URL: `${BASE}/`, WEBHOOK_URL: `${BASE}/`, N8N_LOG_LEVEL: 'debug', ...(durableCursors ? DURABLE_CURSORS : {}) },
				output: logFile,
			}));
			({ cookie } = await app.signIn(BASE, { email: 'owner@example.com', firstName: 'Owner', lastName: 'Test', password: 'Sandbox-Passw0rd' }));
		}

		async function stopN8n() {
			const stopped = new Promise((resolve) => server?.once('exit', resolve));
			server?.kill('SIGTERM');
			await stopped;
			server = undefined;
		}

		/**
		 * Activates or deactivates a workflow through the REST API, as the editor does, and waits until
		 * n8n is done: whether its trigger is live, and what n8n said when it is not. The lines differ:
		 * n8n 2.x publishes in the background (its publication status says when it is done, and why it
		 * failed); 1.x activates within the request and answers 400 with the reason.
		 */
		async function setActive(workflowId: string, active: boolean): Promise<{ active: boolean; failure: string }> {
			const { body } = await rest('GET', `workflows/${workflowId}`);
			const answer = await rest('POST', `workflows/${workflowId}/${active ? 'activate' : 'deactivate'}`, active ? { versionId: body.data.versionId } : {});
			if (line.major === '1') return answer.status === 200 ? { active, failure: '' } : { active: false, failure: JSON.stringify(answer.body) };
			expect(answer.status).toBe(200);
			let status: any;
			await waitUntil(
				async () => {
					status = (await rest('GET', `workflows/${workflowId}/publication-status`)).body.data;
					return status.status !== 'in_progress' && (active ? status.triggers.length > 0 : status.status === 'not_published');
				},
				{ timeoutMs: 90000, what: `n8n finished ${active ? 'publishing' : 'unpublishing'}`, intervalMs: 500, detail: () => JSON.stringify(status) },
			);
			if (!active) return { active: false, failure: '' };
			const published = status.status === 'published';
			return { active: published, failure: published ? '' : JSON.stringify(status.triggers) };
		}

		const instanceSettled = async () => await waitUntil(() => !simulator.notifications.restarting(SANDBOX.idInstance), { timeoutMs: 10000, what: 'The sandbox instance finished restarting', intervalMs: 100 });

		beforeAll(async () => {
			await line.ensureN8n();
			userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'green-api-trigger-e2e-'));
			await app.installPackage(userFolder, await app.packPackage(path.join(userFolder, 'pack')));
			simulator = new GreenApiSimulator({ notifications: { rebootMs: 1500, resendAfterMs: 1000 } });
			simulator.addInstance(SANDBOX);
			const apiUrl = await simulator.start(0);
			await line.importFixtures(userFolder, { apiUrl, idInstance: SANDBOX.idInstance, token: SANDBOX.token }, [example, polling, second, pollingNode]);
			// Active (2.x: published) before n8n starts, as a user's workflow is when n8n (re)starts.
			await line.activate(userFolder, example.id);
			await startN8n();
			await waitUntil(() => settings().webhookUrl === WEBHOOK_URL, { timeoutMs: 60000, what: 'n8n activated the trigger (the instance sends to its webhook URL)' });
			await instanceSettled();
		});

		afterAll(async () => {
			await stopN8n();
			await simulator?.stop();
			if (userFolder) fs.rmSync(userFolder, { recursive: true, force: true });
		});

		describe('the published example: "A customer wrote to an archived chat"', () => {
			it('activation wrote this workflow’s URL, a secret token and the incoming-message switch, once', () => {
				expect(settingsWrites()).toBe(1);
				expect(settings()).toMatchObject({ webhookUrl: WEBHOOK_URL, incomingWebhook: 'yes', outgoingWebhook: 'no' });
				expect(String(settings().webhookUrlToken)).toMatch(/^[A-Za-z0-9]{40}$/);
				secrets.add(String(settings().webhookUrlToken));
			});

			it('n8n keeps what activation noted: the example’s static data, read back from n8n’s database, holds the switch it turned on', async () => {
				const { body } = await rest('GET', `workflows/${example.id}`);
				expect(body.data.staticData).toMatchObject({ 'node:A customer wrote to an archived chat': { switchedOn: ['incomingWebhook'] } });
				// In n8n's database file itself, not only in what the REST API answers.
				expect(app.storedData(userFolder)).toContain('"switchedOn":["incomingWebhook"]');
			});

			it('a message to an archived chat: exactly one execution, the chat unarchived, the team told', async () => {
				expect(chats().get(ARCHIVED)?.archived).toBe(true);
				const { idMessage } = simulator.notifications.message(simulator.instance(SANDBOX.idInstance), { chatId: ARCHIVED, text: 'Hello, is my order ready?' });
				await waitUntil(async () => (await executions(example.id)).some((run) => run.status === 'success'), { timeoutMs: 30000, what: 'The execution finished', intervalMs: 300 });
				const runs = await executions(example.id);
				expect(runs).toHaveLength(1);
				expect(chats().get(ARCHIVED)?.archived).toBe(false);
				const stored = JSON.stringify(await execution(runs[0].id));
				expect(stored).toContain(idMessage);
				expect(stored).toContain('Oliver Smith wrote again in an archived chat: \\"Hello, is my order ready?\\". The chat is back in the inbox.');
				expect(simulator.notifications.inbox(SANDBOX.idInstance).deliveries.map((delivery) => [delivery.idMessage, delivery.status])).toEqual([[idMessage, 200]]);
			});

			it('a message to a chat in the inbox: answered 200, no execution', async () => {
				const before = (await executions(example.id)).length;
				const { idMessage } = simulator.notifications.message(simulator.instance(SANDBOX.idInstance), { chatId: INBOX, text: 'not archived' });
				await waitUntil(() => simulator.notifications.inbox(SANDBOX.idInstance).deliveries.some((delivery) => delivery.idMessage === idMessage), {
					timeoutMs: 15000,
					what: 'The delivery was answered',
				});
				expect(simulator.notifications.inbox(SANDBOX.idInstance).deliveries.find((delivery) => delivery.idMessage === idMessage)?.status).toBe(200);
				expect((await executions(example.id)).length).toBe(before);
			});

			it('a delivery without the token, or with a wrong one: 401, nothing started', async () => {
				const before = (await executions(example.id)).length;
				const body = JSON.stringify({
					typeWebhook: 'incomingMessageReceived',
					instanceData: { idInstance: Number(SANDBOX.idInstance) },
					timestamp: 1700000000,
					idMessage: 'FORGED',
					senderData: { chatId: ARCHIVED },
					messageData: { typeMessage: 'textMessage', textMessageData: { textMessage: 'forged' } },
				});
				for (const headers of [{}, { Authorization: 'Bearer not-the-secret' }, { Authorization: `Bearer ${SANDBOX.token}` }] as Array<Record<string, string>>) {
					const response = await fetch(WEBHOOK_URL, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
					expect(response.status).toBe(401);
				}
				await new Promise((resolve) => setTimeout(resolve, 1000));
				expect((await executions(example.id)).length).toBe(before);
			});

			/** A delivery as GREEN-API makes it, with the trigger's secret; its status. */
			async function deliver(body: object): Promise<number> {
				const response = await fetch(WEBHOOK_URL, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${settings().webhookUrlToken}` },
					body: JSON.stringify(body),
				});
				await response.arrayBuffer();
				return response.status;
			}
			const incoming = (idMessage: string, text: string, extra: object = {}) => ({
				typeWebhook: 'incomingMessageReceived',
				instanceData: { idInstance: Number(SANDBOX.idInstance), wid: '79990000000@c.us', typeInstance: 'whatsapp' },
				timestamp: Math.floor(Date.now() / 1000),
				idMessage,
				senderData: { chatId: ARCHIVED, chatName: 'Oliver Smith', sender: ARCHIVED, senderName: 'Oliver Smith' },
				messageData: { typeMessage: 'textMessage', textMessageData: { textMessage: text } },
				...extra,
			});
			const settledRuns = async (count: number) =>
				await waitUntil(async () => (await executions(example.id)).filter((run) => run.status !== 'running' && run.status !== 'new').length >= count, {
					timeoutMs: 30000,
					what: `${count} executions finished`,
					intervalMs: 300,
				});

			it('a delivery sent twice (GREEN-API resending after a late answer): both answered 200, one execution', async () => {
				const before = (await executions(example.id)).length;
				chats().get(ARCHIVED)!.archived = true;
				const body = incoming(`E2ETWICE${major}`, 'Sent twice');
				expect(await Promise.all([deliver(body), deliver(body)])).toEqual([200, 200]);
				expect(await deliver(body)).toBe(200);
				await settledRuns(before + 1);
				await new Promise((resolve) => setTimeout(resolve, 1500));
				expect((await executions(example.id)).length).toBe(before + 1);
			});

			it('a notification with a time no date can hold, then a good one: both answered 200, both start the workflow, the first saying what was wrong', async () => {
				const before = (await executions(example.id)).length;
				chats().get(ARCHIVED)!.archived = true;
				expect(await deliver(incoming(`E2EBROKEN${major}`, 'Broken time', { timestamp: 1e20 }))).toBe(200);
				await settledRuns(before + 1);
				chats().get(ARCHIVED)!.archived = true;
				expect(await deliver(incoming(`E2EGOOD${major}`, 'Good time'))).toBe(200);
				await settledRuns(before + 2);
				const runs = await executions(example.id);
				const stored = await Promise.all(runs.slice(0, 2).map(async (run) => JSON.stringify(await execution(run.id))));
				expect(stored.some((text) => text.includes('could not be read in full: its timestamp 100000000000000000000 is no time'))).toBe(true);
				expect(stored.some((text) => text.includes('Good time'))).toBe(true);
			});

			it('a notification of a kind the trigger does not know, under Only Chats in the Archive: answered 200, nothing started', async () => {
				const before = (await executions(example.id)).length;
				chats().get(ARCHIVED)!.archived = true;
				expect(await deliver({ typeWebhook: 'incomingBlock', instanceData: { idInstance: Number(SANDBOX.idInstance) }, timestamp: 1700000000, chatId: ARCHIVED })).toBe(200);
				await new Promise((resolve) => setTimeout(resolve, 1500));
				expect((await executions(example.id)).length).toBe(before);
			});

			it('n8n restarted: the trigger goes on receiving, and nothing is written to the instance (no restart of it)', async () => {
				const writes = settingsWrites();
				// Handled just before n8n stops, and sent again after it started (GREEN-API resending a delivery it saw no answer to).
				chats().get(ARCHIVED)!.archived = true;
				const body = incoming(`E2ERESTART${major}`, 'Handled before the stop');
				const started = (await executions(example.id)).length;
				expect(await deliver(body)).toBe(200);
				await settledRuns(started + 1);
				const kept = (await rest('GET', `workflows/${example.id}`)).body.data.staticData;
				await stopN8n();
				await startN8n();
				chats().get(ARCHIVED)!.archived = true;
				expect(await deliver(body)).toBe(200);
				await new Promise((resolve) => setTimeout(resolve, 2000));
				await settledRuns(started + 1);
				if (line.major === '1') {
					// n8n 1.x saved the static data the delivery wrote: the copy starts nothing.
					expect(JSON.stringify(kept)).toContain(`E2ERESTART${major}`);
					expect((await executions(example.id)).length).toBe(started + 1);
				} else {
					// n8n 2.41 does not save static data written by a delivery that starts an execution
					// (WorkflowRunner.run resets the change flag before the save): the copy starts the workflow again.
					expect(JSON.stringify(kept)).not.toContain(`E2ERESTART${major}`);
					await settledRuns(started + 2);
					expect((await executions(example.id)).length).toBe(started + 2);
				}
				const before = (await executions(example.id)).length;
				chats().get(ARCHIVED)!.archived = true;
				simulator.notifications.message(simulator.instance(SANDBOX.idInstance), { chatId: ARCHIVED, text: 'After the restart' });
				await waitUntil(async () => (await executions(example.id)).length > before, { timeoutMs: 60000, what: 'The execution after the restart', intervalMs: 500 });
				// Finished, not only started: the chat is unarchived by the workflow's second node.
				await settledRuns(before + 1);
				expect(chats().get(ARCHIVED)?.archived).toBe(false);
				expect(settingsWrites()).toBe(writes);
			});

			it('republished after a filter edit: no setSettings (no restart of the instance), and it still sends here', async () => {
				const writes = settingsWrites();
				const { body } = await rest('GET', `workflows/${example.id}`);
				const nodes = body.data.nodes.map((node: any) =>
					node.type === 'n8n-nodes-green-api.greenApiTrigger' ? { ...node, parameters: { ...node.parameters, filters: { ...node.parameters.filters, chatType: 'user' } } } : node,
				);
				const saved = await rest('PATCH', `workflows/${example.id}`, { ...body.data, nodes });
				expect(saved.status).toBe(200);
				// 2.x publishes the saved version (n8n unpublishes, then publishes); 1.x re-activated the workflow on saving.
				if (line.major === '2') expect(await setActive(example.id, true)).toEqual({ active: true, failure: '' });
				await new Promise((resolve) => setTimeout(resolve, CLEAR_DELAY_MS + 2000));
				expect(settingsWrites()).toBe(writes);
				expect(settings()).toMatchObject({ webhookUrl: WEBHOOK_URL, incomingWebhook: 'yes' });
				chats().get(ARCHIVED)!.archived = true;
				const before = (await executions(example.id)).length;
				simulator.notifications.message(simulator.instance(SANDBOX.idInstance), { chatId: ARCHIVED, text: 'After the republish' });
				await waitUntil(async () => (await executions(example.id)).length > before, { timeoutMs: 30000, what: 'The execution after the republish', intervalMs: 300 });
			});

			it('Fetch Test Event (the editor’s test of the trigger): the newest archived-chat message, from the journal; nothing written, the published workflow keeps the instance', async () => {
				const writes = settingsWrites();
				chats().get(ARCHIVED)!.archived = true;
				const idMessage = `JOURNAL${Date.now()}`;
				// In the journal only (no delivery): what the test shows can only have come from there.
				simulator.notifications.record(
					SANDBOX.idInstance,
					{ type: 'incoming', idMessage, timestamp: Math.floor(Date.now() / 1000), typeMessage: 'textMessage', chatId: ARCHIVED, textMessage: 'Seen in the journal', senderName: 'Oliver Smith' },
					0,
				);
				const before = new Set((await executions(example.id)).map((run) => run.id));
				const { body } = await rest('GET', `workflows/${example.id}`);
				const trigger = example.nodes[0].name;
				// As the editor's test button asks (both lines): run up to and including the trigger.
				const destinationNode = { nodeName: trigger, mode: 'inclusive' };
				const started = await rest('POST', `workflows/${example.id}/run`, { workflowData: body.data, destinationNode, triggerToStartFrom: { name: trigger } });
				expect(started.status).toBe(200);
				let run: any;
				await waitUntil(
					async () => {
						run = (await executions(example.id)).find((each) => !before.has(each.id) && each.mode === 'manual' && each.status !== 'running' && each.status !== 'new');
						return run !== undefined;
					},
					{ timeoutMs: 60000, what: 'The test run', intervalMs: 500 },
				);
				const stored = JSON.stringify(await execution(run.id));
				expect(run.status).toBe('success');
				expect(stored).toContain(idMessage);
				expect(stored).toContain('Seen in the journal');
				expect(settingsWrites()).toBe(writes);
				expect(settings().webhookUrl).toBe(WEBHOOK_URL);
				// Only the trigger ran: the chat was not unarchived by the test.
				expect(chats().get(ARCHIVED)?.archived).toBe(true);
			});

			it('deactivation clears only what is still this trigger’s', async () => {
				settings().stateWebhook = 'yes'; // another system's switch
				expect(await setActive(example.id, false)).toEqual({ active: false, failure: '' });
				// What activation noted (it turned incoming messages on) is in the static data n8n saved: the switch goes off again.
				const incomingWebhook = 'no';
				// The clear waits a few seconds, in case n8n publishes the workflow again (a republish).
				await waitUntil(() => settings().webhookUrl === '', { timeoutMs: CLEAR_DELAY_MS + 5000, what: 'the delayed clear' });
				expect(settings()).toMatchObject({ webhookUrl: '', webhookUrlToken: '', incomingWebhook, stateWebhook: 'yes' });
				await instanceSettled();
			});

			it('activation while the instance sends to another system: refused, naming its host; the settings untouched', async () => {
				Object.assign(settings(), { webhookUrl: 'https://crm.example.com/green-api/hook?key=private', webhookUrlToken: 'theirs', incomingWebhook: 'yes' });
				const writes = settingsWrites();
				const before = { ...settings() };
				const { active, failure } = await setActive(example.id, true);
				expect(active).toBe(false);
				expect(failure).toContain('already sends its notifications to https://crm.example.com, not to this trigger');
				expect(failure).not.toContain('key=private');
				expect(settings()).toEqual(before);
				expect(settingsWrites()).toBe(writes);
			});

			it('activation while the instance already sends here with this trigger’s secret: nothing written', async () => {
				expect(await setActive(example.id, false)).toEqual({ active: false, failure: '' });
				Object.assign(settings(), { webhookUrl: WEBHOOK_URL, webhookUrlToken: [...secrets][0], incomingWebhook: 'yes' });
				const writes = settingsWrites();
				const reads = getSettingsReads();
				expect(await setActive(example.id, true)).toEqual({ active: true, failure: '' });
				expect(getSettingsReads()).toBeGreaterThan(reads);
				expect(settingsWrites()).toBe(writes);
				expect(await setActive(example.id, false)).toEqual({ active: false, failure: '' });
				await waitUntil(() => settings().webhookUrl === '', { timeoutMs: CLEAR_DELAY_MS + 5000, what: 'the delayed clear' });
				await instanceSettled();
			});

			it('two workflows on one instance, published at the same moment: one takes it, the other is refused naming the first', async () => {
				const writes = settingsWrites();
				const outcomes = await Promise.all([setActive(example.id, true), setActive(second.id, true)]);
				expect(outcomes.filter((outcome) => outcome.active)).toHaveLength(1);
				const [winner, refused] = outcomes[0].active ? [example, outcomes[1]] : [second, outcomes[0]];
				expect(refused.failure).toContain(`already sends its notifications to another workflow on this n8n: ${BASE}/workflow/${winner.id}, not to this trigger`);
				expect(settings().webhookUrl).toBe(urlOf(winner));
				expect(settingsWrites()).toBe(writes + 1);
				expect(await setActive(winner.id, false)).toEqual({ active: false, failure: '' });
				await waitUntil(() => settings().webhookUrl === '', { timeoutMs: CLEAR_DELAY_MS + 5000, what: 'the delayed clear' });
				await instanceSettled();
			});
		});

		describe('polling mode: the journals, from a cursor', () => {
			const journalRequests = () => simulator.requests.filter((request) => request.method === 'lastIncomingMessages');
			/** The polled executions' data, as n8n stored it. */
			const polledData = async () => await Promise.all((await executions(polling.id)).map(async (run) => JSON.stringify(await execution(run.id))));

			it('each message after activation once; nothing is taken from GREEN-API; no settings written', async () => {
				settings().incomingWebhook = 'yes';
				const writes = settingsWrites();
				expect(await setActive(polling.id, true)).toEqual({ active: true, failure: '' });
				chats().get(ARCHIVED)!.archived = true;
				simulator.notifications.message(simulator.instance(SANDBOX.idInstance), { chatId: INBOX, text: 'inbox, polled' });
				const { idMessage } = simulator.notifications.message(simulator.instance(SANDBOX.idInstance), { chatId: ARCHIVED, text: 'archived, polled' });
				// Poll Times: every minute.
				await waitUntil(async () => (await executions(polling.id)).some((run) => run.status === 'success'), { timeoutMs: 90000, what: 'The polled execution finished', intervalMs: 1000 });
				await new Promise((resolve) => setTimeout(resolve, 1000));
				const data = await polledData();
				expect(data).toHaveLength(1);
				expect(data[0]).toContain(idMessage);
				expect(data[0]).not.toContain('inbox, polled');
				expect(chats().get(ARCHIVED)?.archived).toBe(false);
				expect(simulator.notifications.inbox(SANDBOX.idInstance).journals.incoming.length).toBeGreaterThanOrEqual(2);
				expect(settingsWrites()).toBe(writes);
			});

			/**
			 * Kills n8n with SIGKILL while a poll waits for the journal, writes a message while n8n is down,
			 * and starts n8n again: every message reaches the workflow exactly once. Resolves with the static
			 * data n8n had saved of the workflow before the kill and after.
			 */
			async function killMidPoll(): Promise<{ before: any; after: any }> {
				const earlier = await polledData();
				const write = (text: string) => {
					chats().get(ARCHIVED)!.archived = true;
					return simulator.notifications.message(simulator.instance(SANDBOX.idInstance), { chatId: ARCHIVED, text }).idMessage;
				};
				const ids = [0, 1, 2].map((i) => write(`before the kill ${i}`));
				// The next poll's journal read is answered only after 30 s: n8n is killed while it waits.
				const asked = journalRequests().length;
				simulator.script(SANDBOX.idInstance, 'lastIncomingMessages', [{ delayMs: 30000 }]);
				await waitUntil(() => journalRequests().length > asked, { timeoutMs: 90000, what: 'A poll reading the journal', intervalMs: 100 });
				const before = (await rest('GET', `workflows/${polling.id}`)).body.data.staticData;
				server?.kill('SIGKILL');
				await new Promise((resolve) => server?.once('exit', resolve));
				server = undefined;
				ids.push(write('while n8n was down'));
				await startN8n();
				const reached = async () => {
					const data = await polledData();
					return ids.every((id) => data.some((text) => text.includes(id)));
				};
				await waitUntil(reached, { timeoutMs: 240000, what: 'Every message reached the workflow after the restart', intervalMs: 1000 });
				await new Promise((resolve) => setTimeout(resolve, 2000));
				const data = await polledData();
				// Each message in exactly one execution, the ones polled before the kill included.
				expect(ids.map((id) => data.filter((text) => text.includes(id)).length)).toEqual([1, 1, 1, 1]);
				expect(data.length).toBe(earlier.length + 1);
				return { before, after: (await rest('GET', `workflows/${polling.id}`)).body.data.staticData };
			}

			// With n8n's defaults one window remains, which a kill cannot be aimed at: n8n saves the cursor
			// (without waiting) while it creates the poll's execution, so a kill in the milliseconds between
			// the two loses that poll's messages or runs them twice. Durable poll cursors (2.41, below) close it.
			it('n8n killed with SIGKILL in the middle of a poll: after a restart every message reaches the workflow (those that came while n8n was down too), and none comes twice', async () => {
				const { before } = await killMidPoll();
				// The cursor is in the static data n8n saved (a workflow ID n8n keeps: 1.x as 2.x).
				expect(before).toMatchObject({ 'node:A customer wrote to an archived chat': { journalCursor: expect.any(Object) } });
				expect(await setActive(polling.id, false)).toEqual({ active: false, failure: '' });
			}, 480000);

			if (major === '2') {
				it('with n8n 2.41’s durable poll cursors: the same, and the cursor is n8n’s own (committed with each execution), not the workflow’s static data', async () => {
					await stopN8n();
					durableCursors = true;
					await startN8n();
					expect(await setActive(polling.id, true)).toEqual({ active: true, failure: '' });
					const { before, after } = await killMidPoll();
					// n8n seeded its cursor from the static data once; polls since moved only n8n's own copy.
					expect(after).toEqual(before);
					expect(fs.readFileSync(path.join(userFolder, 'n8n.log'), 'utf8')).not.toContain('durable poll cursors stay disabled');
					expect(await setActive(polling.id, false)).toEqual({ active: false, failure: '' });
					await stopN8n();
					durableCursors = false;
					await startN8n();
				}, 600000);
			}
		});

		describe('the GREEN-API Polling Trigger, a node of its own', () => {
			it('each message after activation once, from the journals; nothing written to the instance', async () => {
				// One polling workflow at a time: the one saved with version 2 stops.
				expect(await setActive(polling.id, false)).toEqual({ active: false, failure: '' });
				settings().incomingWebhook = 'yes';
				const writes = settingsWrites();
				expect(await setActive(pollingNode.id, true)).toEqual({ active: true, failure: '' });
				// n8n polls once at activation: the cursor starts there. Then a message to an archived chat.
				await waitUntil(async () => JSON.stringify((await rest('GET', `workflows/${pollingNode.id}`)).body.data.staticData ?? {}).includes('journalCursor'), {
					timeoutMs: 60000,
					what: 'The Polling Trigger started its cursor',
					intervalMs: 1000,
				});
				chats().get(ARCHIVED)!.archived = true;
				const { idMessage } = simulator.notifications.message(simulator.instance(SANDBOX.idInstance), { chatId: ARCHIVED, text: 'archived, polled by the node' });
				await waitUntil(async () => (await executions(pollingNode.id)).some((run) => run.status === 'success'), { timeoutMs: 90000, what: 'The polled execution finished', intervalMs: 1000 });
				await new Promise((resolve) => setTimeout(resolve, 1000));
				const runs = await executions(pollingNode.id);
				expect(runs).toHaveLength(1);
				const data = JSON.stringify(await execution(runs[0].id));
				expect(data).toContain(idMessage);
				expect(chats().get(ARCHIVED)?.archived).toBe(false);
				expect(settingsWrites()).toBe(writes);
				expect(await setActive(pollingNode.id, false)).toEqual({ active: false, failure: '' });
			}, 240000);
		});

		describe('secrets', () => {
			it('neither the API token nor the webhook secret is in any REST answer, log line or stored execution', () => {
				const log = fs.readFileSync(path.join(userFolder, 'n8n.log'), 'utf8');
				// n8n's whole database: executions, and the workflow with its static data (which holds no secret: it is derived from the token, never stored).
				const stored = app.storedData(userFolder);
				expect(log.length).toBeGreaterThan(0);
				expect(secrets.size).toBeGreaterThan(0);
				for (const text of [log, stored, ...printed]) {
					expect(text).not.toContain(SANDBOX.token);
					for (const secret of secrets) expect(text).not.toContain(secret);
				}
			});
		});
	});
}
