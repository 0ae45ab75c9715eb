/**
 * Message → Send Text and Send Poll through n8n's engine: each operation's exact request (the
 * parameters' names as saved workflows hold them, GREEN-API's names on the wire, options sent only
 * when set, text as typed), its item, and bad input refused before anything of the run is sent,
 * naming the field and the item. A recording server stands for the instance.
 */
import { getSchema } from 'n8n-core/dist/execution-engine/node-execution-context/utils/create-node-as-tool';
import { SsrfProtectionConfig } from '@n8n/config';
import { Container } from '@n8n/di';
import type { INode } from 'n8n-workflow';

import { GreenApi } from '../nodes/GreenApi/GreenApi.node';
import { MAX_KEYS, SETTLE_MS } from '../nodes/GreenApi/actions/sendOnce';
import { deduplication, runGreenApi, type OnError } from './harness/engine';
import { ID_INSTANCE, startFixture, TOKEN, type Fixture } from './helpers/fixture';
import { KEYED_SEND_TEXT } from './helpers/keyedSendText';
import { recorder, type Recorder } from './helpers/recorder';

const ANNA = '79001234567@c.us';
const SENT = { idMessage: 'BAE5F4886F6F2D05' };

let api: Recorder;
beforeEach(async () => {
	api = await recorder({ sendMessage: { body: SENT }, sendPoll: { body: SENT } });
});
afterEach(async () => await api.stop());

const run = async (parameters: Record<string, unknown>, items: Array<Record<string, unknown>> = [{}], onError?: OnError) =>
	await runGreenApi({
		items: items as never,
		parameters: { resource: 'message', chatId: { __rl: true, mode: 'idOrPhone', value: '={{ $json.chat ?? "' + ANNA + '" }}' }, ...parameters } as never,
		credentials: { main: { apiUrl: api.url, idInstance: ID_INSTANCE, apiTokenInstance: TOKEN } },
		onError,
	});

const bodies = () => api.received.map((request) => JSON.parse(request.body.toString()));

describe('Send Text', () => {
	it('sends sendMessage with the text as typed, under GREEN-API’s name; the item says it was sent', async () => {
		const text = '  Thank you, *Anna*!\n\nYour deal D-1001 is closed.  ';
		const result = await run({ operation: 'sendText', text });
		expect(result.error).toBeUndefined();
		expect(result.main.map((item) => item.json)).toEqual([{ chatId: ANNA, idMessage: SENT.idMessage, sent: true }]);
		expect(api.received.map((request) => request.url)).toEqual([`/waInstance${ID_INSTANCE}/sendMessage/${TOKEN}`]);
		expect(bodies()).toEqual([{ chatId: ANNA, message: text }]);
	});

	it('options are sent only when set: Reply To Message ID, Link Preview, Typing Time', async () => {
		await run({ operation: 'sendText', text: 'Hello', options: { quotedMessageId: ' BAE5F4886F6F2D05 ', linkPreview: false, typingTime: 2500 } });
		expect(bodies()).toEqual([{ chatId: ANNA, message: 'Hello', quotedMessageId: 'BAE5F4886F6F2D05', linkPreview: false, typingTime: 2500 }]);
	});

	it('an option an expression leaves empty is not sent either', async () => {
		await run({ operation: 'sendText', text: 'Hello', options: { linkPreview: '={{ $json.none }}', quotedMessageId: '={{ "" }}' } });
		expect(bodies()).toEqual([{ chatId: ANNA, message: 'Hello' }]);
	});

	it('a phone number is read as the Chat, and the item keeps what was given', async () => {
		const result = await run({ operation: 'sendText', text: 'Hello' }, [{ chat: '+7 (900) 123-45-67' }]);
		expect(bodies()).toEqual([{ chatId: ANNA, message: 'Hello' }]);
		expect(result.main[0].json).toEqual({ chatId: ANNA, idMessage: SENT.idMessage, sent: true, input: '+7 (900) 123-45-67' });
	});

	it.each([
		['empty text', { text: '   ' }, 'Text is empty [item 1]'],
		['text over 20,000 characters', { text: 'x'.repeat(20001) }, 'Text is 20001 characters long [item 1]'],
		['a typing time out of range', { text: 'Hi', options: { typingTime: 500 } }, 'Options → Typing Time (Ms) must be a whole number from 1000 to 20000, but is 500 [item 1]'],
		['a reply-to that is no message ID', { text: 'Hi', options: { quotedMessageId: 'not an id' } }, 'Options → Reply To Message ID "not an id" is not a GREEN-API message ID'],
	])('%s: refused before anything of the run is sent, naming the field and the item', async (_, parameters, message) => {
		const good = { text: 'Fine' };
		const result = await runGreenApi({
			items: [{ n: 0 }, { n: 1 }],
			parameters: {
				resource: 'message',
				operation: 'sendText',
				chatId: { __rl: true, mode: 'idOrPhone', value: ANNA },
				text: `={{ $json.n === 1 ? ${JSON.stringify((parameters as { text: string }).text)} : ${JSON.stringify(good.text)} }}`,
				// Each option's value bad for item 1 only (item 0 takes GREEN-API's own default).
				...('options' in parameters
					? {
							options: Object.fromEntries(
								Object.entries(parameters.options).map(([name, value]) => [name, `={{ $json.n === 1 ? ${JSON.stringify(value)} : ${name === 'typingTime' ? 3000 : '"BAE5F4886F6F2D05"'} }}`]),
							),
						}
					: {}),
			} as never,
			credentials: { main: { apiUrl: api.url, idInstance: ID_INSTANCE, apiTokenInstance: TOKEN } },
		});
		expect(result.error?.message).toContain(message);
		expect(api.received).toHaveLength(0);
	});
});

