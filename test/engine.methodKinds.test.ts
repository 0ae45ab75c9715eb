/**
 * Calls of every kind a GREEN-API method can be, through the one call path and n8n's engine: a JSON
 * body with lists and objects (sendPoll's options), a file uploaded as raw bytes to the instance's
 * media host (uploadFile), a multipart form with a file (sendFileByUpload), a method's own timeout,
 * and text fields sent as typed. Throwaway methods, described as any method is, against two
 * recording HTTP servers standing for the instance's API and media hosts: what arrives is read
 * back byte for byte (multipart with the platform's own form parser, not ours).
 */
import { textField } from '../nodes/GreenApi/api/fields';
import { chatField } from '../nodes/GreenApi/api/chatField';
import { RequestFile, UnexpectedAnswer, type FieldSpec, type GreenApiMethod, type MethodCall } from '../nodes/GreenApi/api/types';
import { mediaAddress } from '../nodes/GreenApi/transport/request';
import { logLines, registerMethodsNode, runGreenApi, type OnError } from './harness/engine';
import { ID_INSTANCE, TOKEN } from './helpers/fixture';
import { recorder, type Recorder } from './helpers/recorder';

/** A poll's options as one field: a list of objects in the JSON body. */
const optionsField: FieldSpec = {
	property: { displayName: 'Poll Options', name: 'pollOptions', type: 'string', default: '' },
	normalise: (value) =>
		String(value)
			.split('|')
			.map((optionName) => ({ optionName })),
};

const ANSWER = { idMessage: 'BAE5F4886F6F2D05' };
const idMessageOf = (response: unknown) => [{ idMessage: (response as { idMessage: string }).idMessage }];

const listBody: GreenApiMethod = {
	resource: 'test',
	operation: 'listBody',
	name: 'List Body',
	action: 'Send a list',
	description: 'A JSON body with a list of objects',
	path: 'sendPoll',
	httpMethod: 'POST',
	rateLimitPerSecond: 50,
	safeToRepeat: false,
	fields: [chatField, textField({ name: 'message', displayName: 'Question', description: 'The question', required: true }), optionsField],
	errors: [],
	output: (_request, response) => idMessageOf(response),
};

/** uploadFile: the file as the whole body, on the media host; safe to repeat (an upload sends nothing). */
const uploadFile: MethodCall = {
	path: 'uploadFile',
	httpMethod: 'POST',
	host: 'media',
	body: 'bytes',
	minTimeoutMs: 5000,
	rateLimitPerSecond: 50,
	safeToRepeat: true,
	errors: [],
	output: (_request, response) => [{ urlFile: (response as { urlFile: string }).urlFile }],
};

const binaryField: FieldSpec = {
	property: { displayName: 'Input Binary Field', name: 'binaryPropertyName', type: 'string', default: 'data' },
	normalise: (value) => String(value),
};

const rawUpload: GreenApiMethod = {
	resource: 'test',
	operation: 'rawUpload',
	name: 'Raw Upload',
	action: 'Upload a file',
	description: 'The item’s file as the body, to the media host',
	...uploadFile,
	fields: [binaryField],
	execute: async ({ request, binary, call }) => await call(uploadFile, { file: await binary(String(request.binaryPropertyName), 'Input Binary Field') }),
};

/** sendFileByUpload: a multipart form on the media host. */
const sendFileByUpload: MethodCall = {
	path: 'sendFileByUpload',
	httpMethod: 'POST',
	host: 'media',
	body: 'multipart',
	rateLimitPerSecond: 50,
	safeToRepeat: false,
	errors: [],
	output: (_request, response) => idMessageOf(response),
};

const multipartBody: GreenApiMethod = {
	resource: 'test',
	operation: 'multipartBody',
	name: 'Multipart Body',
	action: 'Send a file as a form',
	description: 'A multipart form with a file part',
	...sendFileByUpload,
	fields: [chatField, binaryField, textField({ name: 'caption', displayName: 'Caption', description: 'Under the file', required: false })],
	execute: async ({ request, binary, item, call }) => {
		const file = await binary(String(request.binaryPropertyName), 'Input Binary Field');
		const form = { chatId: request.chatId, file, fileName: file.fileName, ...(request.caption === undefined ? {} : { caption: request.caption }), note: String(item.json.note ?? '') };
		return await call(sendFileByUpload, form);
	},
};

/** The same slow method with and without its own timeout. */
const slow = (minTimeoutMs?: number): GreenApiMethod => ({
	...listBody,
	operation: minTimeoutMs ? 'slowWithOwnTimeout' : 'slow',
	name: minTimeoutMs ? 'Slow With Own Timeout' : 'Slow',
	path: 'slow',
	safeToRepeat: true,
	fields: [chatField],
	...(minTimeoutMs ? { minTimeoutMs } : {}),
});

