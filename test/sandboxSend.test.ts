/**
 * The sandbox's send methods, spoken to over plain HTTP as a client of GREEN-API would: each
 * method's answer and validation errors, the media host (uploadFile, sendFileByUpload, the stored
 * file served back), the send queue and its delay, the outgoing journal filled by departures, the
 * yellowCard state, faults before and after acceptance (what was sent in each case), and the
 * 50-per-second limit of the send methods.
 */
import { GreenApiSimulator } from '../sandbox/simulator';
import type { Fault } from './helpers/simulatorTypes';

const ID = '1101000077';
const TOKEN = 'f00dfeed0000000000000000000000000000000000000000aa';
const ANNA = '79001234567@c.us';
const IVAN = '79007654321@c.us';
const ARCHIVED = '442079460958@c.us';
const GROUP = '120363043968066561@g.us';

interface Answer {
	status: number;
	text: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, read by each test as it expects
	json: any;
}

let simulator: GreenApiSimulator;
let apiUrl: string;

async function start(spec: { sendDelayMs?: number; state?: string; unarchiveOnSend?: boolean } = {}, options: ConstructorParameters<typeof GreenApiSimulator>[0] = {}) {
	simulator = new GreenApiSimulator(options);
	simulator.addInstance({
		idInstance: ID,
		token: TOKEN,
		sendDelayMs: spec.sendDelayMs ?? 20,
		state: spec.state,
		unarchiveOnSend: spec.unarchiveOnSend,
		chats: [
			{ chatId: ANNA, name: 'Anna' },
			{ chatId: IVAN, name: 'Ivan' },
			{ chatId: ARCHIVED, name: 'Oliver', archived: true },
			{ chatId: GROUP, name: 'Group' },
		],
	});
	apiUrl = await simulator.start();
}

afterEach(async () => {
	await simulator?.stop();
});

const url = (method: string, extra = '') => `${apiUrl}/waInstance${ID}/${method}/${TOKEN}${extra}`;

async function read(response: Response): Promise<Answer> {
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, text, json };
}

async function post(method: string, body: unknown, signal?: AbortSignal): Promise<Answer> {
	return await read(await fetch(url(method), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal }));
}

async function get(method: string, query = ''): Promise<Answer> {
	return await read(await fetch(url(method, query)));
}