describe('n8n refusing the address (its SSRF protection, n8n 2.x)', () => {
	it('a send n8n blocked fails with BLOCKED_BY_N8N, once, never "may have been sent": nothing left n8n', async () => {
		const config = Container.get(SsrfProtectionConfig);
		// The recorder listens on 127.0.0.1, which n8n's default blocked ranges hold.
		config.enabled = true;
		try {
			const result = await run({ operation: 'sendText', text: 'Hello' }, [{}], 'continueRegularOutput');
			expect(result.main[0].json.message).toBe(`n8n did not send sendMessage to ${api.url}: its protection against server-side request forgery blocked the address.`);
			expect(result.main[0].json.error).toMatchObject({ code: 'BLOCKED_BY_N8N' });
			expect(String((result.main[0].json.error as { description: string }).description)).toContain('N8N_SSRF_ALLOWED_HOSTNAMES');
			expect(api.received).toHaveLength(0);
		} finally {
			config.enabled = false;
		}
		// The same run with the protection off reaches the recorder: the refusal above was n8n's.
		await run({ operation: 'sendText', text: 'Hello' });
		expect(api.received).toHaveLength(1);
	});
});

describe('Send Poll', () => {
	it('sends sendPoll: the question as message, the options as [{ optionName }], Multiple Answers as given', async () => {
		const result = await run({ operation: 'sendPoll', question: 'How was it?', pollOptions: ['Great', 'Fine', 'Bad'], multipleAnswers: true });
		expect(result.main.map((item) => item.json)).toEqual([{ chatId: ANNA, idMessage: SENT.idMessage, sent: true }]);
		expect(api.received.map((request) => request.url)).toEqual([`/waInstance${ID_INSTANCE}/sendPoll/${TOKEN}`]);
		expect(bodies()).toEqual([{ chatId: ANNA, message: 'How was it?', options: [{ optionName: 'Great' }, { optionName: 'Fine' }, { optionName: 'Bad' }], multipleAnswers: true }]);
	});

	it('an expression can map the options as an array', async () => {
		await run({ operation: 'sendPoll', question: 'Pick', pollOptions: '={{ $json.choices }}' }, [{ choices: ['A', 'B'] }]);
		expect(bodies()[0]).toMatchObject({ options: [{ optionName: 'A' }, { optionName: 'B' }], multipleAnswers: false });
	});

	it.each([
		['one option', { question: 'Q', pollOptions: ['Only'] }, 'Poll Options has 1 options'],
		['13 options', { question: 'Q', pollOptions: Array.from({ length: 13 }, (_, index) => `O${index}`) }, 'Poll Options has 13 options'],
		['the same option twice', { question: 'Q', pollOptions: ['Yes', 'No', 'Yes'] }, 'Poll Options has "Yes" twice'],
		['an option over 100 characters', { question: 'Q', pollOptions: ['Yes', 'n'.repeat(101)] }, 'Poll Options option 2 is 101 characters long'],
		['a question over 255 characters', { question: 'q'.repeat(256), pollOptions: ['Yes', 'No'] }, 'Question is 256 characters long'],
	])('%s: refused, nothing sent', async (_, parameters, message) => {
		const result = await run({ operation: 'sendPoll', ...parameters }, [{}], 'continueRegularOutput');
		expect(result.main[0].json).toMatchObject({ message: expect.stringContaining(message), error: { code: 'INVALID_INPUT' } });
		expect(api.received).toHaveLength(0);
	});
});

