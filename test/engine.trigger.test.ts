/**
 * The GREEN-API Trigger in n8n-core's own contexts against the simulator over loopback HTTP:
 * activation and deactivation (what is written to the instance's settings, and when nothing is),
 * webhook deliveries from the simulator (the secret, bad bodies, other instances, events, filters,
 * the archive state kept to getChats' 1 per second), polling (drain, delete, a webhook URL in the
 * way, a test fetch), and no token or secret anywhere.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { GreenApiSimulator } from '../sandbox/simulator';
import { logLines, POLLING_TRIGGER_TYPE, TRIGGER_TYPE } from './harness/engine';
import { triggerHarness, type Delivered, type TriggerHarness } from './harness/trigger';
import { ID_INSTANCE, TOKEN } from './helpers/fixture';
import { waitUntil } from '../scripts/waitUntil';
import { webhookSecret } from '../nodes/GreenApi/transport/webhookSecret';
import { CREDENTIAL_REUSE_MS } from '../nodes/GreenApi/trigger/instance';
import { MAX_PER_POLL } from '../nodes/GreenApi/trigger/polling';
import { CLEAR_DELAY_MS } from '../nodes/GreenApi/trigger/activation';
import { GreenApiPollingTrigger } from '../nodes/GreenApi/GreenApiPollingTrigger.node';
import { GreenApiTrigger } from '../nodes/GreenApi/GreenApiTrigger.node';

const ARCHIVED = '79001234567@c.us';
const INBOX = '79007654321@c.us';
const GROUP = '120363043968066561@g.us';

interface TriggerFixture {
	simulator: GreenApiSimulator;
	harness: TriggerHarness;
	/** Every delivery n8n's stand-in answered, in order. */
	delivered: Delivered[];
	/** Every request to the test webhook URL ("Fetch Test Event"), as answered. */
	testRequests: Delivered[];
	/** Another workflow with this trigger, on the same n8n and instance; with `staticData`, as n8n saved it (a restart). */
	anotherWorkflow(parameters?: INodeParameters, staticData?: IDataObject): TriggerHarness;
	/** A customer writes (through the simulator, which then delivers or queues it). */
	write(chatId: string, text?: string, extra?: IDataObject): Promise<string>;
	settings(): Record<string, unknown>;
	requestsTo(method: string): number;
	stop(): Promise<void>;
}

/** Everything the tests of this file saw, checked for the token and the webhook secret at the end. */
const seen: string[] = [];

async function startTrigger(parameters: INodeParameters = {}, idInstance = ID_INSTANCE, nodeType?: { type: string; version: number }): Promise<TriggerFixture> {
	const simulator = new GreenApiSimulator({ notifications: { rebootMs: 50, resendAfterMs: 50, maxAttempts: 3 } });
	simulator.addInstance({
		idInstance,
		token: TOKEN,
		chats: [
			{ chatId: ARCHIVED, name: 'Anna Petrova', archived: true },
			{ chatId: INBOX, name: 'Ivan Sidorov' },
			{ chatId: GROUP, name: 'Acme buyers', archived: true },
		],
	});
	const apiUrl = await simulator.start();
	const delivered: Delivered[] = [];
	const testRequests: Delivered[] = [];
	// n8n's webhook endpoint, as far as the trigger sees it: each POST goes to its webhook() in a WebhookContext.
	let harness: TriggerHarness | undefined;
	const receiver = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let body: unknown = text;
			try {
				body = JSON.parse(text);
			} catch {
				// A body that is no JSON goes to the trigger as it came.
			}
			const test = (req.url ?? '').startsWith('/webhook-test/');
			harness!
				.deliver(body, req.headers as Record<string, string>, test)
				.then((answer) => {
					(test ? testRequests : delivered).push(answer);
					seen.push(JSON.stringify(answer));
					res.writeHead(answer.status, { 'Content-Type': 'application/json' });
					res.end(JSON.stringify(answer.body ?? { message: 'Workflow was started' }));
				})
				.catch((error: Error) => {
					seen.push(`${error.message} ${(error as { description?: string }).description ?? ''}`);
					res.writeHead(500);
					res.end();
				});
		});
	});
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
	const credential = { apiUrl, idInstance, apiTokenInstance: TOKEN };
	harness = triggerHarness({ events: ['incomingMessage'], ...parameters }, credential, base, {}, nodeType);
	return {
		simulator,
		harness,
		delivered,
		testRequests,
		anotherWorkflow: (more = {}, staticData = {}) => triggerHarness({ events: ['incomingMessage'], ...more }, credential, base, staticData),
		write: async (chatId, text = 'Hello again', extra = {}) => simulator.notifications.message(simulator.instance(idInstance), { chatId, text, ...extra }).idMessage,
		settings: () => simulator.notifications.inbox(idInstance).settings,
		requestsTo: (method) => simulator.requests.filter((request) => request.method === method).length,
		stop: async () => {
			await simulator.stop();
			receiver.closeAllConnections();
			await new Promise((resolve) => receiver.close(resolve));
		},
	};
}

/** A notification as the simulator makes it, not sent: the test delivers it itself, as often as it needs. */
function undelivered(fixture: TriggerFixture, chatId: string, text = 'x'): IDataObject {
	const settings = fixture.settings();
	const url = settings.webhookUrl;
	settings.webhookUrl = ''; // queued, not delivered
	try {
		return fixture.simulator.notifications.message(fixture.simulator.instance(ID_INSTANCE), { chatId, text }).body as IDataObject;
	} finally {
		settings.webhookUrl = url;
	}
}

/** Activation as n8n does it: create only when checkExists says the webhook is not there. */
async function activate(fixture: TriggerFixture, test = false) {
	if (!(await fixture.harness.hook('checkExists', test))) await fixture.harness.hook('create', test);
}

async function settled(fixture: TriggerFixture, count: number) {
	await waitUntil(() => fixture.delivered.length >= count, { timeoutMs: 15000, what: `${count} deliveries answered`, intervalMs: 20 });
}

afterEach(() => {
	// After each test, so that a leak fails the test that made it: nothing the node answered, output or logged holds the token or a webhook secret.
	const all = [...seen.splice(0), logLines.splice(0).join('\n')].join('\n');
	expect(all).not.toContain(TOKEN);
	for (const secret of secrets) expect(all).not.toContain(secret);
});
const secrets: string[] = [];

