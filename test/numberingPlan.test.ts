/**
 * The numbering plan the node ships (generated at build time from Google's libphonenumber
 * metadata) against the library itself, which the published node does not carry: the table
 * matches it on every country, and the Chat field reads every country's example number the
 * way the library does, written nationally and internationally.
 */
import { getCountries, getExampleNumber, Metadata } from 'libphonenumber-js';
import examples from 'libphonenumber-js/examples.mobile.json';

import { normaliseChatId } from '../nodes/GreenApi/methods/fields/chatId';
import { NUMBERING_PLAN_ROWS } from '../nodes/GreenApi/methods/fields/numberingPlan.generated';

const countries = getCountries();

/** What the library's numbering plan object offers (its typings declare less than it has). */
interface PlanApi {
	callingCode(): string;
	nationalPrefix(): unknown;
	nationalPrefixForParsing(): unknown;
	nationalPrefixTransformRule(): unknown;
	possibleLengths(): number[];
}

describe('the generated numbering plan', () => {
	it('has one row per country the library knows, and no other', () => {
		expect(NUMBERING_PLAN_ROWS.map(([code]) => code).sort()).toEqual([...countries].sort());
	});

	it.each(countries)('%s: calling code, national prefix, prefix pattern, transform rule and possible lengths as in the library', (country) => {
		const metadata = new Metadata();
		metadata.selectNumberingPlan(country);
		const plan = metadata.numberingPlan as unknown as PlanApi;
		const text = (value: unknown) => (typeof value === 'string' ? value : '');
		const row = NUMBERING_PLAN_ROWS.find(([code]) => code === country)!;
		expect(row).toEqual([
			country,
			new Intl.DisplayNames(['en'], { type: 'region' }).of(country),
			plan.callingCode(),
			text(plan.nationalPrefix()),
			text(plan.nationalPrefixForParsing()),
			text(plan.nationalPrefixTransformRule()),
			plan.possibleLengths(),
		]);
	});
});

describe("every country's example mobile number, read as the library reads it", () => {
	const withExamples = countries.filter((country) => getExampleNumber(country, examples));

	it('covers nearly every country', () => {
		expect(withExamples.length).toBeGreaterThan(240);
	});

	it.each(withExamples)('%s: national with Default Country, international with or without it, and bare digits', (country) => {
		const number = getExampleNumber(country, examples)!;
		const expected = `${number.number.slice(1)}@c.us`;
		expect(normaliseChatId(number.formatNational(), country)).toBe(expected);
		expect(normaliseChatId(number.formatInternational(), country)).toBe(expected);
		expect(normaliseChatId(number.formatInternational())).toBe(expected);
		expect(normaliseChatId(number.number.replace('+', '00'))).toBe(expected);
		expect(normaliseChatId(number.number.slice(1))).toBe(expected);
	});
});
