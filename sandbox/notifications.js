// @ts-check
/**
 * The simulator's notifications, as GREEN-API sends them: an instance's settings (getSettings /
 * setSettings, a restart on every write), a customer writing to a chat, and where that goes —
 * POSTed to the instance's webhookUrl with its token (resent after a pause while the answer is not
 * 200, at most `deliveryPerSecond` deliveries a second), or, with no webhookUrl, into the queue
 * (GREEN-API keeps them for its HTTP API polling, which nothing here uses, so the sandbox does not
 * serve it; tests read the queue). Only events whose switch is on are sent. A chat
 * that gets a message stays archived, as WhatsApp keeps it.
 */

/** A new instance's settings: every switch off, no webhook. */
const DEFAULT_SETTINGS = {
	wid: '',
	countryInstance: '',
	typeAccount: 'trial',
	webhookUrl: '',
	webhookUrlToken: '',
	delaySendMessagesMilliseconds: 3000,
	markIncomingMessagesReaded: 'no',
	markIncomingMessagesReadedOnReply: 'no',
	outgoingWebhook: 'no',
	outgoingMessageWebhook: 'no',
	outgoingAPIMessageWebhook: 'no',
	incomingWebhook: 'no',
	deviceWebhook: 'no',
	stateWebhook: 'no',
	keepOnlineStatus: 'no',
	pollMessageWebhook: 'no',
	incomingBlockWebhook: 'no',
	incomingCallWebhook: 'no',
	editedMessageWebhook: 'no',
	deletedMessageWebhook: 'no',
};

/** Which switch sends which kind of notification. */
const SWITCH_OF = {
	incomingMessageReceived: 'incomingWebhook',
	outgoingMessageReceived: 'outgoingMessageWebhook',
	outgoingAPIMessageReceived: 'outgoingAPIMessageWebhook',
	outgoingMessageStatus: 'outgoingWebhook',
	stateInstanceChanged: 'stateWebhook',
	incomingCall: 'incomingCallWebhook',
};

/**
 * @typedef {{ receiptId: number, body: Record<string, unknown> }} Queued
 * @typedef {{ sentAt: number, at: number, idMessage: string, typeWebhook: string, attempt: number, status: number, authorization: string }} Delivery
 * @typedef {Record<string, unknown> & { type: 'incoming' | 'outgoing', idMessage: string, timestamp: number, chatId: string }} JournalEntry
 * @typedef {{ entry: JournalEntry, availableAt: number }} Journaled
 * @typedef {{ settings: Record<string, string | number>, queue: Queued[], nextReceiptId: number,
 *   deliveries: Delivery[], restartingUntil: number, journals: { incoming: Journaled[], outgoing: Journaled[] },
 *   writes: Array<{ at: number, before: Record<string, string | number> }>, known: Map<string, string> }} Inbox
 *   `known`: the chat of every message GREEN-API knows on the instance (what quotedMessageId may name)
 */

class Notifications {
	/**
	 * @param {{ rebootMs?: number, resendAfterMs?: number, maxAttempts?: number, deliveryPerSecond?: number,
	 *   journalLagMs?: number, journalCap?: number, settingsLagMs?: number }} [options]
	 */
	constructor(options = {}) {
		/**
		 * getSettings shows a write only this long after it (GREEN-API: settings apply within up to 5
		 * minutes); until then it shows the settings as they were before. 0: at once.
		 */
		this.settingsLagMs = options.settingsLagMs ?? 0;
		/** A message shows in the journals this long after it happened (GREEN-API: up to 2 minutes). */
		this.journalLagMs = options.journalLagMs ?? 0;
		/** Messages each journal keeps, the newest (GREEN-API: the last 10,000). */
		this.journalCap = options.journalCap ?? 10000;
		/** How long an instance answers "starting" after setSettings. */
		this.rebootMs = options.rebootMs ?? 1500;
		/** GREEN-API resends a delivery that was not answered 200 (its pages say every minute; shortened). */
		this.resendAfterMs = options.resendAfterMs ?? 1000;
		this.maxAttempts = options.maxAttempts ?? 5;
		this.deliveryPerSecond = options.deliveryPerSecond ?? 50;
		/** @type {Map<string, Inbox>} */
		this.inboxes = new Map();
		/** Deliveries waiting for their turn: at most deliveryPerSecond a second leave. */
		/** @type {Array<{ idInstance: string, body: Record<string, unknown>, attempt: number }>} */
		this.outbox = [];
		this.lastSent = 0;
		/** @type {ReturnType<typeof setTimeout> | undefined} */
		this.pump = undefined;
		this.stopped = false;
		this.messageCounter = 0;
	}