describe('activation: what is written to the instance, and when nothing is', () => {
	let fixture: TriggerFixture;
	beforeEach(async () => {
		fixture = await startTrigger();
	});
	afterEach(async () => await fixture.stop());

	it('an instance with no webhook URL: one setSettings with this URL, a secret token and the chosen switches', async () => {
		await activate(fixture);
		expect(fixture.requestsTo('setSettings')).toBe(1);
		const secret = fixture.settings().webhookUrlToken as string;
		secrets.push(secret);
		// Derived from the API token and the node's webhook ID; n8n keeps only which switches the trigger turned on.
		expect(secret).toBe(await webhookSecret({ apiTokenInstance: TOKEN }, fixture.harness.node.webhookId!));
		expect(fixture.harness.staticData()).toEqual({ switchedOn: ['incomingWebhook'] });
		expect(fixture.settings()).toMatchObject({ webhookUrl: fixture.harness.url(), incomingWebhook: 'yes', outgoingWebhook: 'no' });
		const written = JSON.parse(fixture.simulator.requests.find((request) => request.method === 'setSettings')!.body);
		expect(Object.keys(written).sort()).toEqual(['incomingWebhook', 'webhookUrl', 'webhookUrlToken']);
	});

	it('activated again (n8n restarted): checkExists finds it in place and nothing is written, so no restart', async () => {
		await activate(fixture);
		await waitUntil(() => !fixture.simulator.notifications.restarting(ID_INSTANCE), { timeoutMs: 2000, what: 'restart over' });
		expect(await fixture.harness.hook('checkExists')).toBe(true);
		await activate(fixture);
		expect(fixture.requestsTo('setSettings')).toBe(1);
	});

	it('an instance that sends to another system: refused, naming its host and what to do; settings unchanged', async () => {
		Object.assign(fixture.settings(), { webhookUrl: 'https://crm.example.com/green-api?key=do-not-show', incomingWebhook: 'yes' });
		const before = { ...fixture.settings() };
		expect(await fixture.harness.hook('checkExists')).toBe(false);
		await expect(fixture.harness.hook('create')).rejects.toMatchObject({
			message: 'The GREEN-API instance already sends its notifications to https://crm.example.com, not to this trigger.',
			description: expect.stringContaining('Replace an Existing Webhook URL'),
		});
		expect(fixture.settings()).toEqual(before);
		expect(fixture.requestsTo('setSettings')).toBe(0);
	});

	it('with Options → Replace an Existing Webhook URL, the other URL is replaced', async () => {
		await fixture.stop();
		fixture = await startTrigger({ options: { replaceWebhookUrl: true } });
		Object.assign(fixture.settings(), { webhookUrl: 'https://crm.example.com/green-api' });
		await activate(fixture);
		expect(fixture.settings().webhookUrl).toBe(fixture.harness.url());
	});

	it('deactivation clears only what is still this trigger’s: URL, token, and the switch it turned on', async () => {
		fixture.settings().stateWebhook = 'yes'; // someone else's switch
		await activate(fixture);
		await waitUntil(() => !fixture.simulator.notifications.restarting(ID_INSTANCE), { timeoutMs: 2000, what: 'restart over' });
		await fixture.harness.hook('delete');
		// Not at once: a republish (unpublish, then publish) would undo it (see the next test).
		expect(fixture.settings().webhookUrl).toBe(fixture.harness.url());
		await waitUntil(() => fixture.settings().webhookUrl === '', { timeoutMs: CLEAR_DELAY_MS + 3000, what: 'the delayed clear' });
		expect(fixture.settings()).toMatchObject({ webhookUrl: '', webhookUrlToken: '', incomingWebhook: 'no', stateWebhook: 'yes' });
		expect(fixture.requestsTo('setSettings')).toBe(2);
	});

	it('republished after a filter edit (n8n: unpublish, then publish): no setSettings, the instance still points here, and a later unpublish still clears', async () => {
		await activate(fixture);
		await waitUntil(() => !fixture.simulator.notifications.restarting(ID_INSTANCE), { timeoutMs: 2000, what: 'restart over' });
		await fixture.harness.hook('delete');
		fixture.harness.node.parameters.filters = { onlyArchived: true };
		await activate(fixture);
		await new Promise((resolve) => setTimeout(resolve, CLEAR_DELAY_MS + 500));
		expect(fixture.requestsTo('setSettings')).toBe(1);
		expect(fixture.settings()).toMatchObject({ webhookUrl: fixture.harness.url(), incomingWebhook: 'yes' });
		// It still knows which switch it turned on.
		expect(fixture.harness.staticData().switchedOn).toEqual(['incomingWebhook']);
		await fixture.harness.hook('delete');
		await waitUntil(() => fixture.settings().webhookUrl === '', { timeoutMs: CLEAR_DELAY_MS + 3000, what: 'the delayed clear' });
		expect(fixture.settings()).toMatchObject({ webhookUrlToken: '', incomingWebhook: 'no' });
	});

	it('deactivation after another system took the instance over writes nothing', async () => {
		await activate(fixture);
		Object.assign(fixture.settings(), { webhookUrl: 'https://crm.example.com/green-api', webhookUrlToken: 'theirs' });
		await waitUntil(() => !fixture.simulator.notifications.restarting(ID_INSTANCE), { timeoutMs: 2000, what: 'restart over' });
		await fixture.harness.hook('delete');
		await new Promise((resolve) => setTimeout(resolve, CLEAR_DELAY_MS + 500));
		expect(fixture.requestsTo('setSettings')).toBe(1);
		expect(fixture.settings()).toMatchObject({ webhookUrl: 'https://crm.example.com/green-api', webhookUrlToken: 'theirs' });
	});

	it('a test in the editor (Fetch Test Event) writes nothing, and asks n8n’s test webhook for the test run, with the secret', async () => {
		expect(await fixture.harness.hook('checkExists', true)).toBe(true);
		await waitUntil(() => fixture.testRequests.length === 1, { timeoutMs: 5000, what: 'the request for the test run' });
		// The manual run it starts is the test poll's (see "Fetch Test Event" below), not a delivery's.
		expect(fixture.testRequests[0].items).toEqual([{}]);
		await fixture.harness.hook('delete', true);
		await new Promise((resolve) => setTimeout(resolve, CLEAR_DELAY_MS + 500));
		expect(fixture.requestsTo('setSettings')).toBe(0);
		expect(fixture.settings().webhookUrl).toBe('');
	});

	it('the request for a test run, at the production webhook or without the secret, starts nothing', async () => {
		await activate(fixture);
		const secret = fixture.settings().webhookUrlToken as string;
		expect(await fixture.harness.deliver({ greenApiTrigger: 'fetchTestEvent' }, { Authorization: `Bearer ${secret}` })).toEqual({
			status: 200,
			body: { message: 'Ignored: not a GREEN-API notification' },
		});
		expect((await fixture.harness.deliver({ greenApiTrigger: 'fetchTestEvent' }, {}, true)).status).toBe(401);
	});

	it('a second workflow on the same instance is refused, naming the first; the first keeps it', async () => {
		await activate(fixture);
		const second = fixture.anotherWorkflow();
		await expect(second.hook('checkExists').then(async (exists) => exists || (await second.hook('create')))).rejects.toMatchObject({
			message: `The GREEN-API instance already sends its notifications to another workflow on this n8n: ${new URL(fixture.harness.url()).origin}/workflow/${fixture.harness.workflow.id}, not to this trigger.`,
		});
		expect(fixture.settings().webhookUrl).toBe(fixture.harness.url());
		expect(fixture.requestsTo('setSettings')).toBe(1);
	});

	it('two workflows published at the same moment: one takes the instance, the other is refused naming it (GREEN-API may show the settings late)', async () => {
		// getSettings answers what the instance had before the write for a while, as GREEN-API may for up to 5 minutes.
		fixture.simulator.notifications.settingsLagMs = 60000;
		const second = fixture.anotherWorkflow();
		const outcomes = await Promise.allSettled([activate(fixture), (async () => (await second.hook('checkExists')) || (await second.hook('create')))()]);
		expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected']);
		expect((outcomes[1] as PromiseRejectedResult).reason.message).toContain(`another workflow on this n8n: ${new URL(fixture.harness.url()).origin}/workflow/${fixture.harness.workflow.id}`);
		expect(fixture.requestsTo('setSettings')).toBe(1);
		expect(fixture.simulator.notifications.inbox(ID_INSTANCE).settings.webhookUrl).toBe(fixture.harness.url());
	});

	it('a bad Filters → Chats entry fails activation, naming it, before anything is written', async () => {
		await fixture.stop();
		fixture = await startTrigger({ filters: { chats: '79001234567@c.us, call me later' } });
		await expect(fixture.harness.hook('checkExists')).rejects.toMatchObject({ message: 'Filters → Chats: "call me later" is neither a chat ID nor a phone number' });
		expect(fixture.requestsTo('setSettings')).toBe(0);
	});

	it('a setSettings error that echoes the webhook secret shows it nowhere: scrubbed like the token', async () => {
		const secret = await webhookSecret({ apiTokenInstance: TOKEN }, fixture.harness.node.webhookId!);
		secrets.push(secret);
		fixture.simulator.script(ID_INSTANCE, 'setSettings', [{ status: 400, body: `Bad Request: webhookUrlToken ${secret} is not allowed` }]);
		const failure = await fixture.harness.hook('create').then(
			() => undefined,
			(error: Error & { description?: string }) => error,
		);
		expect(failure).toBeDefined();
		const shown = `${failure!.message} ${failure!.description}`;
		seen.push(shown);
		expect(shown).toContain('webhookUrlToken *** is not allowed');
		expect(shown).not.toContain(secret);
	});

	it('getSettings and setSettings in one activation keep to their 1 per second: no 429', async () => {
		await activate(fixture);
		expect(fixture.simulator.tooManyRequests).toBe(0);
	});

	it('activation while the instance restarts (another write): getSettings asked again every 2 s until it answers, then one write', async () => {
		fixture.simulator.notifications.inbox(ID_INSTANCE).restartingUntil = Date.now() + 3000;
		const startedAt = Date.now();
		await activate(fixture);
		const asked = fixture.simulator.requests.filter((request) => request.method === 'getSettings').map((request) => request.status);
		// checkExists waits the restart out (400, 400, 200); create then reads once more.
		expect(asked.slice(0, 3)).toEqual([400, 400, 200]);
		expect(Date.now() - startedAt).toBeGreaterThanOrEqual(4000);
		expect(fixture.requestsTo('setSettings')).toBe(1);
		expect(fixture.settings()).toMatchObject({ webhookUrl: fixture.harness.url() });
	});
});

