import { parseChatInput } from '../nodes/GreenApi/chatInput/chatId';

/** The chat ID the rules read `value` as; fails the test when they refuse it. */
function normaliseChatId(value: unknown, defaultCountry?: string): string {
	const reading = parseChatInput(value, defaultCountry);
	if ('problem' in reading) throw new Error(`${JSON.stringify(value)} was refused: ${reading.problem}`);
	return reading.chatId;
}

/** Why the rules refuse `value` (`message`, as it reads after the field's name) and what to do (`hint`). */
function refusal(value: unknown, defaultCountry?: string): { message: string; hint: string } {
	const reading = parseChatInput(value, defaultCountry);
	if ('chatId' in reading) throw new Error(`${JSON.stringify(value)} was accepted as ${reading.chatId}`);
	return { message: reading.problem, hint: reading.hint };
}

describe('chat ids', () => {
	it.each([
		['79001234567@c.us', '79001234567@c.us'],
		['120363043968066561@g.us', '120363043968066561@g.us'],
		['79001234567-1581234048@g.us', '79001234567-1581234048@g.us'],
		['150502889857240@lid', '150502889857240@lid'],
		['  79001234567@c.us\n', '79001234567@c.us'],
	])('accepts the chat id %j as %j, with or without Default Country', (input, expected) => {
		expect(normaliseChatId(input)).toBe(expected);
		expect(normaliseChatId(input, 'GB')).toBe(expected);
	});

	it("spells other tools' @s.whatsapp.net ids the way GREEN-API wants them", () => {
		expect(normaliseChatId('79001234567@s.whatsapp.net')).toBe('79001234567@c.us');
	});
});

describe('phone numbers as CRMs hold them', () => {
	// [country, as written, Default Country or '' for none, sent as]
	it.each([
		['Russia', '+7 (900) 123-45-67', '', '79001234567'],
		['Russia', '79001234567', '', '79001234567'],
		['Russia', '8 (900) 123-45-67', 'RU', '79001234567'],
		['Russia', '89001234567', 'RU', '79001234567'],
		['Russia', '900 123 45 67', 'RU', '79001234567'],
		['Russia', '+7 900 123-45-67', 'RU', '79001234567'],
		['Russia', '7 900 123 45 67', 'RU', '79001234567'],
		['Russia (toll free)', '8 800 555-35-35', 'RU', '78005553535'],
		['Kazakhstan', '8 (701) 234-56-78', 'KZ', '77012345678'],
		['Kazakhstan', '+7 701 234 5678', '', '77012345678'],
		['Ukraine', '050 123 4567', 'UA', '380501234567'],
		['Ukraine', '+380 50 123 4567', '', '380501234567'],
		['Belarus', '8 029 123-45-67', 'BY', '375291234567'],
		['Belarus', '+375 29 123-45-67', '', '375291234567'],
		['Uzbekistan', '90 123 45 67', 'UZ', '998901234567'],
		['Uzbekistan', '+998 90 123 45 67', '', '998901234567'],
		['Germany', '0151 23456789', 'DE', '4915123456789'],
		['Germany', '030 1234567', 'DE', '49301234567'],
		['Germany', '0049 30 1234567', '', '49301234567'],
		['United Kingdom', '07700 900123', 'GB', '447700900123'],
		['United Kingdom', '+44 20 7946 0958', '', '442079460958'],
		['United States', '(415) 555-0123', 'US', '14155550123'],
		['United States', '1 415 555 0123', 'US', '14155550123'],
		['United States', '415.555.0123', 'US', '14155550123'],
		['United States', '+1 212 555 0123', '', '12125550123'],
		['Brazil', '(11) 98765-4321', 'BR', '5511987654321'],
		['Brazil', '+55 11 98765-4321', '', '5511987654321'],
		['India', '098765 43210', 'IN', '919876543210'],
		['India', '98765 43210', 'IN', '919876543210'],
		['India', '+91 98765 43210', '', '919876543210'],
		['Italy (keeps its 0)', '06 1234 5678', 'IT', '390612345678'],
		['Italy (keeps its 0)', '+39 06 1234 5678', '', '390612345678'],
		['Italy (keeps its 0)', '0039 06 1234 5678', 'RU', '390612345678'],
		['Italy (mobile)', '312 345 6789', 'IT', '393123456789'],
		['a UK number while Default Country is Russia', '+44 7700 900123', 'RU', '447700900123'],
	])('%s: %j with Default Country %j → %s@c.us', (_country, input, country, expected) => {
		expect(normaliseChatId(input, country)).toBe(`${expected}@c.us`);
	});

	it('a whole phone number that arrived as a JSON number is read as if it were text', () => {
		expect(normaliseChatId(79001234567)).toBe('79001234567@c.us');
		expect(normaliseChatId(89001234567, 'RU')).toBe('79001234567@c.us');
		expect(normaliseChatId(4915123456789)).toBe('4915123456789@c.us');
	});
});