	/** @param {string} idInstance @returns {Inbox} */
	inbox(idInstance) {
		let inbox = this.inboxes.get(idInstance);
		if (!inbox) {
			inbox = { settings: { ...DEFAULT_SETTINGS }, queue: [], nextReceiptId: 1, deliveries: [], restartingUntil: 0, journals: { incoming: [], outgoing: [] }, writes: [], known: new Map() };
			this.inboxes.set(idInstance, inbox);
		}
		return inbox;
	}

	/** Whether the instance is restarting after a settings change. @param {string} idInstance */
	restarting(idInstance) {
		return Date.now() < this.inbox(idInstance).restartingUntil;
	}

	getSettings(/** @type {string} */ idInstance) {
		const inbox = this.inbox(idInstance);
		// The settings before the oldest write getSettings does not show yet.
		const unseen = inbox.writes.find((write) => Date.now() - write.at < this.settingsLagMs);
		return { status: 200, body: JSON.stringify(unseen ? unseen.before : inbox.settings) };
	}

	/** Writes what is given, then the instance restarts, as GREEN-API's does. @param {string} idInstance @param {Record<string, unknown>} body */
	setSettings(idInstance, body) {
		if (Object.keys(body).length === 0) return { status: 400, text: "Validation failed. Details: 'value' must have at least 1 key" };
		const inbox = this.inbox(idInstance);
		inbox.writes = [...inbox.writes.filter((write) => Date.now() - write.at < this.settingsLagMs), { at: Date.now(), before: { ...inbox.settings } }];
		for (const [key, value] of Object.entries(body)) inbox.settings[key] = /** @type {string} */ (value);
		inbox.restartingUntil = Date.now() + this.rebootMs;
		return { status: 200, body: JSON.stringify({ saveSettings: true }) };
	}

	/**
	 * Sends a notification the way the instance's settings say: to its webhook URL, to its queue, or
	 * nowhere (its switch is off). Returns where it went.
	 * @param {string} idInstance @param {Record<string, unknown>} body
	 */
	send(idInstance, body) {
		const inbox = this.inbox(idInstance);
		const switchName = SWITCH_OF[/** @type {keyof typeof SWITCH_OF} */ (String(body.typeWebhook))];
		if (switchName && inbox.settings[switchName] !== 'yes') return 'dropped: its switch is off';
		if (inbox.settings.webhookUrl) {
			this.outbox.push({ idInstance, body, attempt: 1 });
			this.schedule();
			return 'webhook';
		}
		inbox.queue.push({ receiptId: inbox.nextReceiptId++, body });
		return 'queue';
	}

	/**
	 * GREEN-API delivering a notification again, as it does when an answer came late or was lost
	 * (it cannot tell): a copy joins the outbox, counted as a second attempt.
	 * @param {string} idInstance @param {Record<string, unknown>} body
	 */
	deliverAgain(idInstance, body) {
		this.outbox.push({ idInstance, body, attempt: 2 });
		this.schedule();
	}