describe('webhook deliveries', () => {
	let fixture: TriggerFixture;
	const start = async (parameters: INodeParameters = {}) => {
		fixture = await startTrigger(parameters);
		await activate(fixture);
		secrets.push(fixture.settings().webhookUrlToken as string);
		await waitUntil(() => !fixture.simulator.notifications.restarting(ID_INSTANCE), { timeoutMs: 2000, what: 'restart over' });
	};
	afterEach(async () => await fixture.stop());

	it('a customer writes: delivered with the token, one item with flat fields, the archive state, the notification as received', async () => {
		await start();
		const idMessage = await fixture.write(ARCHIVED, 'Is my order ready?');
		await settled(fixture, 1);
		expect(fixture.delivered[0].status).toBe(200);
		expect(fixture.delivered[0].items).toEqual([
			expect.objectContaining({
				event: 'incomingMessageReceived',
				instanceId: ID_INSTANCE,
				idMessage,
				chatId: ARCHIVED,
				chatType: 'user',
				chatName: 'Anna Petrova',
				senderName: 'Anna Petrova',
				messageType: 'textMessage',
				text: 'Is my order ready?',
				archived: true,
			}),
		]);
		expect(fixture.delivered[0].items![0].notification).toMatchObject({ typeWebhook: 'incomingMessageReceived', idMessage });
		// Flat fields first, the notification as received last.
		expect(Object.keys(fixture.delivered[0].items![0]).slice(-2)).toEqual(['archived', 'notification']);
		// WhatsApp keeps the chat archived.
		expect(fixture.simulator.instance(ID_INSTANCE).chats.get(ARCHIVED)?.archived).toBe(true);
	});

	it('an image with a caption in a group: the caption as text, the file’s link, name and type', async () => {
		await start();
		await fixture.write(GROUP, 'Invoice attached', { kind: 'image', caption: 'Invoice attached', fileName: 'invoice.jpg', sender: INBOX, senderName: 'Ivan' });
		await settled(fixture, 1);
		expect(fixture.delivered[0].items![0]).toMatchObject({
			chatId: GROUP,
			chatType: 'group',
			sender: INBOX,
			senderName: 'Ivan',
			messageType: 'imageMessage',
			text: 'Invoice attached',
			fileName: 'invoice.jpg',
			mimeType: 'image/jpeg',
			downloadUrl: expect.stringContaining('invoice.jpg'),
			archived: true,
		});
	});

	it('without the secret, or with a wrong one: 401 and nothing started', async () => {
		await start();
		const body = fixture.simulator.notifications.message(fixture.simulator.instance(ID_INSTANCE), { chatId: ARCHIVED, text: 'x' }).body;
		for (const headers of [{}, { Authorization: 'Bearer wrong' }, { Authorization: `Bearer ${TOKEN}` }] as Array<Record<string, string>>) {
			const answer = await fixture.harness.deliver(body, headers);
			expect(answer).toEqual({ status: 401, body: { message: 'Unauthorized' } });
		}
	});

	it('the secret as GREEN-API sends it (Bearer) or bare starts the workflow', async () => {
		await start();
		const secret = fixture.settings().webhookUrlToken as string;
		for (const authorization of [`Bearer ${secret}`, `bearer ${secret}`, secret]) {
			// Not delivered by the simulator too: its own delivery could come first and make this one a copy.
			const body = undelivered(fixture, ARCHIVED);
			expect((await fixture.harness.deliver(body, { Authorization: authorization })).items).toHaveLength(1);
		}
	});

	it('deliveries within a few seconds share one credential read; a changed credential is read after that', async () => {
		await start();
		const secret = fixture.settings().webhookUrlToken as string;
		const body = fixture.simulator.notifications.message(fixture.simulator.instance(ID_INSTANCE), { chatId: ARCHIVED, text: 'x' }).body;
		const authorization = { Authorization: `Bearer ${secret}` };
		expect((await fixture.harness.deliver(body, authorization)).status).toBe(200);
		// The API token was changed in n8n: the secret derived from it changes too.
		fixture.harness.credential.apiTokenInstance = 'another0token0of0the0same0shape0000000000000000001';
		expect((await fixture.harness.deliver(body, authorization)).status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, CREDENTIAL_REUSE_MS + 100));
		expect((await fixture.harness.deliver(body, authorization)).status).toBe(401);
	});

	it('a body that is no notification, or another instance’s notification: 200 and nothing started (GREEN-API must not resend it)', async () => {
		await start();
		const authorization = { Authorization: `Bearer ${fixture.settings().webhookUrlToken}` };
		for (const body of ['plain text', [1, 2], null]) {
			expect(await fixture.harness.deliver(body, authorization)).toEqual({ status: 200, body: { message: 'Ignored: not a GREEN-API notification' } });
		}
		const other = { typeWebhook: 'incomingMessageReceived', instanceData: { idInstance: 1101999999 }, senderData: { chatId: ARCHIVED }, messageData: {} };
		expect(await fixture.harness.deliver(other, authorization)).toEqual({ status: 200, body: { message: 'Ignored: a notification for another instance' } });
	});

	it('only chats in the archive: the archived chat starts the workflow, the chat in the inbox does not', async () => {
		await start({ filters: { onlyArchived: true } });
		await fixture.write(INBOX, 'not archived');
		await fixture.write(ARCHIVED, 'archived');
		await settled(fixture, 2);
		const started = fixture.delivered.flatMap((answer) => answer.items ?? []);
		expect(started.map((item) => [item.chatId, item.archived])).toEqual([[ARCHIVED, true]]);
		expect(fixture.delivered.map((answer) => answer.status)).toEqual([200, 200]);
	});

	it('when the archive state cannot be learned in time, the message passes with archived: null and the reason', async () => {
		await start({ filters: { onlyArchived: true } });
		fixture.simulator.script(ID_INSTANCE, 'getChats', [{ status: 500, text: 'internal' }]);
		await fixture.write(INBOX, 'during an outage');
		await settled(fixture, 1);
		expect(fixture.delivered[0].items![0]).toMatchObject({ chatId: INBOX, archived: null, archiveLookupError: expect.stringContaining("GREEN-API's chat list could not be had") });
	});

	it('Options → Add Archive State off, no archive filter: the chat list is never read, and items carry no archived field', async () => {
		await start({ options: { addArchiveState: false } });
		await fixture.write(ARCHIVED, 'no list needed');
		await settled(fixture, 1);
		expect(fixture.delivered[0].items).toEqual([expect.objectContaining({ chatId: ARCHIVED, text: 'no list needed' })]);
		expect(Object.keys(fixture.delivered[0].items![0])).not.toContain('archived');
		expect(fixture.requestsTo('getChats')).toBe(0);
	});

	it('Only Chats in the Archive while the instance restarts: the trigger waits and asks again, and the inbox chat still starts nothing', async () => {
		await start({ filters: { onlyArchived: true } });
		// A settings write restarts the instance: for 3 s every call is answered "instance in starting process".
		fixture.simulator.notifications.inbox(ID_INSTANCE).restartingUntil = Date.now() + 3000;
		const inbox = undelivered(fixture, INBOX, 'during the restart');
		const archived = undelivered(fixture, ARCHIVED, 'during the restart');
		const authorization = { Authorization: `Bearer ${fixture.settings().webhookUrlToken}` };
		const [toInbox, toArchive] = await Promise.all([fixture.harness.deliver(inbox, authorization), fixture.harness.deliver(archived, authorization)]);
		expect(toInbox).toEqual({ status: 200, body: { message: 'Ignored: not a chosen event, or left out by the filters' } });
		expect(toArchive.items).toEqual([expect.objectContaining({ chatId: ARCHIVED, archived: true })]);
		const lists = fixture.simulator.requests.filter((request) => request.method === 'getChats').map((request) => request.status);
		// One list for both messages, asked again every 2 s while the restart lasts (3 s).
		expect(lists).toEqual([400, 400, 200]);
	});

	it('Only Chats in the Archive, a message arriving while the list waits out a restart: it shares the list asked again, no list of its own', async () => {
		await start({ filters: { onlyArchived: true } });
		fixture.simulator.notifications.inbox(ID_INSTANCE).restartingUntil = Date.now() + 3000;
		const authorization = { Authorization: `Bearer ${fixture.settings().webhookUrlToken}` };
		const first = fixture.harness.deliver(undelivered(fixture, ARCHIVED, 'first'), authorization);
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const second = fixture.harness.deliver(undelivered(fixture, INBOX, 'second'), authorization);
		const [toArchive, toInbox] = await Promise.all([first, second]);
		expect(toArchive.items).toEqual([expect.objectContaining({ chatId: ARCHIVED, archived: true })]);
		expect(toInbox).toEqual({ status: 200, body: { message: 'Ignored: not a chosen event, or left out by the filters' } });
		expect(fixture.simulator.requests.filter((request) => request.method === 'getChats').map((request) => request.status)).toEqual([400, 400, 200]);
	});

	it('a new chat not yet in the chat list: archived null, with the reason', async () => {
		await start();
		// Written straight into the delivery path, as a chat GREEN-API has not listed yet.
		const body = fixture.simulator.notifications.message(fixture.simulator.instance(ID_INSTANCE), { chatId: '79005550000@c.us', text: 'first message' }).body;
		fixture.simulator.instance(ID_INSTANCE).chats.delete('79005550000@c.us');
		await settled(fixture, 1);
		expect(fixture.delivered[0].items![0]).toMatchObject({ archived: null, archiveLookupError: "chat 79005550000@c.us is not in GREEN-API's chat list yet" });
		expect(body.idMessage).toBe(fixture.delivered[0].items![0].idMessage);
	});

	it('30 messages at once: every one delivered once, one chat list serves many, never more than 1 getChats in a rolling second, no 429', async () => {
		await start();
		const chatIds = Array.from({ length: 30 }, (_, i) => (i % 2 ? ARCHIVED : INBOX));
		const ids = await Promise.all(chatIds.map((chatId, i) => fixture.write(chatId, `message ${i}`)));
		await settled(fixture, 30);
		const started = fixture.delivered.flatMap((answer) => answer.items ?? []);
		expect(started.map((item) => item.idMessage).sort()).toEqual([...ids].sort());
		expect(started.every((item) => item.archived === (item.chatId === ARCHIVED))).toBe(true);
		expect(fixture.simulator.busiestSecond(`${ID_INSTANCE}|getChats`)).toBeLessThanOrEqual(1);
		// One list serves every message that arrives within a second of asking for it: for deliveries spread over
		// `span`, at most one list per second of it, and the first.
		const sent = fixture.simulator.notifications.inbox(ID_INSTANCE).deliveries.map((delivery) => delivery.sentAt);
		const span = Math.max(...sent) - Math.min(...sent);
		expect(fixture.requestsTo('getChats')).toBeGreaterThanOrEqual(1);
		expect(fixture.requestsTo('getChats')).toBeLessThanOrEqual(1 + Math.floor(span / 1000));
		expect(fixture.simulator.tooManyRequests).toBe(0);
	});

	it('events not chosen start nothing (answered 200, so GREEN-API does not resend)', async () => {
		await start({ events: ['incomingCall'] });
		fixture.settings().incomingWebhook = 'yes';
		await fixture.write(ARCHIVED, 'a message, not a call');
		await settled(fixture, 1);
		expect(fixture.delivered[0]).toEqual({ status: 200, body: { message: 'Ignored: not a chosen event, or left out by the filters' } });
	});

	it('filters: chat type and chats (a phone number, read with Default Country)', async () => {
		await start({ filters: { chatType: 'user', chats: '8 (900) 765-43-21' }, options: { defaultCountry: 'RU' } });
		await fixture.write(GROUP, 'group');
		await fixture.write(ARCHIVED, 'not in the list');
		await fixture.write(INBOX, 'in the list');
		await settled(fixture, 3);
		expect(fixture.delivered.flatMap((answer) => answer.items ?? []).map((item) => item.text)).toEqual(['in the list']);
	});

	it('GREEN-API resends a delivery n8n did not answer 200', async () => {
		await start();
		// The first answer fails (n8n was restarting): the simulator resends after its pause.
		const original = fixture.harness.deliver;
		let calls = 0;
		fixture.harness.deliver = async (...args) => {
			calls++;
			if (calls === 1) throw new Error('n8n restarting');
			return await original(...args);
		};
		const idMessage = await fixture.write(ARCHIVED, 'please answer');
		await settled(fixture, 1);
		expect(fixture.delivered[0].items![0].idMessage).toBe(idMessage);
		// The simulator writes a delivery down once it has read the answer.
		const deliveries = fixture.simulator.notifications.inbox(ID_INSTANCE).deliveries;
		await waitUntil(() => deliveries.length >= 2, { timeoutMs: 5000, what: 'Both attempts recorded', intervalMs: 20 });
		expect(fixture.simulator.notifications.inbox(ID_INSTANCE).deliveries.map((delivery) => [delivery.attempt, delivery.status])).toEqual([
			[1, 500],
			[2, 200],
		]);
	});
});

