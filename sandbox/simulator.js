// @ts-check
/**
 * A GREEN-API simulator served over loopback HTTP, for the tests, the benchmark and the sandbox
 * demo. It keeps per-instance chat state, answers every error GREEN-API documents for the calls
 * the node uses (in any of the body shapes the real service is seen to use), enforces the
 * per-instance, per-method rate limit with HTTP 429, and can script faults per chat id — before the
 * request is carried out (nothing happened) or after (it happened; the answer is lost, a 500, a reset
 * connection or none). It sends messages through a per-instance send queue (sending.js) and serves
 * the media host's paths (uploadFile, sendFileByUpload, the uploaded files) on the same server.
 * Never part of the published package.
 */
const http = require('node:http');
const { performance } = require('node:perf_hooks');

const { Notifications } = require('./notifications');
const { admit, busiestSecond, wholeSpanPace, steadyRate } = require('./rollingSecond');
const sending = require('./sending');

/** Documented per-instance limits, requests per second. */
const RATE_LIMITS = {
	archiveChat: 10,
	unarchiveChat: 10,
	readChat: 10,
	getStateInstance: 1,
	getChats: 1,
	getContactInfo: 1,
	getSettings: 1,
	setSettings: 1,
	lastIncomingMessages: 1,
	lastOutgoingMessages: 1,
	// Sending (GREEN-API: 50 per second each); uploadFile is not in GREEN-API's table: the sandbox gives it 50 too.
	sendMessage: 50,
	sendFileByUrl: 50,
	sendFileByUpload: 50,
	sendPoll: 50,
	uploadFile: 50,
	showMessagesQueue: 1,
	clearMessagesQueue: 1,
};

const CHAT_ID = /^(\d+@c\.us|\d+@g\.us|\d+-\d+@g\.us|\d+@lid)$/;

/**
 * @typedef {{ archived: boolean, messages: number, unread: number, name: string }} Chat
 * @typedef {'text' | 'json-message' | 'json-description' | 'json-string'} ErrorStyle
 * @typedef {{ status?: number, text?: string, body?: string, headers?: Record<string, string>, html?: boolean,
 *   reset?: 'before' | 'after', hang?: boolean, delayMs?: number, accepted?: boolean, method?: string }} Fault
 *   A scripted fault. Without `accepted` it happens before the request is carried out (nothing
 *   changes, no message is queued); with `accepted: true` the request is carried out first (the
 *   chat archived, the message queued and later sent) and then the client gets the fault: `status`
 *   (its answer replaces the real one), `reset` (the connection dropped), `hang` (no answer ever).
 *   `reset: 'after'` is `reset` with `accepted: true`. `delayMs` alone delays the real answer.
 *   `method`: only a request of that method takes the fault; other requests about the chat pass it by.
 * @typedef {import('./sending').Outgoing} Outgoing
 * @typedef {{ idInstance: string, token: string, state: string, expired?: boolean, deleted?: boolean,
 *   quotaExceeded?: boolean, chats: Map<string, Chat>, faults: Map<string, Fault[]>, errorStyle?: ErrorStyle,
 *   sent: Outgoing[], swallowed: Outgoing[], outbox: Outgoing[], lastDeparture: number,
 *   pump?: ReturnType<typeof setTimeout>, unarchiveOnSend: boolean }} Instance
 *   `sent`: every message the instance accepted, in order (queued, sent, or cleared from the queue),
 *   also those whose answer a fault lost; `swallowed`: sends a yellowCard instance answered 200 and
 *   never sent; `outbox`: the send queue; `unarchiveOnSend`: a message leaving the queue brings an
 *   archived chat back to the inbox (GREEN-API does not say; off: the chat stays archived)
 * @typedef {{ status: number, body: string, headers: Record<string, string> }} Reply
 * @typedef {Reply & { idInstance: string, method: string, fault?: Fault, outgoing?: Outgoing }} Answer
 * @typedef {{ status: number, text?: string, body?: string, outgoing?: Outgoing }} Result
 * @typedef {{ bytes: Buffer, headers: import('node:http').IncomingHttpHeaders, media?: boolean }} Raw the request as received (`media`: it came to the separate media host)
 */