describe('refused before anything is sent, saying what looks wrong and what to do', () => {
	it('a Russian national number without Default Country: no country has calling code 8, 89 or 890', () => {
		const error = refusal('89001234567');
		expect(error.message).toBe('"89001234567" is not an international number: no country has calling code 8, 89 or 890');
		expect(error.hint).toContain('If it is a national number of Kazakhstan, Russia or Belarus (written with the national prefix 8)');
		expect(error.hint).toContain('set Options → Default Country');
		expect(error.hint).toContain('+7 9001234567');
	});

	it('a national number with a 0 prefix and no Default Country', () => {
		const error = refusal('07700 900123');
		expect(error.message).toBe('"07700 900123" is not an international number: no country has calling code 0, 07 or 077');
		expect(error.hint).toMatch(/Default Country/);
	});

	it('a number too short for its calling code', () => {
		expect(refusal('+7 900 123 45 6').message).toBe('"+7 900 123 45 6" has 9 digits after calling code 7, and numbers of Kazakhstan and Russia have 10 or 14 digits');
		expect(refusal('+7 900 123 45 6').hint).toMatch(/missing or an extra digit/);
	});

	it('a number that is neither national in the Default Country nor international', () => {
		expect(refusal('1234 56789', 'RU').message).toMatch(
			/^"1234 56789" is no phone number of Russia \(Default Country\): it has 9 digits, and numbers there have 10 or 14 digits after the national prefix 8; nor is it an international number$/,
		);
	});

	it('a Default Country that is no country', () => {
		expect(refusal('8 900 123 45 67', 'XX').message).toMatch(/Default Country "XX" is no country code/);
	});

	it.each([
		['', /is empty/],
		['   ', /is empty/],
		['hello', /neither a chat ID nor a phone number/],
		['79001234567@c.us.evil', /neither/],
		['abc@c.us', /neither/],
		['7900+1234567', /neither/],
		['12345', /has 5 digits/],
		['+7 (900) 123-45-67-89-01-23', /has 17 digits/],
		[true, /must be text, but is the boolean true/],
		[false, /the boolean false/],
		[120363043968066561, /must be text, but is the number 120363043968066560/],
		[79001234567.5, /the number 79001234567.5/],
		[123, /the number 123/],
		[-79001234567, /the number -79001234567/],
		[{ chatId: '79001234567@c.us' }, /an object/],
		[['79001234567@c.us'], /a list/],
		[null, /must be text, but is empty/],
		[undefined, /must be text, but is empty/],
	])('%j', (input, reason) => {
		const error = refusal(input);
		expect(error.message).toMatch(reason);
		expect(error.hint).toMatch(/@c\.us/);
	});

	it('a JSON number too long to be exact says why, and how to map it as text', () => {
		expect(refusal(120363043968066561).hint).toMatch(/String\(\$json\.phone\)/);
	});
});

