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

/** Documented per-instance limits, requests per second. */
const RATE_LIMITS = { archiveChat: 10, unarchiveChat: 10, getStateInstance: 1, getChats: 1, getContactInfo: 1 };

const CHAT_ID = /^(\d+@c\.us|\d+@g\.us|\d+-\d+@g\.us|\d+@lid)$/;

/**
 * @typedef {{ archived: boolean, messages: number, name: string }} Chat
 * @typedef {'text' | 'json-message' | 'json-description' | 'json-string'} ErrorStyle
 * @typedef {{ status?: number, text?: string, body?: string, headers?: Record<string, string>, html?: boolean,
 *   reset?: 'before' | 'after', hang?: boolean, delayMs?: number }} Fault
 * @typedef {{ idInstance: string, token: string, state: string, expired?: boolean, deleted?: boolean,
 *   quotaExceeded?: boolean, chats: Map<string, Chat>, faults: Map<string, Fault[]>, errorStyle?: ErrorStyle }} Instance
 */

class GreenApiSimulator {
	/**
	 * @param {{ latencyMs?: number, errorStyle?: ErrorStyle, enforceRateLimit?: boolean,
	 *   limits?: Record<string, number> }} [options] limits overrides the documented ones (a bigger plan)
	 */
	constructor(options = {}) {
		this.latencyMs = options.latencyMs ?? 0;
		/** @type {Record<string, number>} */
		this.limits = { ...RATE_LIMITS, ...options.limits };
		/** @type {ErrorStyle} */
		this.errorStyle = options.errorStyle ?? 'text';
		this.enforceRateLimit = options.enforceRateLimit ?? true;
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
	 * @param {{ idInstance: string, token: string, state?: string, errorStyle?: ErrorStyle,
	 *   chats?: Array<{ chatId: string, archived?: boolean, messages?: number }> }} spec
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
		return instance;
	}

	/** @param {Instance} instance @param {{ chatId: string, archived?: boolean, messages?: number, name?: string }} chat */
	addChat(instance, chat) {
		instance.chats.set(chat.chatId, { archived: chat.archived ?? false, messages: chat.messages ?? 1, name: chat.name ?? '' });
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
		const times = this.arrivals.get(lane) ?? [];
		let most = 0;
		for (let start = 0, end = 0; end < times.length; end++) {
			while (times[end] - times[start] >= 1000) start++;
			most = Math.max(most, end - start + 1);
		}
		return most;
	}

	/** Accepted requests per second on `lane` from its second request to its last (the run's steady pace). */
	steadyRate(/** @type {string} */ lane) {
		const times = this.arrivals.get(lane) ?? [];
		return times.length > 2 ? (times.length - 2) / ((times[times.length - 1] - times[1]) / 1000) : 0;
	}