class GreenApiSimulator {
	/**
	 * @param {{ latencyMs?: number, errorStyle?: ErrorStyle, enforceRateLimit?: boolean,
	 *   limits?: Record<string, number>, notifications?: ConstructorParameters<typeof Notifications>[0],
	 *   maxFileBytes?: number }} [options]
	 *   limits overrides the documented ones (a bigger plan); notifications sets how settings and deliveries behave;
	 *   maxFileBytes the file size limit (GREEN-API: 100 MB; a test may lower it)
	 */
	constructor(options = {}) {
		this.latencyMs = options.latencyMs ?? 0;
		/** @type {Record<string, number>} */
		this.limits = { ...RATE_LIMITS, ...options.limits };
		/** @type {ErrorStyle} */
		this.errorStyle = options.errorStyle ?? 'text';
		this.enforceRateLimit = options.enforceRateLimit ?? true;
		/** Settings, the notification queue and webhook deliveries, per instance. */
		this.notifications = new Notifications(options.notifications);
		/** @type {Map<string, Instance>} */
		this.instances = new Map();
		/** @type {Map<string, number[]>} arrival times (ms) of accepted requests, per instance+method */
		this.arrivals = new Map();
		/** @type {Array<{ at: number, idInstance: string, method: string, body: string, status: number }>} */
		this.requests = [];
		this.tooManyRequests = 0;
		this.maxFileBytes = options.maxFileBytes ?? sending.MAX_FILE_BYTES;
		/** @type {Map<string, import('./sending').StoredFile>} uploaded files by their path on the media host */
		this.files = new Map();
		/** @type {Set<import('node:net').Socket>} */
		this.sockets = new Set();
		this.server = this.listener(false);
		/** @type {http.Server | undefined} a separate media host, once startMedia() is called */
		this.mediaServer = undefined;
	}

	/** An HTTP server on this simulator's state: the API host (which serves the media paths too), or a media host only. @param {boolean} media */
	listener(media) {
		const server = http.createServer((req, res) => this.handle(req, res, media));
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		return server;
	}

	/**
	 * `history`: messages already in the journals when the instance is added, each so many days ago
	 * (incoming from the customer, or outgoing: sent from the phone). `sendDelayMs` sets the
	 * instance's delaySendMessagesMilliseconds (what getSettings shows; the sandbox's default is
	 * notifications.js's, 3000 ms; a test may set it below GREEN-API's 500 ms minimum);
	 * `unarchiveOnSend`: see Instance.
	 * @param {{ idInstance: string, token: string, state?: string, errorStyle?: ErrorStyle, sendDelayMs?: number, unarchiveOnSend?: boolean,
	 *   chats?: Array<{ chatId: string, archived?: boolean, messages?: number, unread?: number, name?: string }>,
	 *   history?: Array<{ chatId: string, daysAgo: number, type: 'incoming' | 'outgoing', text: string }> }} spec
	 */
	addInstance(spec) {
		/** @type {Instance} */
		const instance = {
			idInstance: spec.idInstance,
			token: spec.token,
			state: spec.state ?? 'authorized',
			errorStyle: spec.errorStyle,
			chats: new Map(),
			faults: new Map(),
			sent: [],
			swallowed: [],
			outbox: [],
			lastDeparture: 0,
			unarchiveOnSend: spec.unarchiveOnSend ?? false,
		};
		const previous = this.instances.get(spec.idInstance);
		if (previous) clearTimeout(previous.pump);
		if (spec.sendDelayMs !== undefined) this.notifications.inbox(spec.idInstance).settings.delaySendMessagesMilliseconds = spec.sendDelayMs;
		for (const chat of spec.chats ?? []) this.addChat(instance, chat);
		this.instances.set(spec.idInstance, instance);
		const now = Date.now();
		for (const [i, { chatId, daysAgo, type, text }] of (spec.history ?? []).entries()) {
			const name = spec.chats?.find((chat) => chat.chatId === chatId)?.name ?? '';
			this.notifications.record(
				spec.idInstance,
				{
					type,
					idMessage: `HISTORY${String(i).padStart(4, '0')}`,
					timestamp: Math.floor((now - daysAgo * 24 * 60 * 60 * 1000) / 1000),
					typeMessage: 'textMessage',
					chatId,
					textMessage: text,
					...(type === 'incoming' ? { senderName: name } : { statusMessage: 'read', sendByApi: false }),
				},
				0,
			);
		}
		return instance;
	}

	/** @param {Instance} instance @param {{ chatId: string, archived?: boolean, messages?: number, unread?: number, name?: string }} chat */
	addChat(instance, chat) {
		instance.chats.set(chat.chatId, { archived: chat.archived ?? false, messages: chat.messages ?? 1, unread: chat.unread ?? 0, name: chat.name ?? '' });
	}

	/** @param {string} idInstance */
	instance(idInstance) {
		const instance = this.instances.get(idInstance);
		if (!instance) throw new Error(`no instance ${idInstance}`);
		return instance;
	}

	/** Faults answered, one per request, to requests about `chatId` (or, for a method that names no chat, about the method: `getChats`), before normal service resumes. */
	script(/** @type {string} */ idInstance, /** @type {string} */ chatId, /** @type {Fault[]} */ faults) {
		this.instance(idInstance).faults.set(chatId, [...faults]);
	}

	/** The messages the instance accepted for one chat, in order (each one, also those sent twice). @param {string} idInstance @param {string} chatId */
	sentTo(idInstance, chatId) {
		return this.instance(idInstance).sent.filter((message) => message.chatId === chatId);
	}

	/** Most accepted requests any rolling second held, per `idInstance|method`. */
	busiestSecond(/** @type {string} */ lane) {
		return busiestSecond(this.arrivals.get(lane) ?? []);
	}

