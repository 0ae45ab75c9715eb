// @ts-check
/**
 * The simulator's send methods, as GREEN-API documents them (../shared FACTS "Sending messages"):
 * sendMessage, sendFileByUrl, sendPoll on the API host; uploadFile and sendFileByUpload on the
 * media host (the same server here). A request that passes validation is *accepted*: it gets its
 * `idMessage` at once and joins the instance's FIFO send queue; messages leave the queue
 * `delaySendMessagesMilliseconds` apart (the instance's setting, counted from the previous
 * departure). Leaving puts the message in its chat (message count; an archived chat stays
 * archived unless the instance's `unarchiveOnSend` is on — GREEN-API does not say), in the
 * outgoing journal (`lastOutgoingMessages`, `sendByApi: true`, `statusMessage: 'sent'`) and, when
 * `outgoingAPIMessageWebhook` is on, in an `outgoingAPIMessageReceived` notification.
 * `showMessagesQueue` lists what waits, `clearMessagesQueue` drops it.
 *
 * Validation texts: the 20,000-character one is GREEN-API's documented text; the others follow
 * its `Validation failed. Details: …` form with wording of the sandbox's own (GREEN-API does not
 * document them), so a client must not depend on more than the 400 and the prefix.
 */

const { randomBytes, randomUUID } = require('node:crypto');

/** Methods that send a message (each accepted one is queued and counted in `instance.sent`). */
const SEND_METHODS = new Set(['sendMessage', 'sendFileByUrl', 'sendFileByUpload', 'sendPoll']);

/** What a separate media host answers (startMedia()); the API host answers these too. */
const MEDIA_METHODS = new Set(['uploadFile', 'sendFileByUpload']);

/** Where the sandbox serves uploaded files: `{origin}/sandbox-media/{idInstance}/{uuid}/{fileName}`. */
const MEDIA_PATH = '/sandbox-media/';

/** GREEN-API's file size limit (uploadFile, sendFileByUpload). */
const MAX_FILE_BYTES = 100 * 1024 * 1024;

const CHAT_ID = /^(\d+@c\.us|\d+@g\.us|\d+-\d+@g\.us|\d+@lid)$/;