	/** Lets the outbox go at most deliveryPerSecond a second. */
	schedule() {
		if (this.pump || this.stopped || !this.outbox.length) return;
		const wait = Math.max(0, this.lastSent + 1000 / this.deliveryPerSecond - Date.now());
		this.pump = setTimeout(() => {
			this.pump = undefined;
			const next = this.outbox.shift();
			if (next) {
				this.lastSent = Date.now();
				void this.deliver(next);
			}
			this.schedule();
		}, wait);
	}

	/** One POST to the webhook URL; resent after a pause unless answered 200. @param {{ idInstance: string, body: Record<string, unknown>, attempt: number }} delivery */
	async deliver(delivery) {
		const inbox = this.inbox(delivery.idInstance);
		const { webhookUrl, webhookUrlToken } = inbox.settings;
		const authorization = webhookUrlToken ? `Bearer ${webhookUrlToken}` : '';
		const sentAt = Date.now();
		let status = 0;
		try {
			const response = await fetch(String(webhookUrl), {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
				body: JSON.stringify(delivery.body),
				signal: AbortSignal.timeout(180000),
			});
			status = response.status;
			await response.arrayBuffer();
		} catch {
			status = 0;
		}
		inbox.deliveries.push({
			sentAt,
			at: Date.now(),
			idMessage: String(delivery.body.idMessage ?? ''),
			typeWebhook: String(delivery.body.typeWebhook),
			attempt: delivery.attempt,
			status,
			authorization: authorization ? 'Bearer ***' : '',
		});
		if (status !== 200 && delivery.attempt < this.maxAttempts && !this.stopped) {
			setTimeout(() => {
				this.outbox.push({ ...delivery, attempt: delivery.attempt + 1 });
				this.schedule();
			}, this.resendAfterMs);
		}
	}

	/**
	 * A customer writes to a chat (or the phone or the API sends to one): the notification GREEN-API
	 * would make of it. The chat is created when new; an archived chat stays archived.
	 * @param {{ idInstance: string, chats: Map<string, { archived: boolean, messages: number, unread: number, name: string }> }} instance
	 * @param {{ chatId: string, text?: string, kind?: 'text' | 'image' | 'document' | 'location', caption?: string, fileName?: string,
	 *   sender?: string, senderName?: string, chatName?: string, from?: 'customer' | 'phone' | 'api' }} message
	 */
	message(instance, message) {
		const chatId = message.chatId;
		const chat = instance.chats.get(chatId) ?? { archived: false, messages: 0, unread: 0, name: message.chatName ?? message.senderName ?? '' };
		chat.messages++;
		if (!message.from || message.from === 'customer') chat.unread++;
		instance.chats.set(chatId, chat);
		const idMessage = `SANDBOX${String(++this.messageCounter).padStart(8, '0')}${Date.now().toString(16).toUpperCase()}`;
		this.inbox(instance.idInstance).known.set(idMessage, chatId);
		const sender = message.sender ?? (chatId.endsWith('@g.us') ? '79001234567@c.us' : chatId);
		const typeWebhook = message.from === 'phone' ? 'outgoingMessageReceived' : message.from === 'api' ? 'outgoingAPIMessageReceived' : 'incomingMessageReceived';
		const body = {
			typeWebhook,
			instanceData: { idInstance: Number(instance.idInstance), wid: '79990000000@c.us', typeInstance: 'whatsapp' },
			timestamp: Math.floor(Date.now() / 1000),
			idMessage,
			senderData: { chatId, chatName: chat.name, sender, senderName: message.senderName ?? chat.name, senderContactName: message.senderName ?? chat.name },
			messageData: messageData(message),
		};
		this.journal(instance.idInstance, body, message.from);
		return { idMessage, body, went: this.send(instance.idInstance, body) };
	}

