/**
 * A request's fields as the HTTP request carries them, by the method's `body` (api/types.ts): the
 * query string of a GET; a POST's JSON object, its one file as the whole body (uploadFile), or a
 * multipart form (sendFileByUpload). Files go as the Buffer n8n gave, never through JSON or base64.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { RequestFile, type MethodEndpoint, type RequestFields, type RequestValue } from '../api/types';

/** What a request carries besides its method and URL. */
export type RequestBody = Pick<IHttpRequestOptions, 'headers' | 'body' | 'qs'>;

const ACCEPT_JSON = { Accept: 'application/json' };

export function requestBody(method: MethodEndpoint, request: RequestFields): RequestBody {
	if (method.httpMethod === 'GET') {
		const query = jsonFields(method, request);
		return { headers: ACCEPT_JSON, qs: Object.keys(query).length ? query : undefined };
	}
	switch (method.body ?? 'json') {
		case 'json':
			return { headers: { ...ACCEPT_JSON, 'Content-Type': 'application/json' }, body: JSON.stringify(jsonFields(method, request)) };
		case 'bytes': {
			const file = onlyFile(method, request);
			return { headers: { ...ACCEPT_JSON, 'Content-Type': mediaType(file.mimeType), 'GA-Filename': headerSafe(file.fileName) }, body: file.data };
		}
		case 'multipart':
			return multipart(request);
	}
}

/**
 * A file name as a header carries it: printable ASCII as it is; a name with anything else (another
 * script, a control character, a lone surrogate) or a % percent-encoded, as UTF-8 where it can be.
 */
function headerSafe(name: string): string {
	if (/^[\x20-\x24\x26-\x7E]*$/.test(name)) return name;
	return [...name].map((character) => (/^[\x20-\x24\x26-\x7E]$/.test(character) ? character : percentEncoded(character))).join('');
}

function percentEncoded(character: string): string {
	try {
		return encodeURIComponent(character);
	} catch {
		return '%EF%BF%BD'; // a lone surrogate: U+FFFD, as a decoder would read it
	}
}

/** A file's MIME type as a header may carry it; anything else (line breaks, other scripts) is sent as plain bytes. */
function mediaType(mimeType: string): string {
	return /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=("[^"\r\n]*"|[\w.+-]+))*$/.test(mimeType) ? mimeType : 'application/octet-stream';
}

/** The fields as JSON values; a file here is a mistake in a method description, not the user's. */
function jsonFields(method: MethodEndpoint, request: RequestFields): Record<string, RequestValue> {
	const fields: Record<string, RequestValue> = {};
	for (const [name, value] of Object.entries(request)) {
		if (value instanceof RequestFile) throw new TypeError(`${method.path}: field "${name}" is a file, but the method sends ${method.httpMethod === 'GET' ? 'a query string' : 'JSON'}`);
		fields[name] = value;
	}
	return fields;
}

function onlyFile(method: MethodEndpoint, request: RequestFields): RequestFile {
	const files = Object.values(request).filter((value): value is RequestFile => value instanceof RequestFile);
	if (files.length !== 1 || Object.keys(request).length !== 1) throw new TypeError(`${method.path}: a bytes body takes exactly one file and no other field`);
	return files[0];
}

/**
 * multipart/form-data (RFC 7578), built here: n8n's request helper takes a Buffer on every line,
 * while form objects differ between them. The file's bytes are copied once, into the body.
 */
function multipart(request: RequestFields): RequestBody {
	const boundary = `----GreenApiN8n${Array.from({ length: 24 }, () => Math.floor(Math.random() * 36).toString(36)).join('')}`;
	const quoted = (text: string) => text.replace(/[\r\n"]/g, (character) => encodeURIComponent(character));
	const chunks: Buffer[] = [];
	for (const [name, value] of Object.entries(request)) {
		if (value instanceof RequestFile) {
			chunks.push(
				Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"; filename="${quoted(value.fileName)}"\r\nContent-Type: ${value.mimeType}\r\n\r\n`),
				value.data,
				Buffer.from('\r\n'),
			);
		} else {
			const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
			chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${text}\r\n`));
		}
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { headers: { ...ACCEPT_JSON, 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body: Buffer.concat(chunks) };
}