describe('each notification once, and never a delivery refused for its content', () => {
	let fixture: TriggerFixture;
	let authorization: Record<string, string>;
	const start = async (parameters: INodeParameters = {}) => {
		fixture = await startTrigger(parameters);
		await activate(fixture);
		secrets.push(fixture.settings().webhookUrlToken as string);
		authorization = { Authorization: `Bearer ${fixture.settings().webhookUrlToken}` };
		await waitUntil(() => !fixture.simulator.notifications.restarting(ID_INSTANCE), { timeoutMs: 2000, what: 'restart over' });
	};
	afterEach(async () => await fixture.stop());
	const notification = (chatId: string, text = 'x') => undelivered(fixture, chatId, text);
	const copy = (body: IDataObject) => JSON.parse(JSON.stringify(body)) as IDataObject;

	it('a delivery sent again starts nothing: answered 200, so GREEN-API stops', async () => {
		await start();
		const body = notification(ARCHIVED);
		expect((await fixture.harness.deliver(body, authorization)).items).toHaveLength(1);
		expect(await fixture.harness.deliver(copy(body), authorization)).toEqual({ status: 200, body: { message: 'Ignored: already received (GREEN-API delivered it again)' } });
		// Another message of the same chat is another notification.
		expect((await fixture.harness.deliver(notification(ARCHIVED), authorization)).items).toHaveLength(1);
	});

	it('a copy sent after a restart, where n8n kept the static data the delivery wrote (n8n 1.x does): starts nothing', async () => {
		await start();
		const body = notification(ARCHIVED);
		expect((await fixture.harness.deliver(body, authorization)).items).toHaveLength(1);
		expect(fixture.harness.staticData().handledNotifications).toEqual([expect.stringContaining(String(body.idMessage))]);
		const saved = JSON.parse(JSON.stringify(fixture.harness.workflow.staticData)) as IDataObject;
		// A new process: nothing in memory, only what n8n saved.
		fixture.harness = fixture.anotherWorkflow({}, saved);
		expect(await fixture.harness.deliver(copy(body), authorization)).toEqual({ status: 200, body: { message: 'Ignored: already received (GREEN-API delivered it again)' } });
		expect((await fixture.harness.deliver(notification(ARCHIVED), authorization)).items).toHaveLength(1);
		// Without what n8n saved (n8n 2.41 after a delivery that started an execution), the copy starts the workflow again.
		fixture.harness = fixture.anotherWorkflow({}, {});
		expect((await fixture.harness.deliver(copy(body), authorization)).items).toHaveLength(1);
	});

	it('Fetch Test Event’s deliveries note nothing in the static data', async () => {
		await start();
		await fixture.harness.deliver(notification(ARCHIVED), authorization, true);
		expect(fixture.harness.staticData().handledNotifications).toBeUndefined();
	});

	it('ten copies at the same moment: one starts the workflow', async () => {
		await start();
		const body = notification(INBOX);
		const answers = await Promise.all(Array.from({ length: 10 }, async () => await fixture.harness.deliver(copy(body), authorization)));
		expect(answers.filter((answer) => answer.items).map((answer) => answer.items!.length)).toEqual([1]);
		expect(answers.every((answer) => answer.status === 200)).toBe(true);
	});

	it('GREEN-API resending (n8n answered 500 the first time): the resend is handled, once', async () => {
		await start();
		// The first delivery fails inside n8n (a parameter that cannot be read); nothing was handled, so the resend is.
		const body = notification(ARCHIVED);
		const events = fixture.harness.node.parameters.events;
		fixture.harness.node.parameters.events = [];
		await expect(fixture.harness.deliver(body, authorization)).rejects.toMatchObject({ message: 'Events: choose at least one event' });
		fixture.harness.node.parameters.events = events;
		expect((await fixture.harness.deliver(copy(body), authorization)).items).toHaveLength(1);
		expect((await fixture.harness.deliver(copy(body), authorization)).items).toBeUndefined();
	});

	it('statuses: sent, delivered and read of one message are three notifications; each twice is still three', async () => {
		await start({ events: ['messageStatus'] });
		const status = (value: string) => ({
			typeWebhook: 'outgoingMessageStatus',
			instanceData: { idInstance: Number(ID_INSTANCE) },
			timestamp: 1700000000,
			idMessage: 'BAE5F4886F6F2D05',
			chatId: INBOX,
			status: value,
		});
		const started: string[] = [];
		for (const value of ['sent', 'delivered', 'sent', 'read', 'delivered', 'read']) {
			const answer = await fixture.harness.deliver(status(value), authorization);
			started.push(...(answer.items ?? []).map((item) => item.status as string));
		}
		expect(started).toEqual(['sent', 'delivered', 'read']);
	});

	it('a message whose timestamp no date can hold starts the workflow with what can be read, and a problem; the next one too', async () => {
		await start();
		const broken = { ...notification(ARCHIVED, 'broken time'), timestamp: 1e20 };
		const answer = await fixture.harness.deliver(broken, authorization);
		expect(answer.status).toBe(200);
		expect(answer.items).toEqual([
			expect.objectContaining({ chatId: ARCHIVED, text: 'broken time', timestamp: null, archived: true, problem: 'The notification could not be read in full: its timestamp 100000000000000000000 is no time.' }),
		]);
		expect((await fixture.harness.deliver(notification(ARCHIVED, 'fine'), authorization)).items).toEqual([expect.objectContaining({ text: 'fine', timestamp: expect.any(String) })]);
	});

	it.each<[string, number, INodeParameters]>([
		['Only Chats in the Archive', 0, { events: ['incomingMessage', 'other'], filters: { onlyArchived: true } }],
		['a chat filter', 0, { events: ['incomingMessage', 'other'], filters: { chats: ARCHIVED } }],
		['Other Notifications not chosen', 0, { events: ['incomingMessage'] }],
		['Other Notifications chosen, no filter', 1, { events: ['incomingMessage', 'other'] }],
	])('a kind the trigger does not know (incomingBlock) under %s: %i item(s)', async (_, count, parameters) => {
		await start(parameters);
		const unknown = { typeWebhook: 'incomingBlock', instanceData: { idInstance: Number(ID_INSTANCE) }, timestamp: 1700000000, chatId: ARCHIVED };
		const answer = await fixture.harness.deliver(unknown, authorization);
		expect(answer.status).toBe(200);
		expect(answer.items ?? []).toHaveLength(count);
		if (count) expect(answer.items![0]).toMatchObject({ event: 'incomingBlock', chatId: ARCHIVED });
	});

	it('a message that names no chat never passes Only Chats in the Archive; a notification naming no kind comes only as Other Notifications', async () => {
		await start({ events: ['incomingMessage', 'other'], filters: { onlyArchived: true } });
		const noChat = { ...notification(ARCHIVED), senderData: {} };
		expect(await fixture.harness.deliver(noChat, authorization)).toEqual({ status: 200, body: { message: 'Ignored: not a chosen event, or left out by the filters' } });
		await fixture.stop();
		await start({ events: ['other'] });
		const noKind = { instanceData: { idInstance: Number(ID_INSTANCE) }, idMessage: 'X1' };
		expect((await fixture.harness.deliver(noKind, authorization)).items).toEqual([
			expect.objectContaining({ event: '', problem: 'The notification could not be read in full: it names no kind (typeWebhook).' }),
		]);
	});
});