describe('against the sandbox: faults before and after GREEN-API accepted the message, and how many it holds afterwards', () => {
	let fixture: Fixture;
	beforeEach(async () => {
		fixture = await startFixture([{ chatId: ANNA }]);
	});
	afterEach(async () => await fixture.stop());
	const send = async () => await fixture.run([{}], { resource: 'message', operation: 'sendText', chatId: ANNA, text: 'Thank you!', options: { maxRetries: 3 } }, 'continueRegularOutput');
	const held = () => fixture.simulator.sentTo(ID_INSTANCE, ANNA).length;
	const sendRequests = () => fixture.simulator.requests.filter((request) => request.method === 'sendMessage').length;

	it.each([
		['a 500 after it was accepted', { status: 500, accepted: true }],
		['the connection reset after it was accepted', { reset: 'after' as const, accepted: true }],
		['a 502 before anything was done', { status: 502 }],
	])('%s: sent once, the item fails with MAY_HAVE_HAPPENED (never resent), and the sandbox holds what it accepted', async (_, fault) => {
		fixture.simulator.script(ID_INSTANCE, ANNA, [{ ...fault, method: 'sendMessage' }]);
		const result = await send();
		expect(result.main[0].json.error).toMatchObject({ code: 'MAY_HAVE_HAPPENED' });
		expect(sendRequests()).toBe(1);
		expect(held()).toBe('accepted' in fault ? 1 : 0);
	});

	it('a 429: resent (GREEN-API certainly did not take it), and the message is there once', async () => {
		fixture.simulator.script(ID_INSTANCE, ANNA, [{ status: 429, method: 'sendMessage' }]);
		const result = await send();
		expect(result.main[0].json).toMatchObject({ chatId: ANNA, sent: true, idMessage: expect.any(String) });
		expect(sendRequests()).toBe(2);
		expect(held()).toBe(1);
		expect(fixture.simulator.sentTo(ID_INSTANCE, ANNA)[0]).toMatchObject({ idMessage: result.main[0].json.idMessage });
	});
});

