/**
 * The numbering plan the node ships (generated at build time from Google's libphonenumber
 * metadata): the committed table is what the generator makes of the installed library, and the
 * Chat rules read every country's example number the way the library does, written nationally
 * and internationally.
 */
import { getCountries, getExampleNumber } from 'libphonenumber-js';
import examples from 'libphonenumber-js/examples.mobile.json';

import { parseChatInput } from '../nodes/GreenApi/chatInput/chatId';

// The generator is the build's own script: the test calls its check rather than re-implementing it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const numberingPlan = require('../scripts/numbering-plan.js') as { check(): string | undefined; generate(): string };

const countries = getCountries();

describe('the generated numbering plan', () => {
	it('is what scripts/numbering-plan.js makes of the installed libphonenumber-js', () => {
		expect(numberingPlan.check()).toBeUndefined();
	});

	it('has one row per country the library knows', () => {
		for (const country of countries) expect(numberingPlan.generate()).toContain(`["${country}",`);
	});
});

describe("every country's example mobile number, read as the library reads it", () => {
	const withExamples = countries.filter((country) => getExampleNumber(country, examples));

	it('covers nearly every country', () => {
		expect(withExamples.length).toBeGreaterThan(240);
	});

	it.each(withExamples)('%s: national with Default Country, international with or without it, and bare digits', (country) => {
		const number = getExampleNumber(country, examples)!;
		const expected = { chatId: `${number.number.slice(1)}@c.us` };
		expect(parseChatInput(number.formatNational(), country)).toEqual(expected);
		expect(parseChatInput(number.formatInternational(), country)).toEqual(expected);
		expect(parseChatInput(number.formatInternational())).toEqual(expected);
		expect(parseChatInput(number.number.replace('+', '00'))).toEqual(expected);
		expect(parseChatInput(number.number.slice(1))).toEqual(expected);
	});
});