async function until(condition: () => boolean, timeoutMs = 3000) {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('timed out waiting');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

const instance = () => simulator.instance(ID);
const journal = () => simulator.notifications.inbox(ID).journals.outgoing.map(({ entry }) => entry);
const allSent = () => instance().sent.length > 0 && instance().sent.every((message) => message.state === 'sent');

describe('sendMessage', () => {
	it('answers { idMessage }; the message leaves the queue into its chat and the outgoing journal', async () => {
		await start();
		const before = instance().chats.get(ANNA)!.messages;
		const answer = await post('sendMessage', { chatId: ANNA, message: 'Your order has shipped' });
		expect(answer.status).toBe(200);
		expect(Object.keys(answer.json)).toEqual(['idMessage']);
		expect(answer.json.idMessage).toMatch(/^[0-9A-F]{16}$/);
		await until(allSent);
		expect(instance().chats.get(ANNA)!.messages).toBe(before + 1);
		const listed = await get('lastOutgoingMessages');
		expect(listed.json).toEqual([
			{
				type: 'outgoing',
				idMessage: answer.json.idMessage,
				timestamp: expect.any(Number),
				typeMessage: 'textMessage',
				chatId: ANNA,
				statusMessage: 'sent',
				sendByApi: true,
				textMessage: 'Your order has shipped',
			},
		]);
		expect(Math.abs(listed.json[0].timestamp - Date.now() / 1000)).toBeLessThan(5);
	});

	it('20,000 characters pass; 20,001 get the documented 400 and nothing is accepted', async () => {
		await start();
		expect((await post('sendMessage', { chatId: ANNA, message: 'я'.repeat(20000) })).status).toBe(200);
		const tooLong = await post('sendMessage', { chatId: ANNA, message: 'я'.repeat(20001) });
		expect(tooLong).toMatchObject({ status: 400, text: "Validation failed. Details: 'message' length must be less than or equal to 20000 characters long" });
		expect(instance().sent).toHaveLength(1);
	});

	it.each([
		[{ chatId: ANNA }, "Validation failed. Details: 'message' is required"],
		[{ message: 'hi' }, "Validation failed. Details: 'chatId' is required"],
		[{ chatId: 'not a chat', message: 'hi' }, 'Bad Request Validation failed'],
		[{ chatId: ANNA, message: 'hi', typingTime: 999 }, "Validation failed. Details: 'typingTime' must be greater than or equal to 1000"],
		[{ chatId: ANNA, message: 'hi', typingTime: 20001 }, "Validation failed. Details: 'typingTime' must be less than or equal to 20000"],
		[{ chatId: ANNA, message: 'hi', linkPreview: 'yes' }, "Validation failed. Details: 'linkPreview' must be a boolean"],
		[{ chatId: ANNA, message: 'hi', quotedMessageId: 'BAE5000000000000' }, `Validation failed. Details: 'quotedMessageId' message BAE5000000000000 not found in chat ${ANNA}`],
	])('refuses %j with 400 and accepts nothing', async (body, text) => {
		await start();
		expect(await post('sendMessage', body)).toMatchObject({ status: 400, text });
		expect(instance().sent).toHaveLength(0);
	});

	it('typingTime 1000 and 20000 pass; quotedMessageId must be a known message of the same chat', async () => {
		await start();
		expect((await post('sendMessage', { chatId: ANNA, message: 'a', typingTime: 1000 })).status).toBe(200);
		expect((await post('sendMessage', { chatId: ANNA, message: 'b', typingTime: 20000, linkPreview: false })).status).toBe(200);
		const { idMessage: incoming } = simulator.notifications.message(instance(), { chatId: ANNA, text: 'Where is my order?' });
		const sent = (await post('sendMessage', { chatId: IVAN, message: 'Hello' })).json.idMessage;
		expect((await post('sendMessage', { chatId: ANNA, message: 'It is on its way', quotedMessageId: incoming })).status).toBe(200);
		expect((await post('sendMessage', { chatId: IVAN, message: 'Again', quotedMessageId: sent })).status).toBe(200);
		// A message of another chat is not one to quote.
		expect((await post('sendMessage', { chatId: IVAN, message: 'x', quotedMessageId: incoming })).status).toBe(400);
		expect(instance().sent.map((message) => message.textMessage)).toEqual(['a', 'b', 'Hello', 'It is on its way', 'Again']);
		await until(allSent);
		expect(journal().find((entry) => entry.textMessage === 'It is on its way')).toMatchObject({ quotedMessage: { stanzaId: incoming } });
	});
});

describe('sendFileByUrl, uploadFile and sendFileByUpload', () => {
	it('sendFileByUrl: the type from the file name; the journal carries downloadUrl, caption, fileName', async () => {
		await start();
		const photo = await post('sendFileByUrl', { chatId: ANNA, urlFile: 'https://example.com/a/photo.JPG', fileName: 'photo.JPG', caption: 'Your parcel' });
		const invoice = await post('sendFileByUrl', { chatId: GROUP, urlFile: 'https://example.com/invoice', fileName: 'invoice.pdf' });
		expect(photo.status).toBe(200);
		expect(Object.keys(photo.json)).toEqual(['idMessage']);
		expect(invoice.status).toBe(200);
		await until(allSent);
		const entries = (await get('lastOutgoingMessages')).json;
		expect(entries.find((entry: { idMessage: string }) => entry.idMessage === photo.json.idMessage)).toMatchObject({
			typeMessage: 'imageMessage',
			chatId: ANNA,
			downloadUrl: 'https://example.com/a/photo.JPG',
			caption: 'Your parcel',
			fileName: 'photo.JPG',
			mimeType: 'image/jpeg',
			sendByApi: true,
			statusMessage: 'sent',
		});
		expect(entries.find((entry: { idMessage: string }) => entry.idMessage === invoice.json.idMessage)).toMatchObject({ typeMessage: 'documentMessage', chatId: GROUP, caption: '' });
	});

	it.each([
		[{ chatId: ANNA, fileName: 'a.pdf' }, "Validation failed. Details: 'urlFile' is required"],
		[{ chatId: ANNA, urlFile: 'not a url', fileName: 'a.pdf' }, "Validation failed. Details: 'urlFile' must be a valid uri"],
		[{ chatId: ANNA, urlFile: 'https://example.com/a.pdf' }, "Validation failed. Details: 'fileName' is required"],
		[{ chatId: ANNA, urlFile: 'https://example.com/a.pdf', fileName: 'a.pdf', caption: 'x'.repeat(20001) }, "Validation failed. Details: 'caption' length must be less than or equal to 20000 characters long"],
	])('sendFileByUrl refuses %j', async (body, text) => {
		await start();
		expect(await post('sendFileByUrl', body)).toMatchObject({ status: 400, text });
		expect(instance().sent).toHaveLength(0);
	});

	it('uploadFile: a percent-encoded GA-Filename is decoded; urlFile serves the bytes and sendFileByUrl recognises it', async () => {
		await start();
		const bytes = Buffer.from('%PDF-1.4 a small invoice');
		const name = 'Счёт №1.pdf';
		const upload = await read(await fetch(url('uploadFile'), { method: 'POST', headers: { 'Content-Type': 'application/pdf', 'GA-Filename': encodeURIComponent(name) }, body: bytes }));
		expect(upload.status).toBe(200);
		expect(Object.keys(upload.json)).toEqual(['urlFile']);
		const urlFile: string = upload.json.urlFile;
		expect(urlFile.startsWith(apiUrl)).toBe(true);
		const served = await fetch(urlFile);
		expect(served.status).toBe(200);
		expect(served.headers.get('content-type')).toBe('application/pdf');
		expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
		expect(simulator.fileAt(urlFile)?.name).toBe(name);
		expect((await fetch(`${apiUrl}/sandbox-media/${ID}/nothing/here.pdf`)).status).toBe(404);
		// Upload once, send to many.
		for (const chatId of [ANNA, IVAN]) expect((await post('sendFileByUrl', { chatId, urlFile, fileName: name })).status).toBe(200);
		await until(() => instance().sent.length === 2 && allSent());
		expect(journal().map((entry) => [entry.chatId, entry.downloadUrl, entry.fileName])).toEqual([
			[ANNA, urlFile, name],
			[IVAN, urlFile, name],
		]);
		expect(instance().sent.every((message) => simulator.fileAt(message.downloadUrl!) !== undefined)).toBe(true);
	});

	it('a separate media host: uploadFile there gives a urlFile on it; it answers 404 to other methods', async () => {
		await start();
		const mediaUrl = await simulator.startMedia();
		expect(mediaUrl).not.toBe(apiUrl);
		const onMedia = (method: string) => `${mediaUrl}/waInstance${ID}/${method}/${TOKEN}`;
		const upload = await read(await fetch(onMedia('uploadFile'), { method: 'POST', headers: { 'Content-Type': 'text/plain', 'GA-Filename': 'notes.txt' }, body: 'hello' }));
		expect(upload.status).toBe(200);
		expect(upload.json.urlFile.startsWith(`${mediaUrl}/sandbox-media/`)).toBe(true);
		expect(await (await fetch(upload.json.urlFile)).text()).toBe('hello');
		const sendThere = await fetch(onMedia('sendMessage'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ chatId: ANNA, message: 'hi' }) });
		expect(sendThere.status).toBe(404);
		expect((await fetch(`${mediaUrl}/__sandbox/sent?idInstance=${ID}`)).status).toBe(404);
		expect(instance().sent).toHaveLength(0);
	});

	it('sendFileByUpload: multipart form → { idMessage, urlFile }; the file is stored and sent', async () => {
		await start();
		const form = new FormData();
		form.set('chatId', ANNA);
		form.set('file', new Blob(['fake png bytes'], { type: 'image/png' }), 'chart.png');
		form.set('fileName', 'chart.png');
		form.set('caption', 'This month');
		const answer = await read(await fetch(url('sendFileByUpload'), { method: 'POST', body: form }));
		expect(answer.status).toBe(200);
		expect(Object.keys(answer.json).sort()).toEqual(['idMessage', 'urlFile']);
		expect(await (await fetch(answer.json.urlFile)).text()).toBe('fake png bytes');
		await until(allSent);
		expect(journal()).toEqual([
			expect.objectContaining({ idMessage: answer.json.idMessage, typeMessage: 'imageMessage', chatId: ANNA, caption: 'This month', fileName: 'chart.png', downloadUrl: answer.json.urlFile }),
		]);
	});

	it('sendFileByUpload refuses a form without a file, a file over the size limit, and a bad chat; nothing is sent', async () => {
		await start({}, { maxFileBytes: 1024 });
		const noFile = new FormData();
		noFile.set('chatId', ANNA);
		noFile.set('fileName', 'a.pdf');
		expect(await read(await fetch(url('sendFileByUpload'), { method: 'POST', body: noFile }))).toMatchObject({ status: 400, text: "Validation failed. Details: 'file' is required" });
		const big = new FormData();
		big.set('chatId', ANNA);
		big.set('file', new Blob([Buffer.alloc(1025)]), 'big.pdf');
		expect((await read(await fetch(url('sendFileByUpload'), { method: 'POST', body: big }))).status).toBe(413);
		const fits = new FormData();
		fits.set('chatId', 'nobody');
		fits.set('file', new Blob([Buffer.alloc(1024)]), 'fits.pdf');
		expect(await read(await fetch(url('sendFileByUpload'), { method: 'POST', body: fits }))).toMatchObject({ status: 400, text: 'Bad Request Validation failed' });
		expect((await read(await fetch(url('uploadFile'), { method: 'POST', body: Buffer.alloc(1025) }))).status).toBe(413);
		expect(instance().sent).toHaveLength(0);
		expect(simulator.files.size).toBe(0);
	});
});