describe('Send File, against the sandbox', () => {
	let fixture: Fixture;
	const OLIVER = '442079460958@c.us';
	const IVAN = '79007654321@c.us';
	beforeEach(async () => {
		fixture = await startFixture([{ chatId: ANNA }, { chatId: IVAN }, { chatId: OLIVER, archived: true }]);
	});
	afterEach(async () => await fixture.stop());
	const PDF = Buffer.from('%PDF-1.7 an invoice');
	const pdfItem = { data: { data: PDF.toString('base64'), mimeType: 'application/pdf', fileName: 'invoice-7.pdf', fileExtension: 'pdf' } };
	const calls = (method: string) => fixture.simulator.requests.filter((request) => request.method === method);
	const sendFile = async (parameters: Record<string, unknown>, items: Array<Record<string, unknown>>, binary: unknown[] = [], onError?: OnError) =>
		await runGreenApi({
			items: items as never,
			binary: binary as never,
			parameters: { resource: 'message', operation: 'sendFile', chatId: { __rl: true, mode: 'idOrPhone', value: '={{ $json.chat }}' }, ...parameters } as never,
			credentials: { main: fixture.credential },
			onError,
		});

	it('from a URL: sendFileByUrl with the URL’s own name and the caption as typed; the item names the file', async () => {
		const result = await sendFile({ fileSource: 'url', fileUrl: 'https://example.com/files/price%20list.pdf', caption: 'Our prices\n' }, [{ chat: ANNA }]);
		expect(result.error).toBeUndefined();
		expect(result.main.map((item) => item.json)).toEqual([{ chatId: ANNA, idMessage: expect.any(String), sent: true, urlFile: 'https://example.com/files/price%20list.pdf', fileName: 'price list.pdf' }]);
		expect(JSON.parse(calls('sendFileByUrl')[0].body)).toEqual({ chatId: ANNA, urlFile: 'https://example.com/files/price%20list.pdf', fileName: 'price list.pdf', caption: 'Our prices\n' });
		expect(fixture.simulator.sentTo(ID_INSTANCE, ANNA)).toHaveLength(1);
	});

	it('from binary data to three chats: the file is uploaded once, then sent by its URL to each', async () => {
		const result = await sendFile({ fileSource: 'binary', binaryPropertyName: 'data', fileName: '' }, [{ chat: ANNA }, { chat: IVAN }, { chat: OLIVER }], [pdfItem, pdfItem, pdfItem]);
		expect(result.error).toBeUndefined();
		const items = result.main.map((item) => item.json);
		expect(items.map((item) => [item.chatId, item.sent, item.fileName])).toEqual([
			[ANNA, true, 'invoice-7.pdf'],
			[IVAN, true, 'invoice-7.pdf'],
			[OLIVER, true, 'invoice-7.pdf'],
		]);
		expect(calls('uploadFile')).toHaveLength(1);
		expect(calls('sendFileByUrl')).toHaveLength(3);
		expect(new Set(items.map((item) => item.urlFile)).size).toBe(1);
		for (const chat of [ANNA, IVAN, OLIVER]) expect(fixture.simulator.sentTo(ID_INSTANCE, chat)).toHaveLength(1);
	});

	it.each([
		['a file URL that is not http(s)', { fileSource: 'url', fileUrl: 'ftp://example.com/a.pdf' }, [], 'File URL "ftp://example.com/a.pdf" is not an http(s) address [item 1]'],
		['a name without an extension', { fileSource: 'url', fileUrl: 'https://example.com/download' }, [], 'File Name "download" has no extension [item 1]'],
		['a missing binary property', { fileSource: 'binary', binaryPropertyName: 'attachment' }, [pdfItem, pdfItem], 'Input Binary Field "attachment" is not among the item\'s binary data [item 0]'],
		['a file over 100 MB', { fileSource: 'binary', binaryPropertyName: 'data' }, [pdfItem, { data: { ...pdfItem.data, bytes: 150 * 1024 * 1024 } }], 'Input Binary Field "data" holds a file of 150 MB [item 1]'],
	])('%s: refused before anything of the run is sent, naming the field and the item', async (_, parameters, binary, message) => {
		const second = { ...parameters, ...('fileUrl' in parameters ? { fileUrl: `={{ $json.n === 1 ? ${JSON.stringify(parameters.fileUrl)} : "https://example.com/ok.pdf" }}` } : {}) };
		const result = await sendFile(
			second,
			[
				{ chat: ANNA, n: 0 },
				{ chat: IVAN, n: 1 },
			],
			binary,
		);
		expect(result.error?.message).toBe(message);
		expect(calls('uploadFile').length + calls('sendFileByUrl').length).toBe(0);
	});
});