/** File kinds and MIME types by extension (GREEN-API takes the type from fileName's extension). */
const EXTENSIONS = /** @type {Record<string, [string, string]>} */ ({
	jpg: ['imageMessage', 'image/jpeg'],
	jpeg: ['imageMessage', 'image/jpeg'],
	png: ['imageMessage', 'image/png'],
	webp: ['imageMessage', 'image/webp'],
	gif: ['imageMessage', 'image/gif'],
	mp4: ['videoMessage', 'video/mp4'],
	mov: ['videoMessage', 'video/quicktime'],
	'3gp': ['videoMessage', 'video/3gpp'],
	avi: ['videoMessage', 'video/x-msvideo'],
	mkv: ['videoMessage', 'video/x-matroska'],
	mp3: ['audioMessage', 'audio/mpeg'],
	ogg: ['audioMessage', 'audio/ogg'],
	oga: ['audioMessage', 'audio/ogg'],
	opus: ['audioMessage', 'audio/ogg'],
	m4a: ['audioMessage', 'audio/mp4'],
	aac: ['audioMessage', 'audio/aac'],
	wav: ['audioMessage', 'audio/wav'],
	amr: ['audioMessage', 'audio/amr'],
	pdf: ['documentMessage', 'application/pdf'],
	txt: ['documentMessage', 'text/plain'],
	csv: ['documentMessage', 'text/csv'],
	doc: ['documentMessage', 'application/msword'],
	docx: ['documentMessage', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
	xls: ['documentMessage', 'application/vnd.ms-excel'],
	xlsx: ['documentMessage', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
	zip: ['documentMessage', 'application/zip'],
});

/**
 * @typedef {'textMessage' | 'imageMessage' | 'videoMessage' | 'audioMessage' | 'documentMessage' | 'pollMessage'} TypeMessage
 * @typedef {{ idMessage: string, method: string, chatId: string, typeMessage: TypeMessage,
 *   textMessage?: string, caption?: string, fileName?: string, mimeType?: string, downloadUrl?: string,
 *   poll?: { name: string, options: Array<{ optionName: string }>, multipleAnswers: boolean },
 *   quotedMessageId?: string, linkPreview?: boolean, typingTime?: number,
 *   body: Record<string, unknown>, acceptedAt: number, sentAt?: number, state: 'queued' | 'sent' | 'cleared',
 *   answer?: number | 'reset' | 'none' }} Outgoing
 *   one accepted message: `state` where it is now; `answer` what the client got (a status, a reset
 *   connection, or no answer at all), set when the answer is decided
 * @typedef {{ name: string, type: string, bytes: Buffer, idInstance: string, url: string }} StoredFile
 * @typedef {{ status: number, text?: string, body?: string, outgoing?: Outgoing }} SendResult
 */

/** A fresh idMessage in GREEN-API's shape (16 upper-case hex characters). */
function newMessageId() {
	return `BAE5${randomBytes(6).toString('hex').toUpperCase()}`;
}

/** The message kind and MIME type GREEN-API would give a file of this name. @param {string} fileName */
function fileKind(fileName) {
	const extension = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
	const [typeMessage, mimeType] = EXTENSIONS[extension] ?? ['documentMessage', 'application/octet-stream'];
	return { typeMessage: /** @type {TypeMessage} */ (typeMessage), mimeType };
}

/** Characters as a person counts them (code points, not UTF-16 units). @param {string} text */
const length = (text) => [...text].length;

const invalid = (/** @type {string} */ details) => ({ status: 400, text: `Validation failed. Details: ${details}` });

/**
 * The checks every send shares: a body, a chat id, a known quoted message, a caption's length.
 * @param {Record<string, unknown>} body
 * @param {(idMessage: string) => string | undefined} chatOf the chat of a message GREEN-API knows
 * @returns {{ status: number, text: string } | undefined}
 */
function commonRefusal(body, chatOf) {
	if (Object.keys(body).length === 0) return invalid("'value' must have at least 1 key");
	const { chatId, quotedMessageId, caption } = body;
	if (chatId === undefined) return invalid("'chatId' is required");
	if (typeof chatId !== 'string') return invalid("'chatId' must be a string");
	if (!CHAT_ID.test(chatId)) return { status: 400, text: 'Bad Request Validation failed' };
	if (quotedMessageId !== undefined) {
		if (typeof quotedMessageId !== 'string' || quotedMessageId === '') return invalid("'quotedMessageId' must be a non-empty string");
		if (chatOf(quotedMessageId) !== chatId) return invalid(`'quotedMessageId' message ${quotedMessageId} not found in chat ${chatId}`);
	}
	if (caption !== undefined) {
		if (typeof caption !== 'string') return invalid("'caption' must be a string");
		if (length(caption) > 20000) return invalid("'caption' length must be less than or equal to 20000 characters long");
	}
	return undefined;
}

/**
 * sendMessage: `{ chatId, message, quotedMessageId?, linkPreview?, typingTime? }`.
 * @param {Record<string, unknown>} body @param {(idMessage: string) => string | undefined} chatOf
 * @returns {{ status: number, text: string } | Omit<Outgoing, 'idMessage' | 'acceptedAt' | 'state'>}
 */
function sendMessage(body, chatOf) {
	const refusal = commonRefusal(body, chatOf);
	if (refusal) return refusal;
	const { message, linkPreview, typingTime } = body;
	if (message === undefined) return invalid("'message' is required");
	if (typeof message !== 'string') return invalid("'message' must be a string");
	if (message === '') return invalid("'message' is not allowed to be empty");
	if (length(message) > 20000) return invalid("'message' length must be less than or equal to 20000 characters long");
	if (linkPreview !== undefined && typeof linkPreview !== 'boolean') return invalid("'linkPreview' must be a boolean");
	if (typingTime !== undefined) {
		if (typeof typingTime !== 'number' || !Number.isInteger(typingTime)) return invalid("'typingTime' must be an integer");
		if (typingTime < 1000) return invalid("'typingTime' must be greater than or equal to 1000");
		if (typingTime > 20000) return invalid("'typingTime' must be less than or equal to 20000");
	}
	return {
		method: 'sendMessage',
		chatId: /** @type {string} */ (body.chatId),
		typeMessage: 'textMessage',
		textMessage: message,
		...(body.quotedMessageId !== undefined ? { quotedMessageId: /** @type {string} */ (body.quotedMessageId) } : {}),
		linkPreview: linkPreview ?? true,
		...(typingTime !== undefined ? { typingTime } : {}),
		body,
	};
}

/**
 * sendFileByUrl: `{ chatId, urlFile, fileName, caption?, quotedMessageId? }`; also what
 * sendFileByUpload checks once its form is read (`urlFile` is then the stored file's).
 * @param {Record<string, unknown>} body @param {(idMessage: string) => string | undefined} chatOf @param {string} method
 * @returns {{ status: number, text: string } | Omit<Outgoing, 'idMessage' | 'acceptedAt' | 'state'>}
 */
function sendFile(body, chatOf, method = 'sendFileByUrl') {
	const refusal = commonRefusal(body, chatOf);
	if (refusal) return refusal;
	const { urlFile, fileName, caption } = body;
	if (urlFile === undefined) return invalid("'urlFile' is required");
	if (typeof urlFile !== 'string' || !/^https?:\/\/[^\s/]+/.test(urlFile)) return invalid("'urlFile' must be a valid uri");
	if (fileName === undefined) return invalid("'fileName' is required");
	if (typeof fileName !== 'string' || fileName === '') return invalid("'fileName' must be a non-empty string");
	const { typeMessage, mimeType } = fileKind(fileName);
	return {
		method,
		chatId: /** @type {string} */ (body.chatId),
		typeMessage,
		fileName,
		mimeType,
		downloadUrl: urlFile,
		caption: /** @type {string | undefined} */ (caption) ?? '',
		...(body.quotedMessageId !== undefined ? { quotedMessageId: /** @type {string} */ (body.quotedMessageId) } : {}),
		body,
	};
}

/**
 * sendPoll: `{ chatId, message, options: [{ optionName }], multipleAnswers?, quotedMessageId? }`.
 * @param {Record<string, unknown>} body @param {(idMessage: string) => string | undefined} chatOf
 * @returns {{ status: number, text: string } | Omit<Outgoing, 'idMessage' | 'acceptedAt' | 'state'>}
 */
function sendPoll(body, chatOf) {
	const refusal = commonRefusal(body, chatOf);
	if (refusal) return refusal;
	const { message, options, multipleAnswers } = body;
	if (message === undefined) return invalid("'message' is required");
	if (typeof message !== 'string' || message === '') return invalid("'message' must be a non-empty string");
	if (length(message) > 255) return invalid("'message' length must be less than or equal to 255 characters long");
	if (options === undefined) return invalid("'options' is required");
	if (!Array.isArray(options)) return invalid("'options' must be an array");
	if (options.length < 2) return invalid("'options' must contain at least 2 items");
	if (options.length > 12) return invalid("'options' must contain less than or equal to 12 items");
	/** @type {string[]} */
	const names = [];
	for (const [i, option] of options.entries()) {
		const name = option && typeof option === 'object' ? /** @type {Record<string, unknown>} */ (option).optionName : undefined;
		if (typeof name !== 'string' || name === '') return invalid(`'options[${i}].optionName' must be a non-empty string`);
		if (length(name) > 100) return invalid(`'options[${i}].optionName' length must be less than or equal to 100 characters long`);
		if (names.includes(name)) return invalid(`'options[${i}]' contains a duplicate value`);
		names.push(name);
	}
	if (multipleAnswers !== undefined && typeof multipleAnswers !== 'boolean') return invalid("'multipleAnswers' must be a boolean");
	return {
		method: 'sendPoll',
		chatId: /** @type {string} */ (body.chatId),
		typeMessage: 'pollMessage',
		poll: { name: message, options: names.map((optionName) => ({ optionName })), multipleAnswers: multipleAnswers ?? false },
		...(body.quotedMessageId !== undefined ? { quotedMessageId: /** @type {string} */ (body.quotedMessageId) } : {}),
		body,
	};
}

/** What `showMessagesQueue` shows of a waiting message: `{ messageID, type, body }`. @param {Outgoing} outgoing */
function queueEntry(outgoing) {
	return { messageID: outgoing.idMessage, type: outgoing.method, body: outgoing.body };
}

/** The outgoing journal's entry (`lastOutgoingMessages`) for a message that left the queue. @param {Outgoing} outgoing */
function journalEntry(outgoing) {
	return {
		type: /** @type {const} */ ('outgoing'),
		idMessage: outgoing.idMessage,
		timestamp: Math.floor(/** @type {number} */ (outgoing.sentAt) / 1000),
		typeMessage: outgoing.typeMessage,
		chatId: outgoing.chatId,
		statusMessage: 'sent',
		sendByApi: true,
		textMessage: outgoing.textMessage ?? '',
		...(outgoing.downloadUrl !== undefined ? { downloadUrl: outgoing.downloadUrl, caption: outgoing.caption ?? '', fileName: outgoing.fileName, mimeType: outgoing.mimeType } : {}),
		...(outgoing.poll ? { pollMessageData: outgoing.poll } : {}),
		...(outgoing.quotedMessageId ? { quotedMessage: { stanzaId: outgoing.quotedMessageId } } : {}),
	};
}

/** The notification's `messageData` for an API-sent message (outgoingAPIMessageReceived). @param {Outgoing} outgoing */
function messageData(outgoing) {
	if (outgoing.poll) return { typeMessage: 'pollMessage', pollMessageData: outgoing.poll };
	if (outgoing.downloadUrl !== undefined) {
		return {
			typeMessage: outgoing.typeMessage,
			fileMessageData: { downloadUrl: outgoing.downloadUrl, caption: outgoing.caption ?? '', fileName: outgoing.fileName, jpegThumbnail: '', mimeType: outgoing.mimeType },
		};
	}
	return { typeMessage: 'textMessage', textMessageData: { textMessage: outgoing.textMessage ?? '' } };
}

/**
 * The instance's stored files (uploadFile, sendFileByUpload), served at their `urlFile`.
 * @param {Map<string, StoredFile>} files @param {string} origin @param {string} idInstance
 * @param {{ name: string, type: string, bytes: Buffer }} file
 */
function storeFile(files, origin, idInstance, file) {
	const path = `${MEDIA_PATH}${idInstance}/${randomUUID()}/${encodeURIComponent(file.name)}`;
	const url = `${origin}${path}`;
	files.set(path, { ...file, idInstance, url });
	return url;
}

module.exports = {
	SEND_METHODS,
	MEDIA_METHODS,
	MEDIA_PATH,
	MAX_FILE_BYTES,
	newMessageId,
	fileKind,
	sendMessage,
	sendFile,
	sendPoll,
	queueEntry,
	journalEntry,
	messageData,
	storeFile,
};