describe('"Fetch Test Event" in webhook mode', () => {
	let fixture: TriggerFixture;
	afterEach(async () => await fixture.stop());

	it('the newest message of the journal that the filters let through; nothing written to the instance', async () => {
		fixture = await startTrigger({ filters: { onlyArchived: true } });
		fixture.settings().incomingWebhook = 'yes';
		await fixture.write(ARCHIVED, 'older');
		await fixture.write(ARCHIVED, 'newest archived');
		await fixture.write(INBOX, 'newest, in the inbox');
		expect(await fixture.harness.hook('checkExists', true)).toBe(true);
		const polled = await fixture.harness.poll('manual');
		const items = polled![0].map((item) => item.json);
		expect(items).toEqual([expect.objectContaining({ event: 'incomingMessageReceived', chatId: ARCHIVED, text: 'newest archived', archived: true })]);
		seen.push(JSON.stringify(items));
		expect(fixture.requestsTo('setSettings')).toBe(0);
	});

	it('no message passes the filters: a plain error saying what to do', async () => {
		fixture = await startTrigger({ filters: { onlyArchived: true } });
		fixture.settings().incomingWebhook = 'yes';
		await fixture.write(INBOX, 'in the inbox');
		await expect(fixture.harness.poll('manual')).rejects.toMatchObject({ message: 'No message of the last 24 hours passes the events and filters chosen' });
	});

	it('only events the journals do not hold (statuses, calls): a plain error saying so', async () => {
		fixture = await startTrigger({ events: ['messageStatus', 'incomingCall'] });
		await expect(fixture.harness.poll('manual')).rejects.toMatchObject({
			message: 'Fetch Test Event shows a recent message: choose Incoming Message, Message Sent From the Phone or Message Sent Through the API.',
		});
		expect(fixture.simulator.requests).toHaveLength(0);
	});
});