/** A method whose success answer lacks the documented idMessage: must-not-run-twice or safe to repeat. */
const oddAnswer = (safeToRepeat: boolean): GreenApiMethod => ({
	...listBody,
	operation: safeToRepeat ? 'oddSafe' : 'oddSend',
	name: safeToRepeat ? 'Odd Safe' : 'Odd Send',
	path: 'sendOdd',
	safeToRepeat,
	fields: [chatField],
	output: (_request, response) => {
		if (typeof (response as { idMessage?: unknown })?.idMessage !== 'string') throw new UnexpectedAnswer('expected { "idMessage": "…" }');
		return idMessageOf(response);
	},
});

const buggySend: GreenApiMethod = {
	...oddAnswer(false),
	operation: 'buggySend',
	name: 'Buggy Send',
	output: () => {
		const missing = undefined as unknown as { idMessage: string };
		return [{ idMessage: missing.idMessage }];
	},
};

const NODE = registerMethodsNode('methodKinds', [listBody, rawUpload, multipartBody, slow(), slow(3000), oddAnswer(false), oddAnswer(true), buggySend]);

/** A PDF-like file with every byte value in it: a body that is not text. */
const FILE = Buffer.from([...Buffer.from('%PDF-1.7\n'), ...Array.from({ length: 256 }, (_, byte) => byte), ...Buffer.from('\r\n--not-a-boundary--\r\n')]);
const fileItem = { data: { data: FILE.toString('base64'), mimeType: 'application/pdf', fileName: 'Счёт №7.pdf', fileExtension: 'pdf' } };

let api: Recorder;
let media: Recorder;
beforeEach(async () => {
	const answers = {
		sendPoll: { body: ANSWER },
		uploadFile: { body: { urlFile: 'https://sw-media-out.storage.greenapi.net/1101/x.pdf' } },
		sendFileByUpload: { body: ANSWER },
		slow: { body: ANSWER, delayMs: 600 },
		sendOdd: { body: { queued: true } },
	};
	api = await recorder(answers);
	media = await recorder(answers);
	logLines.splice(0);
});
afterEach(async () => {
	await api.stop();
	await media.stop();
});

const run = async (operation: string, parameters: Record<string, unknown>, items: Array<Record<string, unknown>>, binary: unknown[] = [], onError?: OnError) =>
	await runGreenApi({
		items: items as never,
		binary: binary as never,
		parameters: { resource: 'test', operation, ...parameters } as never,
		credentials: { main: { apiUrl: api.url, mediaUrl: media.url, idInstance: ID_INSTANCE, apiTokenInstance: TOKEN } },
		nodeType: NODE,
		onError,
	});

describe('a JSON body with lists and objects', () => {
	it('arrives as one JSON object, the list of objects in it as described, the question exactly as typed', async () => {
		const question = '  Was it good?\n  Tell us  ';
		const result = await run('listBody', { chatId: '79001234567@c.us', message: question, pollOptions: 'Yes|No|Maybe' }, [{}]);
		expect(result.main.map((item) => item.json)).toEqual([ANSWER]);
		expect(api.received).toHaveLength(1);
		const [request] = api.received;
		expect(request.url).toBe(`/waInstance${ID_INSTANCE}/sendPoll/${TOKEN}`);
		expect(request.headers['content-type']).toBe('application/json');
		expect(JSON.parse(request.body.toString())).toEqual({
			chatId: '79001234567@c.us',
			message: question,
			pollOptions: [{ optionName: 'Yes' }, { optionName: 'No' }, { optionName: 'Maybe' }],
		});
		expect(media.received).toHaveLength(0);
	});
});

describe('a file as raw bytes, to the media host', () => {
	it('the item’s binary data is the whole body, byte for byte, with its type and name (percent-encoded) in the headers', async () => {
		const result = await run('rawUpload', { binaryPropertyName: 'data' }, [{}], [fileItem]);
		expect(result.error).toBeUndefined();
		expect(result.main.map((item) => item.json)).toEqual([{ urlFile: 'https://sw-media-out.storage.greenapi.net/1101/x.pdf' }]);
		expect(api.received).toHaveLength(0);
		expect(media.received).toHaveLength(1);
		const [request] = media.received;
		expect(request.url).toBe(`/waInstance${ID_INSTANCE}/uploadFile/${TOKEN}`);
		expect(request.body.equals(FILE)).toBe(true);
		expect(request.headers['content-type']).toBe('application/pdf');
		expect(decodeURIComponent(String(request.headers['ga-filename']))).toBe('Счёт №7.pdf');
		// Neither the bytes nor the token reach the stored run or the log.
		expect(result.stored).not.toContain(TOKEN);
		expect(logLines.join('\n')).not.toContain(TOKEN);
	});

	it('an item without the binary property fails alone, naming the field, the property and the item; the other is uploaded', async () => {
		const result = await run('rawUpload', { binaryPropertyName: 'data' }, [{}, {}], [null, fileItem], 'continueRegularOutput');
		const [missing, uploaded] = result.main.map((item) => item.json);
		expect(missing).toEqual({
			message: 'Input Binary Field: the item has no binary property "data" [item 0]',
			error: expect.objectContaining({ code: 'INVALID_INPUT', description: expect.stringContaining('Give the node an item with a file') }),
		});
		expect(uploaded).toEqual({ urlFile: expect.any(String) });
		expect(media.received).toHaveLength(1);
	});
});

