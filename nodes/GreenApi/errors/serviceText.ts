/**
 * GREEN-API's error bodies have no fixed shape: a JSON object with `message` or `description`,
 * a bare JSON string, plain text, or a proxy's HTML page. This pulls one readable line out of
 * any of them, so the catalogue can match on it and people can search for it.
 */

const MAX_LENGTH = 300;
const TEXT_KEYS = ['message', 'description', 'error', 'errorMessage', 'detail', 'title'];

export function serviceText(rawBody: unknown): string {
	if (rawBody === undefined || rawBody === null) return '';
	const raw = typeof rawBody === 'string' ? rawBody : JSON.stringify(rawBody);
	const trimmed = raw.trim();
	if (trimmed === '') return '';
	if (/^</.test(trimmed)) return clip(htmlText(trimmed));
	try {
		return clip(jsonText(JSON.parse(trimmed)));
	} catch {
		return clip(oneLine(trimmed));
	}
}

function jsonText(value: unknown): string {
	if (typeof value === 'string') return oneLine(value);
	if (value === null || typeof value !== 'object') return String(value);
	const found = textsIn(value as Record<string, unknown>, 0);
	return found.length ? [...new Set(found)].join('; ') : oneLine(JSON.stringify(value));
}

/** Text fields at the top level, else one level down (466 puts them in invokeStatus etc.). */
function textsIn(object: Record<string, unknown>, depth: number): string[] {
	for (const key of TEXT_KEYS) {
		const value = object[key];
		if (typeof value === 'string' && value.trim()) return [oneLine(value)];
		if (value && typeof value === 'object' && depth === 0) {
			const nested = textsIn(value as Record<string, unknown>, 1);
			if (nested.length) return nested;
		}
	}
	if (depth > 0) return [];
	return Object.values(object)
		.filter((value): value is Record<string, unknown> => !!value && typeof value === 'object')
		.flatMap((nested) => textsIn(nested, 1));
}

function htmlText(html: string): string {
	const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
	const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html)?.[1];
	const text = title ?? heading ?? html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ');
	return oneLine(
		text
			.replace(/<[^>]*>/g, ' ')
			.replace(/&nbsp;/g, ' ')
			.replace(/&amp;/g, '&'),
	);
}

function oneLine(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string): string {
	return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}
