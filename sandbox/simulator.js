// @ts-check
/**
 * A GREEN-API simulator served over loopback HTTP, for the tests, the benchmark and the sandbox
 * demo. It keeps per-instance chat state, answers every error GREEN-API documents for the calls
 * the node uses (in any of the body shapes the real service is seen to use), enforces the
 * per-instance, per-method rate limit with HTTP 429, and can script faults per chat id.
 * Never part of the published package.
 */
const http = require('node:http');
const { performance } = require('node:perf_hooks');

const { Notifications } = require('./notifications');
const { admit, busiestSecond, wholeSpanPace, steadyRate } = require('./rollingSecond');

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
};

const CHAT_ID = /^(\d+@c\.us|\d+@g\.us|\d+-\d+@g\.us|\d+@lid)$/;

/**
 * @typedef {{ archived: boolean, messages: number, unread: number, name: string }} Chat
 * @typedef {'text' | 'json-message' | 'json-description' | 'json-string'} ErrorStyle
 * @typedef {{ status?: number, text?: string, body?: string, headers?: Record<string, string>, html?: boolean,
 *   reset?: 'before' | 'after', hang?: boolean, delayMs?: number }} Fault
 * @typedef {{ idInstance: string, token: string, state: string, expired?: boolean, deleted?: boolean,
 *   quotaExceeded?: boolean, chats: Map<string, Chat>, faults: Map<string, Fault[]>, errorStyle?: ErrorStyle }} Instance
 * @typedef {{ status: number, body: string, headers: Record<string, string> }} Reply
 * @typedef {Reply & { idInstance: string, method: string, fault?: Fault }} Answer
 * @typedef {{ status: number, text?: string, body?: string }} Result
 */

class GreenApiSimulator {
	/**
	 * @param {{ latencyMs?: number, errorStyle?: ErrorStyle, enforceRateLimit?: boolean,
	 *   limits?: Record<string, number>, notifications?: ConstructorParameters<typeof Notifications>[0] }} [options]
	 *   limits overrides the documented ones (a bigger plan); notifications sets how settings and deliveries behave
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
		/** @type {Set<import('node:net').Socket>} */
		this.sockets = new Set();
		this.server = http.createServer((req, res) => this.handle(req, res));
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	/**
	 * `history`: messages already in the journals when the instance is added, each so many days ago
	 * (incoming from the customer, or outgoing: sent from the phone).
	 * @param {{ idInstance: string, token: string, state?: string, errorStyle?: ErrorStyle,
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
		};
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
		await new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, host, () => {
				this.server.off('error', reject);
				resolve(undefined);
			});
		});
		const address = /** @type {import('node:net').AddressInfo} */ (this.server.address());
		return `http://${host}:${address.port}`;
	}

	async stop() {
		this.notifications.stop();
		for (const socket of this.sockets) socket.destroy();
		await new Promise((resolve) => this.server.close(() => resolve(undefined)));
	}

	/** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
	async handle(req, res) {
		const arrivedAt = performance.now();
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		const rawBody = Buffer.concat(chunks).toString('utf8');
		if (req.url?.startsWith('/__sandbox/')) return this.control(req.method ?? 'GET', req.url, rawBody, res);
		const answer = await this.answer(req.method ?? 'GET', req.url ?? '/', rawBody, arrivedAt);
		this.requests.push({ at: arrivedAt, idInstance: answer.idInstance, method: answer.method, body: rawBody, status: answer.status });
		const fault = answer.fault;
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
	 * @returns {Promise<Answer>}
	 */
	async answer(/** @type {string} */ verb, /** @type {string} */ url, /** @type {string} */ rawBody, /** @type {number} */ arrivedAt) {
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
		if (!handler || handler.verb !== verb) return refuse(404, 'Not Found', instance);
		if (!this.admitted(instance, route.method, arrivedAt)) return refuse(429, 'Too Many Requests', instance);
		const body = this.requestBody(verb, url, rawBody);
		if (typeof body === 'string') return refuse(400, body, instance);
		const fault = this.nextFault(instance, route.method, body);
		// A reset "after" is served as usual, then handle() drops the connection before the answer.
		if (fault?.hang || fault?.reset === 'before') return { ...route, status: 0, body: '', headers: {}, fault };
		if (fault?.status && fault.reset !== 'after') return { ...route, ...this.faultAnswer(fault, url, instance), fault };
		const refusal = this.instanceRefusal(instance, route.method);
		if (refusal) return { ...route, ...refusal, fault };
		const result = await handler.run(instance, body, route.pathArg);
		/** @type {Reply} */
		const reply = result.status === 200
			? { status: 200, body: result.body ?? '', headers: result.body ? { 'Content-Type': 'application/json' } : {} }
			: this.errorBody(result.status, result.text ?? '', instance.errorStyle);
		return { ...route, ...reply, fault };
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

	/** The request's fields: the query for GET, the JSON body for POST; for a body that is no JSON, the service's text. */
	requestBody(/** @type {string} */ verb, /** @type {string} */ url, /** @type {string} */ rawBody) {
		if (verb !== 'POST') return /** @type {Record<string, unknown>} */ (Object.fromEntries(new URLSearchParams(url.split('?')[1] ?? '')));
		try {
			return /** @type {Record<string, unknown>} */ (JSON.parse(rawBody || '{}'));
		} catch (error) {
			const position = /position (\d+)/.exec(String(error))?.[1] ?? '0';
			return `Unexpected token ${rawBody[Number(position)] ?? '_'} in JSON at position ${position}`;
		}
	}

	/** The next scripted fault for the request's chat (or, for a method that names no chat, for the method). */
	nextFault(/** @type {Instance} */ instance, /** @type {string} */ method, /** @type {Record<string, unknown>} */ body) {
		return instance.faults.get(typeof body.chatId === 'string' ? body.chatId : method)?.shift();
	}

	/** A scripted fault's answer: as a proxy's HTML page, a raw body, or the service's text in the instance's style. */
	faultAnswer(/** @type {Fault} */ fault, /** @type {string} */ url, /** @type {Instance} */ instance) {
		const status = /** @type {number} */ (fault.status);
		const reason = http.STATUS_CODES[status];
		/** @type {Reply} */
		const scripted = fault.html
			? { status, body: `<html><head><title>${status} ${reason ?? ''}</title></head><body><h1>${reason ?? 'Error'}</h1><hr><center>nginx</center><p>${url}</p></body></html>`, headers: { 'Content-Type': 'text/html' } }
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
		if (instance.state !== 'authorized') return refuse('instance account not authorized');
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
				if (typeof chatId !== 'string') return { status: 500, text: `interface conversion: interface {} is ${typeof chatId === 'boolean' ? 'bool' : typeof chatId === 'number' ? 'float64' : 'map[string]interface {}'}, not string` };
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
	 * (every request: arrival time in ms, instance, method, body, status), GET /__sandbox/chats?idInstance=.
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

module.exports = { GreenApiSimulator, RATE_LIMITS };