describe('phone numbers as people paste them', () => {
	const NBSP = '\u00a0';
	const THIN = '\u2009';
	const NARROW_NBSP = '\u202f';
	const FIGURE = '\u2007';
	const EN_DASH = '\u2013';
	const EM_DASH = '\u2014';
	const NB_HYPHEN = '\u2011';
	const MINUS = '\u2212';
	const LRM = '\u200e';
	const RLM = '\u200f';
	const LRI = '\u2066';
	const PDI = '\u2069';
	const ZWSP = '\u200b';
	const ZWJ = '\u200d';
	const BOM = '\ufeff';
	const fullWidth = (text: string) => text.replace(/[0-9+()]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));

	it.each([
		['no-break spaces and en dashes', `+7${NBSP}900${NBSP}123${EN_DASH}45${EN_DASH}67`],
		['thin, narrow no-break and figure spaces', `+7${THIN}900${NARROW_NBSP}123${FIGURE}45${FIGURE}67`],
		['em dashes', `+7 900 123${EM_DASH}45${EM_DASH}67`],
		['non-breaking hyphens', `+7 (900) 123${NB_HYPHEN}45${NB_HYPHEN}67`],
		['minus signs', `+7 900${MINUS}123${MINUS}45${MINUS}67`],
		['full-width digits, plus and brackets', fullWidth('+7 (900) 123-45-67')],
		['between direction marks (a right-to-left page)', `${RLM}+7 900 123-45-67${LRM}`],
		['inside a direction isolate', `${LRI}+7 (900) 123-45-67${PDI}`],
		['with zero-width spaces and joiners', `+7${ZWSP}900${ZWJ}1234567`],
		['after a byte-order mark', `${BOM}+79001234567`],
		['a tel: link', 'tel:+79001234567'],
		['a tel: link with separators and an extension', 'tel:+7-900-123-45-67;ext=12'],
		['a tel: link, percent-encoded', 'tel:%2B7%20900%20123%2045%2067'],
		['a wa.me link', 'https://wa.me/79001234567'],
		['a wa.me link without scheme, with a message', 'wa.me/79001234567?text=Hello'],
		['an api.whatsapp.com link', 'https://api.whatsapp.com/send?phone=79001234567&text=Hi'],
		['an api.whatsapp.com/send/ link with + in the number', 'https://api.whatsapp.com/send/?phone=%2B79001234567'],
	])('%s', (_kind, pasted) => {
		expect(normaliseChatId(pasted)).toBe('79001234567@c.us');
	});

	it('a chat ID between invisible marks', () => {
		expect(normaliseChatId(`${LRM}120363043968066561@g.us${RLM}`)).toBe('120363043968066561@g.us');
	});

	it('a national number pasted with look-alikes is read in the Default Country', () => {
		expect(normaliseChatId(`8${NBSP}(900)${NBSP}123${EN_DASH}45${EN_DASH}67`, 'RU')).toBe('79001234567@c.us');
		expect(normaliseChatId('tel:8-900-123-45-67', 'RU')).toBe('79001234567@c.us');
	});

	it('a wa.me number is international even where a national reading would fit (Italy has no trunk prefix)', () => {
		expect(normaliseChatId('https://wa.me/393123456789', 'IT')).toBe('393123456789@c.us');
		expect(normaliseChatId('393123456789', 'IT')).toBe('39393123456789@c.us');
	});

	it.each([
		['another site', 'https://example.com/79001234567', /neither a chat ID nor a phone number/],
		['a wa.me link to a business name', 'https://wa.me/message/ABCDEF', /neither/],
		['a send link without a number', 'https://api.whatsapp.com/send?text=Hi', /neither/],
		['a mailto link', 'mailto:sales@example.com', /neither/],
		['a tel: link to no number', 'tel:', /is empty/],
		['letters among look-alikes', `+7${NBSP}900${EN_DASH}CALL${EN_DASH}NOW`, /neither/],
		['a pasted national number without Default Country', `8${NBSP}900${NBSP}123${EN_DASH}45${EN_DASH}67`, /no country has calling code 8, 89 or 890/],
		['invisible characters only', `${LRM}${ZWSP}${RLM}`, /is empty/],
	])('still refused, with the same messages: %s', (_kind, pasted, reason) => {
		expect(refusal(pasted).message).toMatch(reason);
	});

	it('a refusal quotes the value as it reads once folded, not with invisible characters', () => {
		expect(refusal(`${RLM}call${NBSP}me${LRM}`).message).toBe('"call me" is neither a chat ID nor a phone number');
	});
});