describe('polling: the journals, from a cursor', () => {
	let fixture: TriggerFixture;
	afterEach(async () => await fixture.stop());
	const start = async (parameters: INodeParameters = {}) => {
		fixture = await startTrigger({ receiveBy: 'polling', ...parameters });
		fixture.settings().incomingWebhook = 'yes';
		fixture.settings().outgoingMessageWebhook = 'yes';
		await activate(fixture);
	};
	const texts = (polled: Awaited<ReturnType<TriggerHarness['poll']>>) => (polled?.[0] ?? []).map((item) => item.json.text);
	/** An entry in the journal as if written `secondsAgo`, shown at once. */
	const history = (secondsAgo: number, chatId: string, textMessage: string, type: 'incoming' | 'outgoing' = 'incoming') =>
		fixture.simulator.notifications.record(ID_INSTANCE, {
			type,
			idMessage: `H${secondsAgo}${textMessage.replace(/\W/g, '')}`,
			timestamp: Math.floor(Date.now() / 1000) - secondsAgo,
			typeMessage: 'textMessage',
			chatId,
			textMessage,
			...(type === 'outgoing' ? { statusMessage: 'sent', sendByApi: false } : { senderName: 'Someone' }),
		});

	it('activation starts the cursor and writes nothing to the instance; messages from before it are not the workflow’s', async () => {
		fixture = await startTrigger({ receiveBy: 'polling' });
		fixture.settings().incomingWebhook = 'yes';
		history(600, ARCHIVED, 'before activation');
		// Seconds are the journals' grain: a message in the very second of the activation is taken (at least once).
		history(2, INBOX, 'just before activation');
		await activate(fixture);
		expect(fixture.harness.staticData().journalCursor).toEqual({ startedAt: expect.any(Number), since: expect.any(Number), emitted: {} });
		expect(fixture.requestsTo('getSettings') + fixture.requestsTo('setSettings')).toBe(0);
		expect(await fixture.harness.poll()).toBeNull();
	});

	it('each message once, oldest first, as the same flat item a webhook gives, with the journal entry as it came', async () => {
		await start();
		const ids = [await fixture.write(ARCHIVED, 'one'), await fixture.write(INBOX, 'two'), await fixture.write(ARCHIVED, 'three')];
		const polled = await fixture.harness.poll();
		const items = polled![0].map((item) => item.json);
		seen.push(JSON.stringify(items));
		expect(items.map((item) => [item.event, item.idMessage, item.text, item.chatId, item.archived])).toEqual([
			['incomingMessageReceived', ids[0], 'one', ARCHIVED, true],
			['incomingMessageReceived', ids[1], 'two', INBOX, false],
			['incomingMessageReceived', ids[2], 'three', ARCHIVED, true],
		]);
		expect(items[0]).toMatchObject({ instanceId: ID_INSTANCE, chatType: 'user', senderName: 'Anna Petrova', messageType: 'textMessage', timestamp: expect.any(String) });
		expect(items[0].notification).toMatchObject({ type: 'incoming', idMessage: ids[0], chatId: ARCHIVED, textMessage: 'one' });
		expect(await fixture.harness.poll()).toBeNull();
		// Nothing is taken from GREEN-API: the journal still holds them.
		expect(fixture.simulator.notifications.inbox(ID_INSTANCE).journals.incoming).toHaveLength(3);
	});

	it('a message that shows in the journal late (GREEN-API: up to 2 minutes) is still emitted, once', async () => {
		await start();
		await fixture.write(ARCHIVED, 'on time');
		// Written now, shown a second and a half later: by then the cursor has passed it; the overlap still reads it.
		fixture.simulator.notifications.record(ID_INSTANCE, { type: 'incoming', idMessage: 'LATE1', timestamp: Math.floor(Date.now() / 1000), typeMessage: 'textMessage', chatId: INBOX, textMessage: 'late' }, 1500);
		expect(texts(await fixture.harness.poll())).toEqual(['on time']);
		await new Promise((resolve) => setTimeout(resolve, 1600));
		expect(texts(await fixture.harness.poll())).toEqual(['late']);
		expect(await fixture.harness.poll()).toBeNull();
	});

	it(`a poll emits at most ${MAX_PER_POLL}, oldest first; the next poll goes on from there, nothing lost, nothing twice`, async () => {
		await start();
		for (let i = 0; i < MAX_PER_POLL + 30; i++) history(0, ARCHIVED, `m${String(i).padStart(3, '0')}`);
		const first = texts(await fixture.harness.poll());
		const second = texts(await fixture.harness.poll());
		expect(first).toHaveLength(MAX_PER_POLL);
		expect([...first, ...second]).toEqual(Array.from({ length: MAX_PER_POLL + 30 }, (_, i) => `m${String(i).padStart(3, '0')}`));
		expect(await fixture.harness.poll()).toBeNull();
	});

	it('entries dated in the future (a clock gone wrong) never move the cursor past now: later messages still come', async () => {
		await start();
		for (let i = 0; i < MAX_PER_POLL + 30; i++) history(-3600, ARCHIVED, `f${String(i).padStart(3, '0')}`);
		expect(texts(await fixture.harness.poll())).toHaveLength(MAX_PER_POLL);
		expect(texts(await fixture.harness.poll())).toHaveLength(30);
		history(0, ARCHIVED, 'now');
		expect(texts(await fixture.harness.poll())).toEqual(['now']);
	});

	it('a poll cut short (the journal failing, n8n killed) moves no cursor: the next poll emits everything', async () => {
		await start();
		await fixture.write(ARCHIVED, 'one');
		await fixture.write(INBOX, 'two');
		const before = JSON.stringify(fixture.harness.staticData());
		fixture.simulator.script(ID_INSTANCE, 'lastIncomingMessages', [{ status: 500, text: 'internal' }]);
		await expect(fixture.harness.poll()).rejects.toMatchObject({ message: 'GREEN-API failed while handling lastIncomingMessages.' });
		expect(JSON.stringify(fixture.harness.staticData())).toBe(before);
		expect(texts(await fixture.harness.poll())).toEqual(['one', 'two']);
	});

	it('with n8n 2.41’s durable poll cursors (the poll’s own copy of its static data, committed when it returns): each message once; a poll cut short commits nothing', async () => {
		await start();
		await fixture.write(ARCHIVED, 'one');
		expect(texts(await fixture.harness.poll('trigger', { durableCursor: true }))).toEqual(['one']);
		expect(await fixture.harness.poll('trigger', { durableCursor: true })).toBeNull();
		await fixture.write(INBOX, 'two');
		const committed = JSON.stringify(fixture.harness.staticData());
		fixture.simulator.script(ID_INSTANCE, 'lastIncomingMessages', [{ status: 500, text: 'internal' }]);
		await expect(fixture.harness.poll('trigger', { durableCursor: true })).rejects.toMatchObject({ message: 'GREEN-API failed while handling lastIncomingMessages.' });
		expect(JSON.stringify(fixture.harness.staticData())).toBe(committed);
		expect(texts(await fixture.harness.poll('trigger', { durableCursor: true }))).toEqual(['two']);
		expect(await fixture.harness.poll('trigger', { durableCursor: true })).toBeNull();
	});

	it('a poll that would overrun n8n’s poll budget (getPollBudgetMs) returns in time, emits nothing and moves nothing; the next poll emits everything', async () => {
		await start();
		await fixture.write(ARCHIVED, 'one');
		await fixture.write(INBOX, 'two');
		const before = JSON.stringify(fixture.harness.staticData());
		fixture.simulator.script(ID_INSTANCE, 'lastIncomingMessages', [{ delayMs: 8000 }]);
		// Without the budget this poll would wait for the journal and emit both.
		expect(await fixture.harness.poll('trigger', { budgetMs: 3000, durableCursor: true })).toBeNull();
		expect(JSON.stringify(fixture.harness.staticData())).toBe(before);
		expect(texts(await fixture.harness.poll('trigger', { budgetMs: 30000, durableCursor: true }))).toEqual(['one', 'two']);
		expect(await fixture.harness.poll('trigger', { budgetMs: 30000 })).toBeNull();
	});

	it('activation says in n8n’s log when n8n will not keep the static data (a workflow ID over 16 characters), and works on', async () => {
		fixture = await startTrigger({ receiveBy: 'polling' });
		fixture.settings().incomingWebhook = 'yes';
		const id = 'importedWithLongId';
		fixture.harness.workflow.id = id;
		await activate(fixture);
		const warning = logLines.find((line) => line.includes('keeps no static data'));
		expect(warning).toContain(`n8n 1.x keeps no static data for workflow "${id}" (its ID has ${id.length} characters; n8n 1.x keeps it for IDs of up to 16, 2.x up to 21)`);
		expect(warning).toContain('Duplicate the workflow');
		await fixture.write(ARCHIVED, 'still polled');
		expect(texts(await fixture.harness.poll())).toEqual(['still polled']);
		// An ID n8n keeps: no such line.
		logLines.splice(0);
		fixture.harness = fixture.anotherWorkflow({ receiveBy: 'polling' });
		await activate(fixture);
		expect(logLines.filter((line) => line.includes('keeps no static data'))).toEqual([]);
	});

	it('deactivated and activated again: polling goes on from where it stopped, so what came meanwhile is emitted, once', async () => {
		await start();
		await fixture.write(ARCHIVED, 'before the pause');
		expect(texts(await fixture.harness.poll())).toEqual(['before the pause']);
		await fixture.harness.hook('delete');
		await fixture.write(ARCHIVED, 'during the pause');
		await activate(fixture);
		expect(texts(await fixture.harness.poll())).toEqual(['during the pause']);
		expect(await fixture.harness.poll()).toBeNull();
	});

	it('messages sent from the phone and through the API, from the outgoing journal, each as its own event', async () => {
		await start({ events: ['messageFromPhone', 'messageFromApi'] });
		await fixture.write(INBOX, 'from the customer');
		await fixture.write(INBOX, 'from the phone', { from: 'phone' });
		await fixture.write(INBOX, 'through the API', { from: 'api' });
		const polled = await fixture.harness.poll();
		expect(polled![0].map((item) => [item.json.event, item.json.text])).toEqual([
			['outgoingMessageReceived', 'from the phone'],
			['outgoingAPIMessageReceived', 'through the API'],
		]);
		expect(fixture.requestsTo('lastIncomingMessages')).toBe(0);
	});

	it('filters: what they leave out starts nothing, and is not read again', async () => {
		await start({ filters: { onlyArchived: true } });
		await fixture.write(INBOX, 'left out');
		await fixture.write(ARCHIVED, 'taken');
		expect(texts(await fixture.harness.poll())).toEqual(['taken']);
		expect(await fixture.harness.poll()).toBeNull();
	});

	it('a poll while the instance restarts (after a settings write) emits nothing and fails nothing; the next poll emits what it would have', async () => {
		await start();
		await fixture.write(ARCHIVED, 'during the restart');
		fixture.simulator.notifications.inbox(ID_INSTANCE).restartingUntil = Date.now() + 60000;
		expect(await fixture.harness.poll()).toBeNull();
		expect(fixture.simulator.requests.filter((request) => request.method === 'lastIncomingMessages').at(-1)?.status).toBe(400);
		fixture.simulator.notifications.inbox(ID_INSTANCE).restartingUntil = 0;
		expect(texts(await fixture.harness.poll())).toEqual(['during the restart']);
	});

	it('polling works whatever the instance’s webhook URL is, and writes no settings', async () => {
		await start();
		fixture.settings().webhookUrl = 'https://crm.example.com/hook';
		await fixture.write(ARCHIVED, 'while a CRM gets the notifications');
		expect(texts(await fixture.harness.poll())).toEqual(['while a CRM gets the notifications']);
		expect(fixture.requestsTo('setSettings')).toBe(0);
	});

	it('Fetch Test Event: the newest message the filters let through, and the cursor untouched', async () => {
		await start({ filters: { onlyArchived: true } });
		await fixture.write(ARCHIVED, 'older');
		await fixture.write(ARCHIVED, 'newest archived');
		await fixture.write(INBOX, 'newest, in the inbox');
		const before = JSON.stringify(fixture.harness.staticData());
		expect(texts(await fixture.harness.poll('manual'))).toEqual(['newest archived']);
		expect(JSON.stringify(fixture.harness.staticData())).toBe(before);
		expect(fixture.requestsTo('setSettings')).toBe(0);
	});

	it('events polling cannot see (statuses, calls, state): a plain error saying so', async () => {
		await start({ events: ['messageStatus', 'incomingCall'] });
		await expect(fixture.harness.poll()).rejects.toMatchObject({
			message: 'Polling sees messages only: choose Incoming Message, Message Sent From the Phone or Message Sent Through the API.',
		});
		expect(fixture.requestsTo('lastIncomingMessages') + fixture.requestsTo('lastOutgoingMessages')).toBe(0);
	});

	it('Fetch Test Event under Polling with events polling cannot see: the same error as a poll (they would never come), nothing read', async () => {
		await start({ events: ['messageStatus', 'incomingCall'] });
		await expect(fixture.harness.poll('manual')).rejects.toMatchObject({
			message: 'Polling sees messages only: choose Incoming Message, Message Sent From the Phone or Message Sent Through the API.',
			description: expect.stringContaining('come only by webhook'),
		});
		expect(fixture.requestsTo('lastIncomingMessages') + fixture.requestsTo('lastOutgoingMessages')).toBe(0);
	});

	it('in webhook mode a poll does nothing at all', async () => {
		fixture = await startTrigger();
		expect(await fixture.harness.poll()).toBeNull();
		expect(fixture.simulator.requests).toHaveLength(0);
	});
});