	/**
	 * Writes a message into the journal GREEN-API keeps of it: incoming ones while incomingWebhook
	 * is on, those sent from the phone while outgoingMessageWebhook is on, those sent through the
	 * API always; each shows journalLagMs later.
	 * @param {string} idInstance @param {Record<string, any>} body @param {'customer' | 'phone' | 'api' | undefined} from
	 */
	journal(idInstance, body, from) {
		const settings = this.inbox(idInstance).settings;
		const incoming = !from || from === 'customer';
		if (incoming ? settings.incomingWebhook !== 'yes' : from === 'phone' && settings.outgoingMessageWebhook !== 'yes') return;
		const { typeMessage, ...content } = body.messageData;
		const file = content.fileMessageData ?? {};
		/** @type {JournalEntry} */
		const entry = {
			type: incoming ? 'incoming' : 'outgoing',
			idMessage: body.idMessage,
			timestamp: body.timestamp,
			typeMessage,
			chatId: body.senderData.chatId,
			...(incoming ? { senderId: body.senderData.sender, senderName: body.senderData.senderName, senderContactName: body.senderData.senderContactName } : { statusMessage: 'sent', sendByApi: from === 'api' }),
			textMessage: content.textMessageData?.textMessage ?? '',
			...(file.downloadUrl ? { downloadUrl: file.downloadUrl, caption: file.caption, fileName: file.fileName, mimeType: file.mimeType } : {}),
		};
		this.record(idInstance, entry);
	}

	/**
	 * Puts an entry into a journal as it is, for seeded history (any time in the past); it shows
	 * after `lagMs` (default journalLagMs). The journal keeps its newest journalCap entries.
	 * @param {string} idInstance @param {JournalEntry} entry @param {number} [lagMs]
	 */
	record(idInstance, entry, lagMs = this.journalLagMs) {
		const inbox = this.inbox(idInstance);
		if (entry.idMessage) inbox.known.set(entry.idMessage, entry.chatId);
		const journal = inbox.journals[entry.type];
		journal.push({ entry, availableAt: Date.now() + lagMs });
		if (journal.length > this.journalCap) journal.splice(0, journal.length - this.journalCap);
	}

	/**
	 * lastIncomingMessages / lastOutgoingMessages: what the journal shows now of the last `minutes`
	 * (default 1440), newest first.
	 * @param {string} idInstance @param {'incoming' | 'outgoing'} type @param {Record<string, unknown>} query
	 */
	readJournal(idInstance, type, query) {
		const minutes = query.minutes === undefined ? 1440 : Number(query.minutes);
		if (!Number.isFinite(minutes) || minutes < 0) return { status: 400, text: "Validation failed. Details: 'minutes' must be a number" };
		const now = Date.now();
		const from = now / 1000 - minutes * 60;
		const shown = this.inbox(idInstance)
			.journals[type].filter(({ entry, availableAt }) => availableAt <= now && entry.timestamp >= from)
			.map(({ entry }) => entry)
			.reverse();
		return { status: 200, body: JSON.stringify(shown) };
	}

	stop() {
		this.stopped = true;
		clearTimeout(this.pump);
	}
}

/** @param {{ text?: string, kind?: string, caption?: string, fileName?: string }} message */
function messageData(message) {
	switch (message.kind) {
		case 'image':
		case 'document': {
			const fileName = message.fileName ?? (message.kind === 'image' ? 'photo.jpg' : 'invoice.pdf');
			return {
				typeMessage: `${message.kind}Message`,
				fileMessageData: {
					downloadUrl: `https://sandbox.invalid/files/${encodeURIComponent(fileName)}`,
					caption: message.caption ?? message.text ?? '',
					fileName,
					jpegThumbnail: '',
					mimeType: message.kind === 'image' ? 'image/jpeg' : 'application/pdf',
				},
			};
		}
		case 'location':
			return { typeMessage: 'locationMessage', locationMessageData: { nameLocation: message.text ?? 'Office', address: '', latitude: 55.75, longitude: 37.62, jpegThumbnail: '' } };
		default:
			return { typeMessage: 'textMessage', textMessageData: { textMessage: message.text ?? '' } };
	}
}

module.exports = { DEFAULT_SETTINGS, Notifications };