	/** Accepted requests per second on `lane` from its first accepted request to its last (the pace while busy). */
	busyRate(/** @type {string} */ lane) {
		const times = this.arrivals.get(lane) ?? [];
		return times.length > 1 ? (times.length - 1) / ((times[times.length - 1] - times[0]) / 1000) : 0;
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
		const answer = this.answer(req.method ?? 'GET', req.url ?? '/', rawBody, arrivedAt);
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
	 * Decides the answer (and applies the change) at arrival, as the real service would.
	 * @returns {{ status: number, body: string, headers: Record<string, string>, idInstance: string, method: string, fault?: Fault }}
	 */
	answer(/** @type {string} */ verb, /** @type {string} */ url, /** @type {string} */ rawBody, /** @type {number} */ arrivedAt) {
		const path = url.split('?')[0];
		const match = /\/waInstance(\d+)\/([A-Za-z]+)\/([^/]+)$/.exec(path);
		const base = { idInstance: match?.[1] ?? '', method: match?.[2] ?? '' };
		const plain = (/** @type {number} */ status, /** @type {string} */ text) => ({ ...base, ...this.errorBody(status, text, instance?.errorStyle) });
		/** @type {Instance | undefined} */
		let instance;
		if (!match) return plain(404, 'Not Found');
		instance = this.instances.get(match[1]);
		if (!instance) return plain(403, 'Forbidden');
		if (decodeURIComponent(match[3]) !== instance.token) return plain(401, 'Unauthorized');
		const method = match[2];
		const handler = /** @type {Record<string, { verb: string, run: (instance: Instance, body: Record<string, unknown>) => { status: number, text?: string, body?: string } }>} */ (this.methods)[method];
		if (!handler || handler.verb !== verb) return plain(404, 'Not Found');

		if (this.enforceRateLimit && !this.admit(`${instance.idInstance}|${method}`, this.limits[method] ?? 10, arrivedAt)) {
			this.tooManyRequests++;
			return plain(429, 'Too Many Requests');
		}

		let body = /** @type {Record<string, unknown>} */ (Object.fromEntries(new URLSearchParams(url.split('?')[1] ?? '')));
		if (verb === 'POST') {
			try {
				body = JSON.parse(rawBody || '{}');
			} catch (error) {
				const position = /position (\d+)/.exec(String(error))?.[1] ?? '0';
				return plain(400, `Unexpected token ${rawBody[Number(position)] ?? '_'} in JSON at position ${position}`);
			}
		}
		// Scripted per chat; a method that names no chat (getChats) is scripted under its own name.
		const faults = instance.faults.get(typeof body.chatId === 'string' ? body.chatId : method);
		const fault = faults?.shift();
		if (fault && fault.reset !== 'after') {
			if (fault.hang || fault.reset === 'before') return { ...base, status: 0, body: '', headers: {}, fault };
			if (fault.status) {
				const scripted = fault.html
					? { status: fault.status, body: `<html><head><title>${fault.status} ${http.STATUS_CODES[fault.status] ?? ''}</title></head><body><h1>${http.STATUS_CODES[fault.status] ?? 'Error'}</h1><hr><center>nginx</center><p>${url}</p></body></html>`, headers: { 'Content-Type': 'text/html' } }
					: fault.body !== undefined
						? { status: fault.status, body: fault.body, headers: { 'Content-Type': 'text/plain' } }
						: this.errorBody(fault.status, fault.text ?? http.STATUS_CODES[fault.status] ?? 'Error', instance.errorStyle);
				return { ...base, ...scripted, headers: { ...scripted.headers, ...fault.headers }, fault };
			}
		}

		if (method !== 'getStateInstance') {
			if (instance.deleted) return plain(400, 'Instance is deleted');
			if (instance.expired) return plain(400, 'Instance account is expired. Please renew it in the console');
			if (instance.state === 'starting') return plain(400, 'instance in starting process try later');
			if (instance.state !== 'authorized') return plain(400, 'instance account not authorized');
			if (instance.quotaExceeded) {
				return {
					...base,
					status: 466,
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({
						invokeStatus: {
							status: 'QUOTE_ALLOWED_EXCEEDED',
							description: 'Monthly quota of the Developer plan for method calls is exceeded. Upgrade the plan to continue.',
						},
					}),
				};
			}
		}
		const result = handler.run(instance, body);
		/** @type {{ status: number, body: string, headers: Record<string, string> }} */
		const reply = result.status === 200
			? { status: 200, body: result.body ?? '', headers: result.body ? { 'Content-Type': 'application/json' } : {} }
			: this.errorBody(result.status, result.text ?? '', instance.errorStyle);
		return { ...base, ...reply, fault };
	}

	/** The documented methods: each decides its answer and changes chat state on success. */
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
				run: (/** @type {Instance} */ instance) => ({ status: 200, body: JSON.stringify({ stateInstance: instance.state }) }),
			},
		};
	}

	/**
	 * Control endpoints for a simulator in another process (benchmark, sandbox demo, e2e tests):
	 * POST /__sandbox/instance {idInstance, token, state?, chats?} adds or replaces an instance;
	 * POST /__sandbox/configure {latencyMs?, enforceRateLimit?, limits?, errorStyle?};
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
				busyRate: Object.fromEntries(lanes.map((lane) => [lane, this.busyRate(lane)])),
			});
		}
		if (verb === 'GET' && path === '/__sandbox/requests') return reply(this.requests);
		if (verb === 'GET' && path === '/__sandbox/chats') {
			const idInstance = new URLSearchParams(query).get('idInstance') ?? '';
			return reply(Object.fromEntries(this.instance(idInstance).chats));
		}
		res.writeHead(404);
		res.end();
	}

	/** Sliding one-second window per lane; rejected requests do not count. */
	admit(/** @type {string} */ lane, /** @type {number} */ limit, /** @type {number} */ now) {
		const times = this.arrivals.get(lane) ?? [];
		let inWindow = 0;
		for (let i = times.length - 1; i >= 0 && now - times[i] < 1000; i--) inWindow++;
		if (inWindow >= limit) return false;
		times.push(now);
		this.arrivals.set(lane, times);
		return true;
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