describe('two triggers: the GREEN-API Trigger (version 3) by webhook alone, the Polling Trigger by polling alone', () => {
	let fixture: TriggerFixture | undefined;
	afterEach(async () => {
		await fixture?.stop();
		fixture = undefined;
	});
	const names = (properties: Array<{ name: string }>) => properties.map((property) => property.name);

	it('version 3 shows nothing of polling and has no poll, so n8n runs none; versions 1 and 2 are as saved workflows hold them', () => {
		const trigger = new GreenApiTrigger();
		expect(trigger.currentVersion).toBe(3);
		const v3 = trigger.getNodeType(3);
		expect(v3.poll).toBeUndefined();
		expect(v3.description.polling).toBeUndefined();
		expect(names(v3.description.properties)).toEqual(['webhookNotice', 'events', 'filters', 'options']);
		const options = v3.description.properties.find((property) => property.name === 'options')!.options as Array<{ name: string; displayOptions?: unknown }>;
		expect(options.find((option) => option.name === 'replaceWebhookUrl')).not.toHaveProperty('displayOptions');
		expect(JSON.stringify(v3.description.properties)).not.toMatch(/receiveBy|[Pp]oll/);
		for (const version of [1, 2]) {
			const old = trigger.getNodeType(version);
			expect(old.poll).toBeDefined();
			expect(old.description.polling).toBe(true);
			expect(names(old.description.properties)).toEqual(['receiveBy', 'webhookNotice', 'pollingNotice', 'events', 'filters', 'options']);
		}
	});

	it('the Polling Trigger shows only what polling sees: the journals’ message events, no webhook, no Replace an Existing Webhook URL', () => {
		const { description } = new GreenApiPollingTrigger();
		expect(description.webhooks).toBeUndefined();
		expect(description.polling).toBe(true);
		const events = description.properties.find((property) => property.name === 'events')!;
		expect((events.options as Array<{ value: string }>).map((option) => option.value)).toEqual(['incomingMessage', 'messageFromPhone', 'messageFromApi']);
		expect(JSON.stringify(description.properties)).not.toMatch(/receiveBy|replaceWebhookUrl/);
	});

	it('version 3: activation and a delivery as ever; Fetch Test Event’s own delivery carries the newest message itself, and nothing is written', async () => {
		fixture = await startTrigger({ filters: { onlyArchived: true } }, ID_INSTANCE, { type: TRIGGER_TYPE, version: 3 });
		fixture.settings().incomingWebhook = 'yes';
		await fixture.write(ARCHIVED, 'before the test');
		await fixture.write(INBOX, 'in the inbox');
		expect(await fixture.harness.hook('checkExists', true)).toBe(true);
		await waitUntil(() => fixture!.testRequests.length >= 1, { timeoutMs: 10000, what: 'the test run requested', intervalMs: 20 });
		expect(fixture.testRequests[0].items).toEqual([expect.objectContaining({ event: 'incomingMessageReceived', chatId: ARCHIVED, text: 'before the test', archived: true })]);
		expect(fixture.requestsTo('setSettings')).toBe(0);
		await activate(fixture);
		expect(fixture.settings().webhookUrl).toBe(fixture.harness.url());
		await fixture.write(ARCHIVED, 'after activation');
		await settled(fixture, 1);
		expect(fixture.delivered[0].items).toEqual([expect.objectContaining({ chatId: ARCHIVED, text: 'after activation' })]);
	});

	it('version 3: Fetch Test Event with no message to show fails the test run with the plain sentence', async () => {
		fixture = await startTrigger({ filters: { onlyArchived: true } }, ID_INSTANCE, { type: TRIGGER_TYPE, version: 3 });
		fixture.settings().incomingWebhook = 'yes';
		await fixture.write(INBOX, 'in the inbox');
		const secret = await webhookSecret({ apiTokenInstance: TOKEN }, fixture.harness.node.webhookId!);
		await expect(fixture.harness.deliver({ greenApiTrigger: 'fetchTestEvent' }, { Authorization: `Bearer ${secret}` }, true)).rejects.toMatchObject({
			message: 'No message of the last 24 hours passes the events and filters chosen',
		});
	});

	it('the Polling Trigger, with no Receive By: its first poll (n8n polls once at activation) starts the cursor, then each message once; nothing written', async () => {
		fixture = await startTrigger({}, ID_INSTANCE, { type: POLLING_TRIGGER_TYPE, version: 1 });
		fixture.settings().incomingWebhook = 'yes';
		expect(await fixture.harness.poll()).toBeNull();
		const id = await fixture.write(ARCHIVED, 'polled');
		const polled = await fixture.harness.poll();
		expect(polled![0].map((item) => [item.json.idMessage, item.json.text])).toEqual([[id, 'polled']]);
		expect(await fixture.harness.poll()).toBeNull();
		expect(fixture.requestsTo('getSettings') + fixture.requestsTo('setSettings')).toBe(0);
		const manual = await fixture.harness.poll('manual');
		expect(manual![0].map((item) => item.json.text)).toEqual(['polled']);
	});

	it('the Polling Trigger says once in n8n’s log when n8n will not keep its cursor (a workflow ID over 16 characters), and polls on', async () => {
		fixture = await startTrigger({}, ID_INSTANCE, { type: POLLING_TRIGGER_TYPE, version: 1 });
		fixture.settings().incomingWebhook = 'yes';
		const id = 'pollingWithLongId01';
		fixture.harness.workflow.id = id;
		logLines.splice(0);
		expect(await fixture.harness.poll()).toBeNull();
		await fixture.write(ARCHIVED, 'polled');
		expect((await fixture.harness.poll())![0].map((item) => item.json.text)).toEqual(['polled']);
		const warnings = logLines.filter((line) => line.includes('keeps no static data'));
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toContain(`n8n 1.x keeps no static data for workflow "${id}" (its ID has ${id.length} characters`);
	});
});
