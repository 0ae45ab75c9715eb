/**
 * The trigger's webhook secret, derived from the API token here in the transport, the only code
 * that reads the token; and its comparison.
 */

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
