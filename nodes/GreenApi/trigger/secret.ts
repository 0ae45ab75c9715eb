/**
 * The webhook secret: made fresh when the trigger writes it to the instance (GREEN-API's
 * webhookUrlToken) and kept by n8n only as its SHA-256 digest, in the workflow's static data, so
 * neither n8n's database nor an export of the workflow holds it. Whatever claims to be the
 * secret (a delivery's Authorization header, the instance's token) is checked by its digest.
 */
import { randomString } from 'n8n-workflow';

const SECRET_LENGTH = 40;

export function newSecret(): string {
	return randomString(SECRET_LENGTH);
}

export async function digestOf(secret: string): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
	return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Whether `given` is the secret whose digest is `kept`; false when none is kept. */
export async function isSecret(given: string, kept: string | undefined): Promise<boolean> {
	if (!kept || !given) return false;
	return sameText(await digestOf(given), kept);
}

/** Compares in time that does not depend on where the texts differ. */
function sameText(given: string, expected: string): boolean {
	let difference = given.length ^ expected.length;
	for (let i = 0; i < expected.length; i++) difference |= (given.charCodeAt(i) || 0) ^ expected.charCodeAt(i);
	return difference === 0;
}
