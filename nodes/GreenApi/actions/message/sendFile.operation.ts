/**
 * Message → Send File: a file from a URL (sendFileByUrl), or from the input item's binary data,
 * uploaded to the instance's media host first (uploadFile, safe to repeat) and then sent by its URL
 * (sendFileByUrl, not safe to repeat): the two kept apart, so an upload can be retried and a send
 * never. The same file sent to many chats in one run is uploaded once.
 */
import { chatField } from '../../api/chatField';
import { textField } from '../../api/fields';
import { FieldError, type FieldSpec, type GreenApiMethod, type MethodCall, type RequestFields } from '../../api/types';
import { quotedMessageIdOption, SEND_ERRORS, SEND_RATE_LIMIT, sendOnceKeyOption, sentItem } from './sendOptions';
import { MAX_FILE_BYTES, uploadFile } from '../../api/uploadFile';

const FROM_URL = 'url';
const FROM_BINARY = 'binary';

const fileSourceField: FieldSpec = {
	property: {
		displayName: 'File Source',
		name: 'fileSource',
		type: 'options',
		options: [
			{ name: 'URL', value: FROM_URL, description: 'A file on the web, which GREEN-API downloads' },
			{ name: 'Binary Data', value: FROM_BINARY, description: "The input item's file (from Read Files, HTTP Request, …), uploaded to the instance first" },
		],
		default: FROM_URL,
		description: 'Where the file comes from',
	},
	normalise: (value) => {
		if (value !== FROM_URL && value !== FROM_BINARY) throw new FieldError(`must be "${FROM_URL}" or "${FROM_BINARY}", but is ${JSON.stringify(value)}`, 'Choose URL or Binary Data.');
		return value;
	},
};

const fileUrlField: FieldSpec = {
	...textField({
		name: 'fileUrl',
		displayName: 'File URL',
		description: 'The address of the file, http or https',
		required: true,
		placeholder: 'e.g. https://example.com/invoice.pdf',
		pattern: { test: /^https?:\/\/\S+$/i, says: 'is not an http(s) address' },
	}),
};
fileUrlField.property = { ...fileUrlField.property, displayOptions: { show: { fileSource: [FROM_URL] } } };

/** The item's binary property, checked before anything of the run is sent: there, and not over GREEN-API's 100 MB. */
const binaryPropertyField: FieldSpec = {
	property: {
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field containing the file to be sent',
		description: "The item's binary property holding the file",
		displayOptions: { show: { fileSource: [FROM_BINARY] } },
	},
	normalise: (value, _options, item) => {
		const name = typeof value === 'string' ? value.trim() : '';
		if (!name) throw new FieldError('is empty', 'Name the binary property that holds the file, usually data.');
		const binary = item?.binary?.[name];
		if (!binary) {
			const present = Object.keys(item?.binary ?? {});
			throw new FieldError(
				`"${name}" is not among the item's binary data`,
				present.length ? `Set it to one the item has: ${present.map((key) => `"${key}"`).join(', ')}.` : 'Give the node an item with a file, e.g. from Read/Write Files from Disk or HTTP Request.',
			);
		}
		const bytes = binary.bytes ?? (binary.id ? undefined : Math.floor((binary.data.length * 3) / 4));
		if (bytes !== undefined && bytes > MAX_FILE_BYTES) throw new FieldError(`"${name}" holds a file of ${megabytes(bytes)}`, `GREEN-API takes files up to ${megabytes(MAX_FILE_BYTES)}.`);
		return name;
	},
};

const fileNameField: FieldSpec = {
	...textField({
		name: 'fileName',
		displayName: 'File Name',
		description: "The name the chat shows; its extension tells WhatsApp the file's type. Empty: the binary data's own name, or the URL's last part.",
		required: false,
		placeholder: 'e.g. invoice.pdf',
	}),
};

const captionField: FieldSpec = textField({ name: 'caption', displayName: 'Caption', description: 'Text shown with the file (on images and videos)', required: false });

/** sendFileByUrl, as Send File's step calls it. */
const sendFileByUrl: MethodCall = {
	path: 'sendFileByUrl',
	httpMethod: 'POST',
	rateLimitPerSecond: SEND_RATE_LIMIT,
	safeToRepeat: false,
	errors: SEND_ERRORS,
	output: (request, response) => [{ ...sentItem(request, response), urlFile: String(request.urlFile), fileName: String(request.fileName) }],
};

/** The file's name: as given, or the one the file came with; it must have an extension (the file's type). */
function fileNameOf(given: unknown, fallback: string): string {
	const name = (typeof given === 'string' && given.trim()) || fallback;
	if (!/\.[A-Za-z0-9]{1,10}$/.test(name)) {
		throw new FieldError(`File Name "${name}" has no extension`, 'GREEN-API takes the file type from the name: give it one such as invoice.pdf.');
	}
	return name;
}

function lastPathPart(url: string): string {
	try {
		return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
	} catch {
		return '';
	}
}

function megabytes(bytes: number): string {
	return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/** A file's identity for uploading it once per run: its bytes' SHA-256 (the same bytes under another name are the same upload). */
async function fingerprint(data: Buffer): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', data as unknown as BufferSource);
	return Buffer.from(digest).toString('hex');
}

export const sendFile: GreenApiMethod = {
	resource: 'message',
	operation: 'sendFile',
	name: 'Send File',
	action: 'Send a file',
	description: 'Send a document, image, audio or video to a chat, from a URL or from binary data',
	...sendFileByUrl,
	fields: [chatField, fileSourceField, fileUrlField, binaryPropertyField, fileNameField, captionField, quotedMessageIdOption],
	onceKey: sendOnceKeyOption,
	// The name must say the file's type; known before anything is sent (the URL's last part, or the binary data's own name).
	check: (request, item) => {
		const fallback = request.fileSource === FROM_URL ? lastPathPart(String(request.fileUrl)) : (item.binary?.[String(request.binaryPropertyName)]?.fileName ?? '');
		fileNameOf(request.fileName, fallback);
	},
	execute: async ({ request, binary, call, once }) => {
		const common: RequestFields = {
			chatId: request.chatId,
			...(request.caption === undefined ? {} : { caption: request.caption }),
			...(request.quotedMessageId === undefined ? {} : { quotedMessageId: request.quotedMessageId }),
		};
		if (request.fileSource === FROM_URL) {
			const urlFile = String(request.fileUrl);
			return await call(sendFileByUrl, { ...common, urlFile, fileName: fileNameOf(request.fileName, lastPathPart(urlFile)) });
		}
		const readFile = async () => await binary(String(request.binaryPropertyName), 'Input Binary Field');
		// Only the file's identity is kept while the upload is waited for: many items in flight must not each hold its bytes.
		const { identity, fileName } = await (async () => {
			const file = await readFile();
			if (file.data.length > MAX_FILE_BYTES) throw new FieldError(`Input Binary Field: the file is ${megabytes(file.data.length)}`, `GREEN-API takes files up to ${megabytes(MAX_FILE_BYTES)}.`);
			return { identity: `uploadFile:${await fingerprint(file.data)}:${file.mimeType}`, fileName: fileNameOf(request.fileName, file.fileName) };
		})();
		const [{ urlFile }] = await once(identity, async () => await call(uploadFile, { file: await readFile() }));
		return await call(sendFileByUrl, { ...common, urlFile, fileName });
	},
};