	/** Accepted requests per second on `lane` from its second request to its last (the run's steady pace). */
	steadyRate(/** @type {string} */ lane) {
		return steadyRate(this.arrivals.get(lane) ?? []);
	}

	/** Accepted requests on `lane` divided by the seconds from its first accepted request to its last (the whole span's pace). */
	wholeSpanPace(/** @type {string} */ lane) {
		return wholeSpanPace(this.arrivals.get(lane) ?? []);
	}

	/** When `lane`'s first and last accepted requests arrived (ms since the epoch), or undefined before any. */
	acceptedSpan(/** @type {string} */ lane) {
		const times = this.arrivals.get(lane) ?? [];
		return times.length ? { first: times[0], last: times[times.length - 1] } : undefined;
	}

	/** @returns {Promise<string>} the base URL */
	async start(port = 0, host = '127.0.0.1') {
		return await listen(this.server, port, host);
	}

	/**
	 * Also listens as a separate media host (GREEN-API's mediaUrl): it answers uploadFile and
	 * sendFileByUpload and serves the stored files, and 404 to every other method. The API host
	 * keeps serving the media paths too. @returns {Promise<string>} the media URL
	 */
	async startMedia(port = 0, host = '127.0.0.1') {
		this.mediaServer ??= this.listener(true);
		return await listen(this.mediaServer, port, host);
	}

	async stop() {
		this.notifications.stop();
		for (const instance of this.instances.values()) clearTimeout(instance.pump);
		for (const socket of this.sockets) socket.destroy();
		const media = this.mediaServer;
		await Promise.all([new Promise((resolve) => this.server.close(() => resolve(undefined))), media?.listening ? new Promise((resolve) => media.close(() => resolve(undefined))) : undefined]);
	}

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {boolean} [media] the media host only */
	async handle(req, res, media = false) {
		const arrivedAt = performance.now();
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		const bytes = Buffer.concat(chunks);
		const rawBody = bytes.toString('utf8');
		if (!media && req.url?.startsWith('/__sandbox/')) return this.control(req.method ?? 'GET', req.url, rawBody, res);
		if (req.method === 'GET' && req.url?.startsWith(sending.MEDIA_PATH)) return this.serveFile(req.url, res);
		const answer = await this.answer(req.method ?? 'GET', req.url ?? '/', rawBody, arrivedAt, { bytes, headers: req.headers, media });
		this.requests.push({ at: arrivedAt, idInstance: answer.idInstance, method: answer.method, body: rawBody, status: answer.status });
		const fault = answer.fault;
		if (answer.outgoing) answer.outgoing.answer = fault?.hang ? 'none' : fault?.reset ? 'reset' : answer.status;
		if (fault?.hang) return; // never answers; the client must time out
		if (fault?.reset === 'before' || fault?.reset === 'after') {
			req.socket.destroy();
			return;
		}
		const delay = this.latencyMs + (fault?.delayMs ?? 0);
		if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
		if (res.destroyed) return;
		res.writeHead(answer.status, answer.headers);
		res.end(answer.body);
	}

	/**
	 * Decides the answer (and applies the change) at arrival, as the real service would: each step
	 * below either answers or lets the request on to the next.
	 * @param {string} verb @param {string} url @param {string} rawBody @param {number} arrivedAt
	 * @param {Raw} [raw] the bytes and headers (the media host's methods read them)
	 * @returns {Promise<Answer>}
	 */
	async answer(verb, url, rawBody, arrivedAt, raw = { bytes: Buffer.from(rawBody), headers: {} }) {
		const route = this.route(url);
		const refuse = (/** @type {number} */ status, /** @type {string} */ text, /** @type {Instance | undefined} */ instance = undefined) => ({
			...route,
			...this.errorBody(status, text, instance?.errorStyle),
		});
		if (!route.method) return refuse(404, 'Not Found');
		const instance = this.instances.get(route.idInstance);
		if (!instance) return refuse(403, 'Forbidden');
		if (route.token !== instance.token) return refuse(401, 'Unauthorized', instance);
		const handler = this.methods[route.method];
		if (!handler || handler.verb !== verb || (raw.media && !sending.MEDIA_METHODS.has(route.method))) return refuse(404, 'Not Found', instance);
		if (!this.admitted(instance, route.method, arrivedAt)) return refuse(429, 'Too Many Requests', instance);
		const body = await this.requestBody(verb, url, rawBody, route.method, raw);
		if (typeof body === 'string') return refuse(400, body, instance);
		const fault = this.nextFault(instance, route.method, body);
		// A fault after acceptance lets the request be carried out first; handle() then resets, hangs or delays.
		const afterwards = fault?.accepted === true || fault?.reset === 'after';
		if (!afterwards && (fault?.hang || fault?.reset)) return { ...route, status: 0, body: '', headers: {}, fault };
		if (!afterwards && fault?.status) return { ...route, ...this.faultAnswer(fault, url, instance), fault };
		const refusal = this.instanceRefusal(instance, route.method);
		if (refusal) return { ...route, ...refusal, fault };
		const result = await handler.run(instance, body, route.pathArg);
		if (afterwards && fault?.status && !fault.reset && !fault.hang) return { ...route, ...this.faultAnswer(fault, url, instance), fault, outgoing: result.outgoing };
		/** @type {Reply} */
		const reply =
			result.status === 200
				? { status: 200, body: result.body ?? '', headers: result.body ? { 'Content-Type': 'application/json' } : {} }
				: this.errorBody(result.status, result.text ?? '', instance.errorStyle);
		return { ...route, ...reply, fault, outgoing: result.outgoing };
	}

