/**
 * Phone numbers as people paste them: out of web pages, spreadsheets, e-mail signatures and phone
 * apps they come with typographic look-alikes of the characters a number is written with, with
 * invisible formatting characters, or as a link. This turns such a value into the plain text the
 * chat rules read; anything else is left as it is (and refused by those rules).
 */

/** No-break, figure, thin, hair, narrow no-break and the other fixed-width spaces; the ideographic space. */
const SPACES = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g;
/** Hyphen, non-breaking hyphen, figure dash, en and em dash, horizontal bar, minus sign, small and full-width hyphen-minus. */
const DASHES = /[\u2010-\u2015\u2212\ufe63\uff0d]/g;
/** Full-width digits, plus and brackets; each is its ASCII twin plus 0xFEE0. */
const FULL_WIDTH = /[\uff08\uff09\uff0b\uff10-\uff19]/g;
const FULL_WIDTH_OFFSET = 0xfee0;

/**
 * Characters that format text without being seen: direction marks, embeddings, overrides and
 * isolates (text copied from a right-to-left page), zero-width spaces and joiners, the word
 * joiner, a byte-order mark, the soft hyphen.
 */
const INVISIBLE = /[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** `tel:` links (RFC 3966): the number, without parameters such as `;ext=`. */
const TEL_LINK = /^tel:(?:\/\/)?([^;?]*)/i;
/**
 * WhatsApp's click-to-chat links, `wa.me/<number>` and `…whatsapp.com/send?phone=<number>`:
 * the number in them is always international, written without +.
 */
const WA_ME_LINK = /^(?:https?:\/\/)?(?:www\.)?wa\.me\/(\+?\d+)\/?(?:[?#].*)?$/i;
const SEND_LINK = /^(?:(?:https?:\/\/)?(?:api|web)\.whatsapp\.com\/send\/?|whatsapp:\/\/send\/?)\?(.*)$/i;

/** `text` with look-alikes folded, invisible characters dropped and a link's number taken out of it. */
export function unpaste(text: string): string {
	const plain = text
		.replace(INVISIBLE, '')
		.replace(SPACES, ' ')
		.replace(DASHES, '-')
		.replace(FULL_WIDTH, (char) => String.fromCharCode(char.charCodeAt(0) - FULL_WIDTH_OFFSET))
		.trim();
	return linkedNumber(plain) ?? plain;
}

function linkedNumber(text: string): string | undefined {
	const tel = TEL_LINK.exec(text);
	if (tel) return decoded(tel[1]).trim();
	const waMe = WA_ME_LINK.exec(text);
	if (waMe) return international(waMe[1]);
	const send = SEND_LINK.exec(text);
	if (send) {
		const phone = new URLSearchParams(send[1]).get('phone');
		// A link without a number opens WhatsApp's contact picker: nothing to read, so left as given.
		if (phone && /^\+?\d+$/.test(phone.trim())) return international(phone.trim());
	}
	return undefined;
}

function international(number: string): string {
	return number.startsWith('+') ? number : `+${number}`;
}

function decoded(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}