describe('Send Once Per Key, on n8n’s deduplication store (as n8n keeps it: read, changed, written back, no lock)', () => {
	let fixture: Fixture;
	const IVAN = '79007654321@c.us';
	let key = 0;
	/** A key of this test's own: the store outlives a test, as n8n's database does. */
	const freshKey = () => `deal-${process.pid}-${++key}-thanks`;
	beforeEach(async () => {
		fixture = await startFixture([{ chatId: ANNA }, { chatId: IVAN }]);
	});
	afterEach(async () => await fixture.stop());
	const held = (chat = ANNA) => fixture.simulator.sentTo(ID_INSTANCE, chat).length;
	const send = async (items: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) =>
		await runGreenApi({
			items: items as never,
			parameters: KEYED_SEND_TEXT as never,
			credentials: { main: fixture.credential },
			onError: 'continueRegularOutput',
			...extra,
		});

	it('a key sends once: the same key again in the run, in a second execution and in a re-run comes out sent: false, and nothing more is sent', async () => {
		const once = freshKey();
		const first = await send([
			{ chat: ANNA, key: once },
			{ chat: IVAN, key: once },
		]);
		const items = first.main.map((item) => item.json);
		expect(items.filter((item) => item.sent === true)).toHaveLength(1);
		expect(items.filter((item) => item.sent === false)).toEqual([expect.objectContaining({ sent: false, sendOnceKey: once })]);
		expect(held(ANNA) + held(IVAN)).toBe(1);
		const again = await send([{ chat: ANNA, key: once }]);
		expect(again.main[0].json).toEqual({ chatId: ANNA, sent: false, sendOnceKey: once });
		expect(held(ANNA) + held(IVAN)).toBe(1);
		// The store was asked with a bound (each key kept with its claim's token), so its row cannot grow without end.
		expect(deduplication.calls.at(-1)?.options).toEqual({ mode: 'entries', maxEntries: 2 * MAX_KEYS });
	});

	it.each([
		['a new row (its first writes collide on the primary key)', true],
		['a row that exists (each reads it, adds the key, writes it back)', false],
	])('ten executions at the same moment with one key, on %s: one message, and no other key lost', async (_, newRow) => {
		const workflowId = newRow ? `wfOnce${process.pid}${++key}` : 'wf-test';
		const earlier = freshKey();
		if (!newRow) await send([{ chat: IVAN, key: earlier }]);
		const once = freshKey();
		const runs = await Promise.all(Array.from({ length: 10 }, async () => await send([{ chat: ANNA, key: once }], { workflowId })));
		expect(runs.map((run) => run.main[0].json.sent).filter(Boolean)).toHaveLength(1);
		expect(runs.every((run) => run.main[0].json.error === undefined)).toBe(true);
		expect(held()).toBe(1);
		if (!newRow) expect((await send([{ chat: IVAN, key: earlier }])).main[0].json.sent).toBe(false);
	});

	it('a send refused before GREEN-API took it gives its key back: the next run with the key sends it', async () => {
		const once = freshKey();
		fixture.simulator.script(ID_INSTANCE, ANNA, [{ status: 400, text: 'Validation failed. Details: try later', method: 'sendMessage' }]);
		const refused = await send([{ chat: ANNA, key: once }]);
		expect(refused.main[0].json.error).toMatchObject({ code: 'VALIDATION_FAILED' });
		expect(held()).toBe(0);
		const retried = await send([{ chat: ANNA, key: once }]);
		expect(retried.main[0].json).toMatchObject({ sent: true, sendOnceKey: once });
		expect(held()).toBe(1);
	});

	it("a send refused whose key n8n's store cannot give back: the refusal's error says the key is kept, and to use another", async () => {
		const once = freshKey();
		fixture.simulator.script(ID_INSTANCE, ANNA, [{ status: 400, text: 'Validation failed. Details: try later', method: 'sendMessage' }]);
		const failing = async () => {
			throw new Error('connection terminated');
		};
		const refused = await deduplication.replaced({ removeProcessed: failing }, async () => await send([{ chat: ANNA, key: once }]));
		expect(refused.main[0].json.error).toMatchObject({
			code: 'VALIDATION_FAILED',
			description: expect.stringContaining(
				`Its once-key "${once}" could not be given back (n8n's deduplication store failed 3 times in a row: connection terminated), so a run with it skips it: send it under another key.`,
			),
		});
		expect(held()).toBe(0);
	});

	it('a send that may have happened keeps its key: the next run with the key sends nothing', async () => {
		const once = freshKey();
		fixture.simulator.script(ID_INSTANCE, ANNA, [{ status: 500, accepted: true, method: 'sendMessage' }]);
		const lost = await send([{ chat: ANNA, key: once }]);
		expect(lost.main[0].json.error).toMatchObject({ code: 'MAY_HAVE_HAPPENED' });
		const retried = await send([{ chat: ANNA, key: once }]);
		expect(retried.main[0].json).toEqual({ chatId: ANNA, sent: false, sendOnceKey: once });
		expect(held()).toBe(1);
	});

	it('a store write of its own slower than the settle time: the item fails MAY_HAVE_HAPPENED saying why, nothing is sent, and the key stays recorded', async () => {
		const once = freshKey();
		// Read and write each take more than half the settle time: the claim's own write took longer than the node trusts.
		const slow = await deduplication.replaced({ roundTripMs: SETTLE_MS / 2 + 100 }, async () => await send([{ chat: ANNA, key: once }]));
		expect(slow.main[0].json).toMatchObject({
			message: `Not sent: once-key "${once}" could not be confirmed as this execution's [item 0]`,
			error: { code: 'MAY_HAVE_HAPPENED', description: expect.stringMatching(/^Recording the once-key took \d+ ms, longer than the \d+ ms the node trusts: another execution may have sent/) },
		});
		expect(held()).toBe(0);
		// Kept, because another execution may have sent it: a re-run skips it, as the error says.
		expect(slow.main[0].json.error).toMatchObject({ description: expect.stringContaining('under another key') });
		expect((await send([{ chat: ANNA, key: once }])).main[0].json).toEqual({ chatId: ANNA, sent: false, sendOnceKey: once });
		expect(held()).toBe(0);
	});

	it("n8n's store failing on every try: the item fails ONCE_KEY_STORE_FAILED with the store's words, and nothing is sent", async () => {
		const once = freshKey();
		let tries = 0;
		const failing = async () => {
			tries++;
			throw new Error('timeout exceeded when trying to connect');
		};
		const failed = await deduplication.replaced({ checkProcessedAndRecord: failing }, async () => await send([{ chat: ANNA, key: once }]));
		expect(failed.main[0].json).toMatchObject({
			message: `Not sent: n8n's store of once-keys failed for once-key "${once}" [item 0]`,
			error: { code: 'ONCE_KEY_STORE_FAILED', description: expect.stringContaining("n8n's deduplication store failed 3 times in a row: timeout exceeded when trying to connect. Nothing was sent.") },
		});
		expect(tries).toBe(3);
		expect(held()).toBe(0);
	});

	it('a store try that failed but still wrote: whether the key was new cannot be told, so the item fails ONCE_KEY_STORE_FAILED and nothing is sent', async () => {
		const once = freshKey();
		const original = deduplication.checkProcessedAndRecord.bind(deduplication);
		let failedOnce = false;
		const writesThenFails: typeof original = async (...args) => {
			const output = await original(...args);
			if (failedOnce) return output;
			failedOnce = true;
			throw new Error('Connection terminated unexpectedly');
		};
		const failed = await deduplication.replaced({ checkProcessedAndRecord: writesThenFails }, async () => await send([{ chat: ANNA, key: once }]));
		expect(failed.main[0].json).toMatchObject({
			error: {
				code: 'ONCE_KEY_STORE_FAILED',
				description: expect.stringContaining("n8n's deduplication store failed once but still recorded the once-key, so whether it was new cannot be told. Nothing was sent."),
			},
		});
		expect(held()).toBe(0);
	});

	it("a run's claims go to n8n's store together: ten keyed items to ten chats claim and check in a few writes, not one each", async () => {
		const before = deduplication.calls.length;
		const result = await send(Array.from({ length: 10 }, (_, index) => ({ chat: `7900555000${index}@c.us`, key: freshKey() })));
		expect(result.main.map((item) => item.json.sent)).toEqual(Array(10).fill(true));
		// Each claim writes its key and token twice (claim, check): 40 values, in a few writes rather than 20.
		const calls = deduplication.calls.slice(before);
		expect(calls.map(({ method }) => method)).toEqual(calls.map(() => 'checkProcessedAndRecord'));
		expect(calls.reduce((sum, { items }) => sum + items.length, 0)).toBe(40);
		expect(calls.length).toBeLessThanOrEqual(4);
	});

	it('without a key nothing is checked; an unsaved workflow (no ID) with a key fails the item, saying to save it, and sends nothing', async () => {
		await send([
			{ chat: ANNA, key: '' },
			{ chat: ANNA, key: '' },
		]);
		expect(held()).toBe(2);
		const calls = deduplication.calls.length;
		const unsaved = await send([{ chat: IVAN, key: freshKey() }], { workflowId: '' });
		expect(unsaved.main[0].json).toMatchObject({ message: 'Send Once Per Key needs a saved workflow: save it, then run it again [item 0]', error: { code: 'INVALID_INPUT' } });
		expect(held(IVAN)).toBe(0);
		expect(deduplication.calls.length).toBe(calls);
	});
});