	/**
	 * Instance, method, token (and a path argument after it, for methods that take one) from
	 * `/waInstance{id}/{method}/{token}[/{argument}]`; an empty method when the path is not of that shape.
	 */
	route(/** @type {string} */ url) {
		const match = /\/waInstance(\d+)\/([A-Za-z]+)\/([^/]+)(?:\/([^/]+))?$/.exec(url.split('?')[0]);
		return { idInstance: match?.[1] ?? '', method: match?.[2] ?? '', token: match ? decodeURIComponent(match[3]) : '', pathArg: match?.[4] ?? '' };
	}

	/** The rate limit: counted per instance and method; a 429 is counted too. */
	admitted(/** @type {Instance} */ instance, /** @type {string} */ method, /** @type {number} */ arrivedAt) {
		if (!this.enforceRateLimit) return true;
		const lane = `${instance.idInstance}|${method}`;
		const accepted = this.arrivals.get(lane) ?? [];
		this.arrivals.set(lane, accepted);
		if (admit(accepted, this.limits[method] ?? 10, arrivedAt)) return true;
		this.tooManyRequests++;
		return false;
	}

	/**
	 * The request's fields: the query for GET, the JSON body for POST; for a body that is no JSON, the
	 * service's text. The media host's methods: uploadFile's file (`file`: its bytes, `fileName` from
	 * the percent-encoded GA-Filename header, `contentType`); sendFileByUpload's multipart form
	 * (its fields, and `file` as a File).
	 * @param {string} verb @param {string} url @param {string} rawBody @param {string} method @param {Raw} raw
	 * @returns {Promise<Record<string, unknown> | string>}
	 */
	async requestBody(verb, url, rawBody, method, raw) {
		if (verb !== 'POST') return /** @type {Record<string, unknown>} */ (Object.fromEntries(new URLSearchParams(url.split('?')[1] ?? '')));
		const origin = `http://${raw.headers.host ?? '127.0.0.1'}`;
		const contentType = String(raw.headers['content-type'] ?? '');
		if (method === 'uploadFile') {
			const header = raw.headers['ga-filename'];
			let fileName = '';
			try {
				fileName = decodeURIComponent(String(header ?? ''));
			} catch {
				fileName = String(header);
			}
			return { file: raw.bytes, fileName, contentType, origin };
		}
		if (method === 'sendFileByUpload') {
			if (!contentType.toLowerCase().startsWith('multipart/form-data')) return "Validation failed. Details: 'file' is required";
			try {
				const form = await new Response(/** @type {BodyInit} */ (/** @type {unknown} */ (raw.bytes)), { headers: { 'Content-Type': contentType } }).formData();
				/** @type {Record<string, unknown>} */
				const fields = { origin };
				for (const [key, value] of form.entries()) fields[key] = value;
				return fields;
			} catch {
				return 'Validation failed. Details: the multipart body could not be read';
			}
		}
		try {
			return /** @type {Record<string, unknown>} */ (JSON.parse(rawBody || '{}'));
		} catch (error) {
			const position = /position (\d+)/.exec(String(error))?.[1] ?? '0';
			return `Unexpected token ${rawBody[Number(position)] ?? '_'} in JSON at position ${position}`;
		}
	}

	/** An uploaded file at its urlFile (GET on the media host's path), or 404. @param {string} url @param {http.ServerResponse} res */
	serveFile(url, res) {
		const file = this.files.get(url.split('?')[0]);
		if (!file) {
			res.writeHead(404, { 'Content-Type': 'text/plain' });
			res.end('Not Found');
			return;
		}
		res.writeHead(200, { 'Content-Type': file.type || 'application/octet-stream', 'Content-Length': file.bytes.length });
		res.end(file.bytes);
	}

	/** The stored file a urlFile names, when the sandbox stored it. @param {string} urlFile */
	fileAt(urlFile) {
		try {
			return this.files.get(new URL(urlFile).pathname);
		} catch {
			return undefined;
		}
	}