describe('sendPoll', () => {
	const options = (count: number, name = (i: number) => `Option ${i}`) => Array.from({ length: count }, (_, i) => ({ optionName: name(i) }));

	it('answers { idMessage }; the journal shows a pollMessage', async () => {
		await start();
		const answer = await post('sendPoll', { chatId: GROUP, message: 'Lunch?', options: [{ optionName: 'Pizza' }, { optionName: 'Sushi' }], multipleAnswers: true });
		expect(answer.status).toBe(200);
		expect(Object.keys(answer.json)).toEqual(['idMessage']);
		await until(allSent);
		expect(journal()[0]).toMatchObject({
			typeMessage: 'pollMessage',
			chatId: GROUP,
			pollMessageData: { name: 'Lunch?', options: [{ optionName: 'Pizza' }, { optionName: 'Sushi' }], multipleAnswers: true },
		});
	});

	it('the bounds: 255-character question, 2 and 12 options, 100-character options pass', async () => {
		await start();
		expect((await post('sendPoll', { chatId: ANNA, message: 'q'.repeat(255), options: options(2) })).status).toBe(200);
		expect((await post('sendPoll', { chatId: ANNA, message: 'q', options: options(12, (i) => `${i}`.padEnd(100, 'x')) })).status).toBe(200);
		expect(instance().sent).toHaveLength(2);
	});

	it.each([
		[{ message: 'q'.repeat(256), options: options(2) }, "Validation failed. Details: 'message' length must be less than or equal to 255 characters long"],
		[{ message: 'q', options: options(1) }, "Validation failed. Details: 'options' must contain at least 2 items"],
		[{ message: 'q', options: options(13) }, "Validation failed. Details: 'options' must contain less than or equal to 12 items"],
		[{ message: 'q', options: [{ optionName: 'Yes' }, { optionName: 'Yes' }] }, "Validation failed. Details: 'options[1]' contains a duplicate value"],
		[{ message: 'q', options: [{ optionName: 'Yes' }, { optionName: 'n'.repeat(101) }] }, "Validation failed. Details: 'options[1].optionName' length must be less than or equal to 100 characters long"],
		[{ message: 'q', options: [{ optionName: 'Yes' }, { name: 'No' }] }, "Validation failed. Details: 'options[1].optionName' must be a non-empty string"],
		[{ message: 'q' }, "Validation failed. Details: 'options' is required"],
	])('refuses %#', async (body, text) => {
		await start();
		expect(await post('sendPoll', { chatId: ANNA, ...body })).toMatchObject({ status: 400, text });
		expect(instance().sent).toHaveLength(0);
	});
});

