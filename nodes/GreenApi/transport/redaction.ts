/**
 * Redaction: GREEN-API puts the API token in the URL path, so any text that may have seen a URL (a
 * proxy's error page, an echoed path) is scrubbed here before it reaches output, errors or logs.
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