describe('an AI Agent thanking a customer (the node as a tool)', () => {
	let fixture: Fixture;
	beforeEach(async () => {
		fixture = await startFixture([{ chatId: ANNA }]);
	});
	afterEach(async () => await fixture.stop());
	const parameters = {
		resource: 'message',
		operation: 'sendText',
		chatId: { __rl: true, mode: 'idOrPhone', value: "={{ $fromAI('chat', 'The customer\\'s chat ID or phone number', 'string') }}" },
		text: "={{ $fromAI('text', 'The message to send', 'string') }}",
		options: { sendOnceKey: "={{ $fromAI('key', 'A key for this message, the same for the same message', 'string') }}" },
	};

	it('the tool n8n builds asks the model for the chat, the text and the key; the node’s description offers sending', () => {
		expect(new GreenApi().description.description).toContain('send a text message');
		const schema = getSchema({ id: '1', name: 'Send text', type: 'n8n-nodes-green-api.greenApi', typeVersion: 1, position: [0, 0], parameters } as INode);
		expect(Object.keys(schema.shape).sort()).toEqual(['chat', 'key', 'text']);
	});

	it('the model fills chat and text and the message goes out; the model calling twice with the same key sends once', async () => {
		const key = `agent-${process.pid}-${Date.now()}`;
		const query = { chat: '+7 900 123-45-67', text: 'Thank you for your order!', key };
		const first = await fixture.run([{ query }], parameters);
		expect(first.main[0].json).toMatchObject({ chatId: ANNA, sent: true, sendOnceKey: key });
		const second = await fixture.run([{ query }], parameters);
		expect(second.main[0].json).toMatchObject({ chatId: ANNA, sent: false, sendOnceKey: key });
		expect(fixture.simulator.sentTo(ID_INSTANCE, ANNA)).toHaveLength(1);
	});
});