describe('the send queue', () => {
	it('messages leave in order, delaySendMessagesMilliseconds apart; showMessagesQueue lists what waits', async () => {
		await start({ sendDelayMs: 150 });
		expect((await get('getSettings')).json.delaySendMessagesMilliseconds).toBe(150);
		const ids: string[] = [];
		for (const text of ['one', 'two', 'three']) ids.push((await post('sendMessage', { chatId: ANNA, message: text })).json.idMessage);
		const waiting = (await get('showMessagesQueue')).json;
		// The first may already have left; the others wait, in order, as sent.
		expect(waiting.length).toBeGreaterThanOrEqual(2);
		expect(waiting.slice(-2)).toEqual([
			{ messageID: ids[1], type: 'sendMessage', body: { chatId: ANNA, message: 'two' } },
			{ messageID: ids[2], type: 'sendMessage', body: { chatId: ANNA, message: 'three' } },
		]);
		expect(journal().map((entry) => entry.idMessage)).not.toContain(ids[2]);
		await until(allSent);
		const sentAt = instance().sent.map((message) => message.sentAt!);
		expect(instance().sent.map((message) => message.idMessage)).toEqual(ids);
		expect(sentAt[1] - sentAt[0]).toBeGreaterThanOrEqual(149);
		expect(sentAt[2] - sentAt[1]).toBeGreaterThanOrEqual(149);
		// showMessagesQueue is 1 per second.
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect((await get('showMessagesQueue')).json).toEqual([]);
		// Newest first, as GREEN-API lists its journals.
		expect((await get('lastOutgoingMessages')).json.map((entry: { textMessage: string }) => entry.textMessage)).toEqual(['three', 'two', 'one']);
	});

	it('the delay counts from the previous departure: a message after a long pause leaves at once', async () => {
		await start({ sendDelayMs: 100 });
		await post('sendMessage', { chatId: ANNA, message: 'first' });
		await until(allSent);
		await new Promise((resolve) => setTimeout(resolve, 150));
		await post('sendMessage', { chatId: ANNA, message: 'second' });
		await until(allSent, 60);
		expect(instance().sent[1].sentAt! - instance().sent[1].acceptedAt).toBeLessThan(50);
	});

	it('clearMessagesQueue drops what waits: counted as accepted, never sent', async () => {
		await start({ sendDelayMs: 300 });
		for (const text of ['one', 'two', 'three']) await post('sendMessage', { chatId: ANNA, message: text });
		expect((await get('clearMessagesQueue')).json).toEqual({ isCleared: true });
		await new Promise((resolve) => setTimeout(resolve, 400));
		expect(instance().sent.map((message) => message.state)).toEqual(['sent', 'cleared', 'cleared']);
		expect(journal().map((entry) => entry.textMessage)).toEqual(['one']);
	});

	it('an archived chat stays archived when a message leaves the queue, unless the instance says otherwise', async () => {
		await start();
		await post('sendMessage', { chatId: ARCHIVED, message: 'Still there?' });
		await until(allSent);
		expect(instance().chats.get(ARCHIVED)).toMatchObject({ archived: true, messages: 2 });
		await simulator.stop();
		await start({ unarchiveOnSend: true });
		await post('sendMessage', { chatId: ARCHIVED, message: 'Still there?' });
		await until(allSent);
		expect(instance().chats.get(ARCHIVED)).toMatchObject({ archived: false, messages: 2 });
	});

	it('a message to a chat the instance never had makes the chat; outgoingAPIMessageWebhook notifies the departure', async () => {
		await start();
		simulator.notifications.inbox(ID).settings.outgoingAPIMessageWebhook = 'yes';
		const idMessage = (await post('sendMessage', { chatId: '4915112345678@c.us', message: 'Hallo' })).json.idMessage;
		await until(allSent);
		expect(instance().chats.get('4915112345678@c.us')).toMatchObject({ messages: 1, archived: false });
		expect(simulator.notifications.inbox(ID).queue.map(({ body }) => [body.typeWebhook, body.idMessage])).toEqual([['outgoingAPIMessageReceived', idMessage]]);
	});

	it('a yellowCard instance answers 200 with an idMessage and sends nothing', async () => {
		await start({ state: 'yellowCard' });
		const answer = await post('sendMessage', { chatId: ANNA, message: 'hi' });
		expect(answer.status).toBe(200);
		expect(answer.json.idMessage).toMatch(/^[0-9A-F]{16}$/);
		expect((await post('sendPoll', { chatId: ANNA, message: 'q', options: [{ optionName: 'a' }] })).status).toBe(400);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(instance().sent).toHaveLength(0);
		expect(instance().swallowed).toHaveLength(1);
		expect(journal()).toHaveLength(0);
	});
});

