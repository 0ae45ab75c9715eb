/**
 * The secrets and the token: GREEN-API puts the API token in the URL path, so any text that may
 * have seen a URL (a proxy's error page, an echoed path) is scrubbed before it reaches output,
 * errors or logs; and the trigger's webhook secret is derived from the token here, where the
 * token is read.
 */

const MASK = '***';

/** The path segment after `/waInstance<id>/<method>/` is the token, whoever wrote the text. */
const TOKEN_IN_PATH = /(waInstance\d*\/[A-Za-z]+\/)[^\s/?#"'<>]+/gi;

export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
	let clean = text.replace(TOKEN_IN_PATH, `$1${MASK}`);
	for (const secret of secrets) {
		// Short values (an empty or test token) would mask ordinary words; a real token is 50 chars.
		if (!secret || secret.length < 6) continue;
		for (const form of new Set([secret, encodeURIComponent(secret)])) {
			clean = clean.split(form).join(MASK);
		}
	}
	return clean;
}

/** Something thrown, as a cause to show and log: its name, message and stack, scrubbed. */
export function scrubbedCause(thrown: unknown, secrets: ReadonlyArray<string | undefined>): { message: string; stack?: string } {
	const error = thrown instanceof Error ? thrown : new Error(String(thrown));
	return { message: redact(`${error.name}: ${error.message}`, secrets), stack: error.stack === undefined ? undefined : redact(error.stack, secrets) };
}

/** The length of a webhook secret: 160 bits as hex. */
const WEBHOOK_SECRET_LENGTH = 40;

/**
 * The secret GREEN-API sends back with every webhook delivery (its webhookUrlToken), for the
 * webhook of one trigger node (`webhookId`): an HMAC-SHA-256 of the webhook ID keyed with the API
 * token, so it is unguessable without the token, the same wherever n8n computes it (main or
 * webhook process, test or production URL, after a restart), and never needs storing.
 */
export async function webhookSecret(credentials: { apiTokenInstance?: unknown }, webhookId: string): Promise<string> {
	const encoder = new TextEncoder();
	const token = String(credentials.apiTokenInstance ?? '').trim();
	const key = await crypto.subtle.importKey('raw', encoder.encode(token), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
	const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`n8n-nodes-green-api webhook ${webhookId}`));
	return [...new Uint8Array(mac)]
		.map((byte) => byte.toString(16).padStart(2, '0'))
		.join('')
		.slice(0, WEBHOOK_SECRET_LENGTH);
}

/** Whether `given` is `expected`, compared in time that does not depend on where they differ. */
export function sameSecret(given: string, expected: string): boolean {
	if (!expected) return false;
	let difference = given.length ^ expected.length;
	for (let i = 0; i < expected.length; i++) difference |= (given.charCodeAt(i) || 0) ^ expected.charCodeAt(i);
	return difference === 0;
}