describe('a file name in the GA-Filename header', () => {
	it.each([
		['printable ASCII, as it is', 'my invoice (final).pdf', 'my invoice (final).pdf'],
		['another script, percent-encoded', 'Счёт.pdf', '%D0%A1%D1%87%D1%91%D1%82.pdf'],
		['a % sign, percent-encoded so that it reads back', '100% done.pdf', '100%25 done.pdf'],
		['a line break, percent-encoded (a header cannot hold one)', 'a\nb.pdf', 'a%0Ab.pdf'],
	])('%s', async (_, fileName, header) => {
		await run('rawUpload', { binaryPropertyName: 'data' }, [{}], [{ data: { ...fileItem.data, fileName } }]);
		expect(media.received[0].headers['ga-filename']).toBe(header);
		expect(decodeURIComponent(header)).toBe(fileName);
	});

	it('a MIME type a header cannot carry is sent as application/octet-stream', async () => {
		await run('rawUpload', { binaryPropertyName: 'data' }, [{}], [{ data: { ...fileItem.data, mimeType: 'text/plain\r\nX-Evil: 1' } }]);
		expect(media.received[0].headers['content-type']).toBe('application/octet-stream');
		expect(media.received[0].headers['x-evil']).toBeUndefined();
	});
});

describe('a multipart form with a file, to the media host', () => {
	it('each field a part, the file a file part with its name and type, read back by the platform’s own form parser', async () => {
		const result = await run('multipartBody', { chatId: '79001234567@c.us', binaryPropertyName: 'data', caption: ' Your invoice\n' }, [{ note: 'line "one"\r\nline two' }], [fileItem]);
		expect(result.error).toBeUndefined();
		expect(result.main.map((item) => item.json)).toEqual([ANSWER]);
		expect(media.received).toHaveLength(1);
		const [request] = media.received;
		expect(request.url).toBe(`/waInstance${ID_INSTANCE}/sendFileByUpload/${TOKEN}`);
		expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		const form = await new Response(new Uint8Array(request.body), { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
		expect(form.get('chatId')).toBe('79001234567@c.us');
		expect(form.get('caption')).toBe(' Your invoice\n');
		expect(form.get('fileName')).toBe('Счёт №7.pdf');
		expect(form.get('note')).toBe('line "one"\r\nline two');
		const file = form.get('file') as File;
		expect(file.name).toBe('Счёт №7.pdf');
		expect(file.type).toBe('application/pdf');
		expect(Buffer.from(await file.arrayBuffer()).equals(FILE)).toBe(true);
	});
});

describe('a method’s own timeout', () => {
	it('a slow answer (600 ms) under Options → Timeout 200 ms: a method with its own (3 s) waits for it; one without times out', async () => {
		const options = { options: { timeout: 200, maxRetries: 0 } };
		const own = await run('slowWithOwnTimeout', { chatId: '79001234567@c.us', ...options }, [{}], [], 'continueRegularOutput');
		expect(own.main.map((item) => item.json)).toEqual([ANSWER]);
		const plain = await run('slow', { chatId: '79001234567@c.us', ...options }, [{}], [], 'continueRegularOutput');
		expect(plain.main[0].json.error).toMatchObject({ code: 'TIMEOUT' });
	});
});

describe('the media host', () => {
	it('is the credential’s Media URL; when empty, the API URL with "api" made "media"; a host without "api" serves both', () => {
		expect(mediaAddress({ apiUrl: 'https://1103.api.green-api.com', mediaUrl: 'https://9999.media.green-api.com/' })).toBe('https://9999.media.green-api.com');
		expect(mediaAddress({ apiUrl: 'https://1103.api.green-api.com/' })).toBe('https://1103.media.green-api.com');
		expect(mediaAddress({ apiUrl: 'https://api.green-api.com', mediaUrl: '  ' })).toBe('https://media.green-api.com');
		expect(mediaAddress({ apiUrl: 'https://7103.api.greenapi.com' })).toBe('https://7103.media.greenapi.com');
		expect(mediaAddress({ apiUrl: 'http://127.0.0.1:3100' })).toBe('http://127.0.0.1:3100');
		expect(mediaAddress({ apiUrl: 'https://rapid-api.example.com' })).toBe('https://rapid-api.example.com');
	});

	it('a refusal from the media host names the Media URL in its hint (and, when that is empty, the API URL it comes from), not the API URL alone', async () => {
		const nowhere: GreenApiMethod = {
			...rawUpload,
			operation: 'uploadNowhere',
			execute: async ({ binary, call }) => await call({ ...uploadFile, path: 'uploadNowhere' }, { file: await binary('data', 'Input Binary Field') }),
		};
		const node = registerMethodsNode('methodKindsNowhere', [nowhere]);
		const refused = async (mediaUrl: string) =>
			await runGreenApi({
				items: [{}],
				binary: [fileItem] as never,
				parameters: { resource: 'test', operation: 'uploadNowhere', binaryPropertyName: 'data' },
				credentials: { main: { apiUrl: api.url, mediaUrl, idInstance: ID_INSTANCE, apiTokenInstance: TOKEN } },
				nodeType: node,
				onError: 'continueRegularOutput',
			});
		const [failed] = (await refused(media.url)).main;
		expect(failed.json.message).toBe(`GREEN-API has no method uploadNowhere at ${media.url}.`);
		const own = failed.json.error as { code: string; description: string };
		expect(own.code).toBe('NOT_FOUND');
		expect(own.description).toContain('Check the Media URL in the credential: use the host the GREEN-API console shows, with no extra path.');
		// No Media URL: the API URL (no "api" label here) serves files too, and the hint says where the address came from.
		const derived = (await refused('')).main[0].json.error as { code: string; description: string };
		expect(derived.code).toBe('NOT_FOUND');
		expect(derived.description).toContain('Check the Media URL (empty, so derived from the API URL) in the credential: use the host the GREEN-API console shows, with no extra path.');
	});

	it('a file never travels as JSON: a description that would send one that way fails its item as the node’s own fault', async () => {
		const wrong: GreenApiMethod = { ...rawUpload, operation: 'wrong', execute: async ({ binary, call }) => await call({ ...uploadFile, body: 'json' }, { file: await binary('data', 'Input Binary Field') }) };
		const node = registerMethodsNode('methodKindsWrong', [wrong]);
		const result = await runGreenApi({
			items: [{}],
			binary: [fileItem] as never,
			parameters: { resource: 'test', operation: 'wrong' },
			credentials: { main: { apiUrl: api.url, mediaUrl: media.url, idInstance: ID_INSTANCE, apiTokenInstance: TOKEN } },
			nodeType: node,
			onError: 'continueRegularOutput',
		});
		expect(result.main[0].json.error).toMatchObject({ code: 'NODE_FAULT' });
		expect(media.received).toHaveLength(0);
		// The body was never built, so no place on the lane was taken: the next upload goes at once.
		const next = await run('rawUpload', { binaryPropertyName: 'data' }, [{}], [fileItem]);
		expect(next.main.map((item) => item.json)).toEqual([{ urlFile: expect.any(String) }]);
		expect(new RequestFile(FILE, 'application/pdf', 'a.pdf').toJSON()).toBe(`a.pdf (application/pdf, ${FILE.length} bytes)`);
	});
});

describe('a success answer that cannot be read', () => {
	it('for a call that must not run twice: MAY_HAVE_HAPPENED, saying GREEN-API accepted it (so nobody sends it again); for a safe one: UNEXPECTED_ANSWER', async () => {
		const send = await run('oddSend', { chatId: '79001234567@c.us' }, [{}], [], 'continueRegularOutput');
		expect(send.main[0].json).toEqual({
			message:
				'GREEN-API accepted sendOdd (HTTP 200) but its answer was not as documented: expected { "idMessage": "…" }. GREEN-API may have carried out sendOdd, so it was not sent again: it must not run twice.',
			error: expect.objectContaining({ code: 'MAY_HAVE_HAPPENED', description: expect.stringMatching(/^Check whether it happened before running this item again\./) }),
		});
		// A reader with a bug, after GREEN-API took a send: still MAY_HAVE_HAPPENED (a NODE_FAULT could be retried into a second message).
		const buggy = await run('buggySend', { chatId: '79001234567@c.us' }, [{}], [], 'continueRegularOutput');
		expect(buggy.main[0].json).toMatchObject({ message: expect.stringContaining('the node could not read it (TypeError'), error: { code: 'MAY_HAVE_HAPPENED' } });
		const safe = await run('oddSafe', { chatId: '79001234567@c.us' }, [{}], [], 'continueRegularOutput');
		expect(safe.main[0].json.error).toMatchObject({ code: 'UNEXPECTED_ANSWER' });
		expect(api.received).toHaveLength(3);
	});
});