	/**
	 * Accepts a validated message: it gets its idMessage, is counted in `sent` and joins the send
	 * queue — or, on a yellowCard instance, is answered the same and never sent.
	 * @param {Instance} instance @param {Omit<Outgoing, 'idMessage' | 'acceptedAt' | 'state'>} message
	 * @param {Record<string, unknown>} [answer] fields the answer carries beside idMessage
	 * @returns {Result}
	 */
	accept(instance, message, answer = {}) {
		/** @type {Outgoing} */
		const outgoing = { ...message, idMessage: sending.newMessageId(), acceptedAt: Date.now(), state: 'queued' };
		const body = JSON.stringify({ idMessage: outgoing.idMessage, ...answer });
		if (instance.state === 'yellowCard') {
			instance.swallowed.push(outgoing);
			return { status: 200, body };
		}
		this.notifications.inbox(instance.idInstance).known.set(outgoing.idMessage, outgoing.chatId);
		instance.sent.push(outgoing);
		instance.outbox.push(outgoing);
		this.pumpQueue(instance);
		return { status: 200, body, outgoing };
	}

	/** Lets the instance's send queue go, one message each delaySendMessagesMilliseconds after the previous departure. @param {Instance} instance */
	pumpQueue(instance) {
		if (instance.pump || !instance.outbox.length) return;
		const delay = Number(this.notifications.inbox(instance.idInstance).settings.delaySendMessagesMilliseconds) || 0;
		const wait = Math.max(0, instance.lastDeparture + delay - Date.now());
		instance.pump = setTimeout(() => {
			instance.pump = undefined;
			const next = instance.outbox.shift();
			if (next) this.depart(instance, next);
			this.pumpQueue(instance);
		}, wait);
	}

	/**
	 * A message leaves the queue: it is in its chat (created when new; an archived chat stays archived
	 * unless unarchiveOnSend), in the outgoing journal, and notified when outgoingAPIMessageWebhook is on.
	 * @param {Instance} instance @param {Outgoing} outgoing
	 */
	depart(instance, outgoing) {
		const now = Date.now();
		instance.lastDeparture = now;
		outgoing.state = 'sent';
		outgoing.sentAt = now;
		const chat = instance.chats.get(outgoing.chatId) ?? { archived: false, messages: 0, unread: 0, name: '' };
		chat.messages++;
		if (instance.unarchiveOnSend) chat.archived = false;
		instance.chats.set(outgoing.chatId, chat);
		this.notifications.record(instance.idInstance, sending.journalEntry(outgoing));
		this.notifications.send(instance.idInstance, {
			typeWebhook: 'outgoingAPIMessageReceived',
			instanceData: { idInstance: Number(instance.idInstance), wid: '79990000000@c.us', typeInstance: 'whatsapp' },
			timestamp: Math.floor(now / 1000),
			idMessage: outgoing.idMessage,
			senderData: { chatId: outgoing.chatId, chatName: chat.name, sender: '79990000000@c.us', senderName: '', senderContactName: '' },
			messageData: sending.messageData(outgoing),
		});
	}

	/** The next scripted fault for the request's chat (or, for a method that names no chat, for the method). */
	nextFault(/** @type {Instance} */ instance, /** @type {string} */ method, /** @type {Record<string, unknown>} */ body) {
		const faults = instance.faults.get(typeof body.chatId === 'string' ? body.chatId : method);
		if (faults?.[0]?.method !== undefined && faults[0].method !== method) return undefined;
		return faults?.shift();
	}

	/** A scripted fault's answer: as a proxy's HTML page, a raw body, or the service's text in the instance's style. */
	faultAnswer(/** @type {Fault} */ fault, /** @type {string} */ url, /** @type {Instance} */ instance) {
		const status = /** @type {number} */ (fault.status);
		const reason = http.STATUS_CODES[status];
		/** @type {Reply} */
		const scripted = fault.html
			? {
					status,
					body: `<html><head><title>${status} ${reason ?? ''}</title></head><body><h1>${reason ?? 'Error'}</h1><hr><center>nginx</center><p>${url}</p></body></html>`,
					headers: { 'Content-Type': 'text/html' },
				}
			: fault.body !== undefined
				? { status, body: fault.body, headers: { 'Content-Type': 'text/plain' } }
				: this.errorBody(status, fault.text ?? reason ?? 'Error', instance.errorStyle);
		return { ...scripted, headers: { ...scripted.headers, ...fault.headers } };
	}