describe('instance states and the control endpoints', () => {
	it('an instance that is not authorized refuses sends and accepts nothing', async () => {
		await start({ state: 'notAuthorized' });
		expect(await post('sendMessage', { chatId: ANNA, message: 'hi' })).toMatchObject({ status: 400, text: 'instance account not authorized' });
		expect(instance().sent).toHaveLength(0);
		expect(instance().swallowed).toHaveLength(0);
	});

	it('another process scripts a fault after acceptance and reads what was sent', async () => {
		await start();
		const control = async (path: string, body?: unknown) =>
			await (await fetch(`${apiUrl}/__sandbox/${path}`, body ? { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {})).json();
		await control('script', { idInstance: ID, chatId: IVAN, faults: [{ status: 500, accepted: true }] });
		expect((await post('sendMessage', { chatId: IVAN, message: 'Once' })).status).toBe(500);
		await until(allSent);
		expect(await control(`sent?idInstance=${ID}`)).toEqual([expect.objectContaining({ chatId: IVAN, textMessage: 'Once', state: 'sent', answer: 500 })]);
	});
});

describe('faults before and after acceptance', () => {
	/** The answer, or how the request failed (fetch's errors come from another realm than Jest's Error). */
	const send = async (signal?: AbortSignal): Promise<Answer | { failed: string }> => {
		try {
			return await post('sendMessage', { chatId: ANNA, message: 'Your invoice' }, signal);
		} catch (error) {
			return { failed: (error as Error).name };
		}
	};

	const cases: Array<[string, Fault, 'status' | 'reset' | 'none', number]> = [
		['500 before', { status: 500, text: 'Internal Server Error' }, 'status', 0],
		['reset before', { reset: 'before' }, 'reset', 0],
		['no answer before', { hang: true }, 'none', 0],
		['500 after', { status: 500, text: 'Internal Server Error', accepted: true }, 'status', 1],
		['reset after', { reset: 'after' }, 'reset', 1],
		['reset after (accepted)', { reset: 'before', accepted: true }, 'reset', 1],
		['no answer after', { hang: true, accepted: true }, 'none', 1],
		['the answer lost after a delay', { delayMs: 400, accepted: true }, 'none', 1],
	];
	it.each(cases)('%s: the client sees it; %#: the message is sent as many times as the table says', async (_name, fault, seen, sentCount) => {
		await start();
		simulator.script(ID, ANNA, [fault]);
		const answer = await send(AbortSignal.timeout(200));
		if (seen === 'status') expect(answer).toMatchObject({ status: 500, text: 'Internal Server Error' });
		else expect(answer).toEqual({ failed: seen === 'reset' ? 'TypeError' : 'TimeoutError' });
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(instance().sent).toHaveLength(sentCount);
		expect(journal()).toHaveLength(sentCount);
		if (sentCount) expect(instance().sent[0]).toMatchObject({ state: 'sent', answer: seen === 'status' ? 500 : seen === 'reset' ? 'reset' : expect.anything() });
		// The fault is used up: the client's retry is a second message.
		expect(await send()).toMatchObject({ status: 200 });
		await until(() => instance().sent.length === sentCount + 1 && allSent());
		expect(journal()).toHaveLength(sentCount + 1);
	});

	it('a fault for one method passes other requests about the chat by', async () => {
		await start();
		simulator.script(ID, ANNA, [{ status: 500, accepted: true, method: 'sendMessage' }]);
		expect((await post('readChat', { chatId: ANNA })).status).toBe(200);
		expect((await post('sendMessage', { chatId: ANNA, message: 'once' })).status).toBe(500);
		expect((await post('sendMessage', { chatId: ANNA, message: 'twice' })).status).toBe(200);
		expect(simulator.sentTo(ID, ANNA).map((message) => [message.textMessage, message.answer])).toEqual([
			['once', 500],
			['twice', 200],
		]);
		expect(simulator.sentTo(ID, IVAN)).toEqual([]);
	});

	it('faults for a chat reach every send method; a method that names no chat is scripted by name', async () => {
		await start();
		simulator.script(ID, GROUP, [{ status: 502, accepted: true }]);
		expect((await post('sendPoll', { chatId: GROUP, message: 'q', options: [{ optionName: 'a' }, { optionName: 'b' }] })).status).toBe(502);
		simulator.script(ID, 'uploadFile', [{ status: 500 }]);
		expect((await read(await fetch(url('uploadFile'), { method: 'POST', body: 'x', headers: { 'GA-Filename': 'a.txt' } }))).status).toBe(500);
		expect(simulator.files.size).toBe(0);
		expect(instance().sent.map((message) => [message.method, message.answer])).toEqual([['sendPoll', 502]]);
	});
});

describe('the rate limit', () => {
	it('50 sendMessage requests a second pass, the 51st gets 429; other send methods have their own 50', async () => {
		await start({ sendDelayMs: 0 });
		const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => post('sendMessage', { chatId: ANNA, message: `m${i}` })));
		const statuses = answers.map((answer) => answer.status);
		expect(statuses.filter((status) => status === 200)).toHaveLength(50);
		expect(answers.filter((answer) => answer.status === 429).map((answer) => answer.text)).toEqual(Array(10).fill('Too Many Requests'));
		expect(instance().sent).toHaveLength(50);
		expect((await post('sendPoll', { chatId: ANNA, message: 'q', options: [{ optionName: 'a' }, { optionName: 'b' }] })).status).toBe(200);
		expect((await post('sendFileByUrl', { chatId: ANNA, urlFile: 'https://example.com/a.pdf', fileName: 'a.pdf' })).status).toBe(200);
	});
});