	/** What the instance itself refuses (deleted, expired, starting, not authorized, out of quota); the state check always answers. */
	instanceRefusal(/** @type {Instance} */ instance, /** @type {string} */ method) {
		if (method === 'getStateInstance') return undefined;
		const refuse = (/** @type {string} */ text) => this.errorBody(400, text, instance.errorStyle);
		if (instance.deleted) return refuse('Instance is deleted');
		if (instance.expired) return refuse('Instance account is expired. Please renew it in the console');
		if (instance.state === 'starting' || this.notifications.restarting(instance.idInstance)) return refuse('instance in starting process try later');
		// A yellowCard instance answers sends 200 and sends nothing (accept() swallows them).
		const yellowCardSend = instance.state === 'yellowCard' && sending.SEND_METHODS.has(method);
		if (instance.state !== 'authorized' && !yellowCardSend) return refuse('instance account not authorized');
		if (!instance.quotaExceeded) return undefined;
		const description = 'Monthly quota of the Developer plan for method calls is exceeded. Upgrade the plan to continue.';
		return {
			status: 466,
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ invokeStatus: { status: 'QUOTE_ALLOWED_EXCEEDED', description } }),
		};
	}

	/**
	 * The documented methods: each decides its answer and changes chat state on success.
	 * @returns {Record<string, { verb: string, run: (instance: Instance, body: Record<string, unknown>, pathArg: string) => Result | Promise<Result> }>}
	 */
	get methods() {
		/** @param {'archived' | 'unarchived'} target */
		const setArchived = (target) => ({
			verb: 'POST',
			run: (/** @type {Instance} */ instance, /** @type {Record<string, unknown>} */ body) => {
				if (Object.keys(body).length === 0) return { status: 400, text: "Validation failed. Details: 'value' must have at least 1 key" };
				const chatId = body.chatId;
				if (typeof chatId !== 'string')
					return { status: 500, text: `interface conversion: interface {} is ${typeof chatId === 'boolean' ? 'bool' : typeof chatId === 'number' ? 'float64' : 'map[string]interface {}'}, not string` };
				if (!CHAT_ID.test(chatId)) return { status: 400, text: 'Bad Request Validation failed' };
				const chat = instance.chats.get(chatId);
				if (!chat) return { status: 400, text: `ArchiveChatError: chat with id ${chatId} not found` };
				if (chat.messages === 0) return { status: 400, text: 'ArchiveChatError: cannot archive chat cause last message not found in chat' };
				const archive = target === 'archived';
				if (chat.archived === archive) return { status: 400, text: `ArchiveChatError: chat with id ${chatId} already archive=${archive}` };
				chat.archived = archive;
				return { status: 200 };
			},
		});
		return {
			archiveChat: setArchived('archived'),
			unarchiveChat: setArchived('unarchived'),
			// Marks the chat's messages read (all, or up to idMessage: the sandbox keeps counts, not messages).
			readChat: {
				verb: 'POST',
				run: (/** @type {Instance} */ instance, /** @type {Record<string, unknown>} */ body) => {
					const { chatId, idMessage } = body;
					if (typeof chatId !== 'string') return { status: 400, text: "Validation failed. Details: 'chatId' must be a string" };
					if (idMessage !== undefined && (typeof idMessage !== 'string' || idMessage === '')) return { status: 400, text: "Validation failed. Details: 'idMessage' must be a non-empty string" };
					if (!CHAT_ID.test(chatId)) return { status: 400, text: 'Bad Request Validation failed' };
					const chat = instance.chats.get(chatId);
					if (chat) chat.unread = 0;
					return { status: 200, body: JSON.stringify({ setRead: true }) };
				},
			},
			// Every chat, most recently added first (the service orders by last activity), optionally the first `count`.
			getChats: {
				verb: 'GET',
				run: (/** @type {Instance} */ instance, /** @type {Record<string, unknown>} */ query) => {
					const chats = [...instance.chats].reverse().map(([id, chat]) => ({
						archive: chat.archived,
						id,
						name: chat.name,
						type: id.endsWith('@g.us') ? 'group' : 'user',
						ephemeralExpiration: 0,
						ephemeralSettingTimestamp: 0,
					}));
					const count = Number(query.count);
					return { status: 200, body: JSON.stringify(query.count !== undefined && count >= 0 ? chats.slice(0, count) : chats) };
				},
			},
			getContactInfo: {
				verb: 'POST',
				run: (/** @type {Instance} */ instance, /** @type {Record<string, unknown>} */ body) => {
					const chatId = body.chatId;
					if (typeof chatId !== 'string' || !CHAT_ID.test(chatId)) return { status: 400, text: 'Bad Request Validation failed' };
					if (chatId.endsWith('@g.us')) return { status: 400, text: 'Validation failed. Details: The method GetContactInfo does not support group chats' };
					const chat = instance.chats.get(chatId);
					return {
						status: 200,
						body: JSON.stringify({
							avatar: '',
							name: chat?.name ?? '',
							contactName: chat?.name ?? '',
							email: '',
							category: '',
							description: '',
							products: [],
							chatId,
							lastSeen: null,
							isArchive: chat?.archived ?? false,
							isDisappearing: false,
							isMute: false,
							messageExpiration: 0,
							muteExpiration: null,
							isBusiness: false,
						}),
					};
				},
			},
			getStateInstance: {
				verb: 'GET',
				run: (/** @type {Instance} */ instance) => ({
					status: 200,
					body: JSON.stringify({ stateInstance: this.notifications.restarting(instance.idInstance) ? 'starting' : instance.state }),
				}),
			},
			getSettings: { verb: 'GET', run: (/** @type {Instance} */ instance) => this.notifications.getSettings(instance.idInstance) },
			setSettings: {
				verb: 'POST',
				run: (/** @type {Instance} */ instance, /** @type {Record<string, unknown>} */ body) => this.notifications.setSettings(instance.idInstance, body),
			},
			lastIncomingMessages: {
				verb: 'GET',
				run: (/** @type {Instance} */ instance, /** @type {Record<string, unknown>} */ query) => this.notifications.readJournal(instance.idInstance, 'incoming', query),
			},
			lastOutgoingMessages: {
				verb: 'GET',
				run: (/** @type {Instance} */ instance, /** @type {Record<string, unknown>} */ query) => this.notifications.readJournal(instance.idInstance, 'outgoing', query),
			},
			...this.sendMethods,
		};
	}

	/**
	 * The send methods (sending.js checks and shapes them), the media host's uploadFile and
	 * sendFileByUpload, and the send queue's showMessagesQueue and clearMessagesQueue.
	 * @returns {Record<string, { verb: string, run: (instance: Instance, body: Record<string, unknown>, pathArg: string) => Result | Promise<Result> }>}
	 */
	get sendMethods() {
		const chatOf = (/** @type {Instance} */ instance) => (/** @type {string} */ idMessage) => this.notifications.inbox(instance.idInstance).known.get(idMessage);
		/** @param {ReturnType<typeof sending.sendMessage>} checked @param {Instance} instance @returns {Result} */
		const acceptIfValid = (checked, instance, answer = {}) => ('text' in checked ? checked : this.accept(instance, checked, answer));
		/** A file from the media host's body, within the size limit; or the refusal. @param {Buffer | Blob} file @returns {Result | undefined} */
		const tooBig = (file) => {
			const size = Buffer.isBuffer(file) ? file.length : file.size;
			if (size === 0) return { status: 400, text: "Validation failed. Details: 'file' is not allowed to be empty" };
			// The sandbox's choice: GREEN-API documents the 100 MB limit, not its answer.
			if (size > this.maxFileBytes) return { status: 413, text: 'Request Entity Too Large' };
			return undefined;
		};
		return {
			sendMessage: { verb: 'POST', run: (instance, body) => acceptIfValid(sending.sendMessage(body, chatOf(instance)), instance) },
			sendFileByUrl: { verb: 'POST', run: (instance, body) => acceptIfValid(sending.sendFile(body, chatOf(instance)), instance) },
			sendPoll: { verb: 'POST', run: (instance, body) => acceptIfValid(sending.sendPoll(body, chatOf(instance)), instance) },
			uploadFile: {
				verb: 'POST',
				run: (instance, body) => {
					const bytes = /** @type {Buffer} */ (body.file);
					const refusal = tooBig(bytes);
					if (refusal) return refusal;
					const fileName = String(body.fileName || `file-${Date.now()}`);
					const type = String(body.contentType || sending.fileKind(fileName).mimeType);
					const urlFile = sending.storeFile(this.files, String(body.origin), instance.idInstance, { name: fileName, type, bytes });
					return { status: 200, body: JSON.stringify({ urlFile }) };
				},
			},
			sendFileByUpload: {
				verb: 'POST',
				run: async (instance, form) => {
					const file = form.file;
					if (!(file instanceof Blob)) return { status: 400, text: "Validation failed. Details: 'file' is required" };
					const refusal = tooBig(file);
					if (refusal) return refusal;
					const fileName = typeof form.fileName === 'string' && form.fileName ? form.fileName : 'name' in file ? String(file.name) : '';
					/** @type {Record<string, unknown>} */
					const fields = { chatId: form.chatId, fileName, urlFile: 'http://sandbox.invalid/pending' };
					for (const key of ['caption', 'quotedMessageId']) if (form[key] !== undefined) fields[key] = form[key];
					const checked = sending.sendFile(fields, chatOf(instance), 'sendFileByUpload');
					if ('text' in checked) return checked;
					const bytes = Buffer.from(await file.arrayBuffer());
					const urlFile = sending.storeFile(this.files, String(form.origin), instance.idInstance, { name: fileName, type: file.type || sending.fileKind(fileName).mimeType, bytes });
					checked.downloadUrl = urlFile;
					checked.body = { ...fields, urlFile };
					return this.accept(instance, checked, { urlFile });
				},
			},
			showMessagesQueue: { verb: 'GET', run: (instance) => ({ status: 200, body: JSON.stringify(instance.outbox.map(sending.queueEntry)) }) },
			clearMessagesQueue: {
				verb: 'GET',
				run: (instance) => {
					for (const outgoing of instance.outbox.splice(0)) outgoing.state = 'cleared';
					return { status: 200, body: JSON.stringify({ isCleared: true }) };
				},
			},
		};
	}

	/**
	 * Control endpoints for a simulator in another process (benchmark, sandbox demo, e2e tests):
	 * POST /__sandbox/instance {idInstance, token, state?, chats?} adds or replaces an instance;
	 * POST /__sandbox/configure {latencyMs?, enforceRateLimit?, limits?, errorStyle?, rebootMs?, resendAfterMs?,
	 * deliveryPerSecond?, maxAttempts?};
	 * POST /__sandbox/message {idInstance, chatId, text?, kind?, caption?, senderName?, from?}: a customer writes
	 * (see notifications.js); GET/POST /__sandbox/settings, GET /__sandbox/deliveries, GET /__sandbox/queue
	 * (all with ?idInstance=);
	 * POST /__sandbox/reset forgets recorded requests; GET /__sandbox/stats, GET /__sandbox/requests
	 * (every request: arrival time in ms, instance, method, body, status), GET /__sandbox/chats?idInstance=,
	 * GET /__sandbox/sent?idInstance= (every message the instance accepted: instance(id).sent),
	 * POST /__sandbox/script {idInstance, chatId, faults} (as script(): chatId may be a method's name).
	 * @param {string} verb @param {string} url @param {string} rawBody @param {http.ServerResponse} res
	 */
	control(verb, url, rawBody, res) {
		const [path, query = ''] = url.split('?');
		const body = rawBody ? JSON.parse(rawBody) : {};
		const reply = (/** @type {unknown} */ value) => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify(value ?? {}));
		};
		if (verb === 'POST' && path === '/__sandbox/instance') return reply(void this.addInstance(body));
		if (verb === 'POST' && path === '/__sandbox/configure') {
			if (body.latencyMs !== undefined) this.latencyMs = body.latencyMs;
			if (body.enforceRateLimit !== undefined) this.enforceRateLimit = body.enforceRateLimit;
			if (body.errorStyle !== undefined) this.errorStyle = body.errorStyle;
			if (body.limits) this.limits = { ...RATE_LIMITS, ...body.limits };
			for (const key of ['rebootMs', 'resendAfterMs', 'deliveryPerSecond', 'maxAttempts']) {
				if (body[key] !== undefined) /** @type {Record<string, number>} */ (/** @type {unknown} */ (this.notifications))[key] = body[key];
			}
			return reply({});
		}
		if (verb === 'POST' && path === '/__sandbox/reset') {
			this.requests = [];
			this.arrivals.clear();
			this.tooManyRequests = 0;
			return reply({});
		}
		if (verb === 'GET' && path === '/__sandbox/stats') {
			const lanes = [...this.arrivals.keys()];
			return reply({
				requests: this.requests.length,
				tooManyRequests: this.tooManyRequests,
				busiestSecond: Object.fromEntries(lanes.map((lane) => [lane, this.busiestSecond(lane)])),
				steadyRate: Object.fromEntries(lanes.map((lane) => [lane, this.steadyRate(lane)])),
				wholeSpanPace: Object.fromEntries(lanes.map((lane) => [lane, this.wholeSpanPace(lane)])),
			});
		}
		if (verb === 'GET' && path === '/__sandbox/requests') return reply(this.requests);
		const idInstance = new URLSearchParams(query).get('idInstance') ?? String(body.idInstance ?? '');
		if (verb === 'POST' && path === '/__sandbox/message') {
			const { idMessage, went } = this.notifications.message(this.instance(idInstance), body);
			return reply({ idMessage, went });
		}
		if (verb === 'GET' && path === '/__sandbox/settings') return reply(this.notifications.inbox(idInstance).settings);
		if (verb === 'POST' && path === '/__sandbox/settings') {
			// Set as another system would have set them, without the restart (a test's starting point).
			const { idInstance: _id, ...settings } = body;
			Object.assign(this.notifications.inbox(idInstance).settings, settings);
			return reply(this.notifications.inbox(idInstance).settings);
		}
		if (verb === 'GET' && path === '/__sandbox/deliveries') return reply(this.notifications.inbox(idInstance).deliveries);
		if (verb === 'GET' && path === '/__sandbox/queue') return reply(this.notifications.inbox(idInstance).queue);
		if (verb === 'GET' && path === '/__sandbox/chats') return reply(Object.fromEntries(this.instance(idInstance).chats));
		if (verb === 'GET' && path === '/__sandbox/sent') return reply(this.instance(idInstance).sent);
		if (verb === 'POST' && path === '/__sandbox/script') return reply(void this.script(idInstance, body.chatId, body.faults ?? []));
		res.writeHead(404);
		res.end();
	}

	/** An error in the body shape the instance (or simulator) is set to use. */
	errorBody(/** @type {number} */ status, /** @type {string} */ text, /** @type {ErrorStyle | undefined} */ style) {
		switch (style ?? this.errorStyle) {
			case 'json-message':
				return { status, body: JSON.stringify({ message: text }), headers: { 'Content-Type': 'application/json' } };
			case 'json-description':
				return { status, body: JSON.stringify({ description: text }), headers: { 'Content-Type': 'application/json' } };
			case 'json-string':
				return { status, body: JSON.stringify(text), headers: { 'Content-Type': 'application/json' } };
			default:
				return { status, body: text, headers: { 'Content-Type': 'text/plain' } };
		}
	}
}

/** Listens on `host:port` (0: any free port). @param {http.Server} server @param {number} port @param {string} host @returns {Promise<string>} the base URL */
async function listen(server, port, host) {
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	return `http://${host}:${address.port}`;
}

module.exports = { GreenApiSimulator, RATE_LIMITS };
