/**
 * Phone numbers as people and CRMs write them, read against the real numbering plan (the
 * generated table from Google's libphonenumber metadata): international (after + or 00, or
 * digits that start with a calling code), or national in a default country, whose national
 * (trunk) prefix is dropped and calling code put in front. A number is accepted only when its
 * calling code exists and its length is possible there.
 */
import { NUMBERING_PLAN_ROWS } from './numberingPlan.generated';

export interface Country {
	code: string;
	name: string;
	callingCode: string;
	/** The trunk prefix as people write it (8 in Russia, 0 in the UK), if the country has one. */
	nationalPrefix: string;
	/** How a national number's prefix is recognised (and, with transformRule, rewritten). */
	prefixForParsing?: RegExp;
	transformRule: string;
	lengths: number[];
}

/** A phone number as written: an optional leading +, then digits with spaces, brackets, dashes, dots or slashes between. */
const PHONE_NUMBER = /^\+?[\d\s().\-/]+$/;
/** E.164: at most 15 digits; shorter than 7 is no phone number. A JSON number in this range is exact. */
export const PHONE_DIGITS = { min: 7, max: 15 };

/** Whether `text` is written like a phone number (whether it is one, parsePhoneNumber says). */
export function looksLikePhoneNumber(text: string): boolean {
	return PHONE_NUMBER.test(text);
}

/** Digits only, international, without +: what goes before @c.us. Or why the text is no phone number. */
export type PhoneReading = { digits: string } | { problem: string; hint: string };

interface Plan {
	byCode: Map<string, Country>;
	byCallingCode: Map<string, Country[]>;
	countries: Country[];
}

let plan: Plan | undefined;

/** The table, turned into lookups once, on first use (the Default Country option lists the countries). */
function numberingPlan(): Plan {
	if (plan) return plan;
	const countries = NUMBERING_PLAN_ROWS.map(([code, name, callingCode, nationalPrefix, forParsing, transformRule, lengths]): Country => ({
		code,
		name,
		callingCode,
		nationalPrefix,
		prefixForParsing: forParsing ? new RegExp(`^(?:${forParsing})`) : undefined,
		transformRule,
		lengths,
	}));
	const byCallingCode = new Map<string, Country[]>();
	for (const country of countries) byCallingCode.set(country.callingCode, [...(byCallingCode.get(country.callingCode) ?? []), country]);
	plan = { byCode: new Map(countries.map((country) => [country.code, country])), byCallingCode, countries };
	return plan;
}

export function findCountry(code: string): Country | undefined {
	return numberingPlan().byCode.get(code.toUpperCase());
}

/** Every country, by English name, for the Default Country option. */
export function allCountries(): Country[] {
	return numberingPlan().countries;
}

/** Reads `text` (a string of digits and + ( ) - . / spaces) as a phone number. */
export function parsePhoneNumber(text: string, defaultCountry?: Country): PhoneReading {
	const digits = text.replace(/\D/g, '');
	if (text.trimStart().startsWith('+')) return international(digits, text);
	// 00 is the international prefix almost everywhere: "0039 06 …" is "+39 06 …".
	if (digits.startsWith('00')) return international(digits.slice(2), text);
	if (!defaultCountry) return international(digits, text);

	const readings = defaultCountry.nationalPrefix
		? // Written nationally with the trunk prefix; else the country's own code without +; else national without prefix.
			[nationalWithPrefix(digits, defaultCountry), ownCallingCode(digits, defaultCountry), nationalAsIs(digits, defaultCountry)]
		: // No trunk prefix (Italy, …): a national number has no mark, so it is read as national first.
			[nationalAsIs(digits, defaultCountry), ownCallingCode(digits, defaultCountry)];
	const found = readings.find((reading) => reading !== undefined);
	if (found) return { digits: found };
	const asInternational = international(digits, text);
	if ('digits' in asInternational) return asInternational;
	return {
		problem: `"${text}" is no phone number of ${defaultCountry.name} (Default Country): it has ${digits.length} digits, and numbers there have ${lengthList(defaultCountry.lengths)}${defaultCountry.nationalPrefix ? ` after the national prefix ${defaultCountry.nationalPrefix}` : ''}; nor is it an international number`,
		hint: 'Check the number for a missing or an extra digit, or write it with its country code, e.g. +7 900 123-45-67.',
	};
}

function nationalWithPrefix(digits: string, country: Country): string | undefined {
	const match = country.prefixForParsing?.exec(digits);
	if (!match || match[0] === '') return undefined;
	// Some plans rewrite rather than drop the prefix (a carrier code in Brazil, a mobile 9 in Argentina).
	const lastGroup = match.length > 1 ? match[match.length - 1] : undefined;
	const nationalNumber = country.transformRule && lastGroup ? digits.replace(country.prefixForParsing!, country.transformRule) : digits.slice(match[0].length);
	return country.lengths.includes(nationalNumber.length) ? country.callingCode + nationalNumber : undefined;
}

function nationalAsIs(digits: string, country: Country): string | undefined {
	return country.lengths.includes(digits.length) ? country.callingCode + digits : undefined;
}

function ownCallingCode(digits: string, country: Country): string | undefined {
	if (!digits.startsWith(country.callingCode)) return undefined;
	const rest = digits.slice(country.callingCode.length);
	return possibleLengths(country.callingCode).includes(rest.length) ? digits : undefined;
}

function international(digits: string, text: string): PhoneReading {
	const { byCallingCode } = numberingPlan();
	// Calling codes are one to three digits and none is the start of another.
	const callingCode = [1, 2, 3].map((length) => digits.slice(0, length)).find((prefix) => byCallingCode.has(prefix));
	if (!callingCode) {
		const tried = [...new Set([1, 2, 3].map((length) => digits.slice(0, length)))];
		return {
			problem: `"${text}" is not an international number: no country has calling code ${orList(tried)}`,
			hint: nationalHint(digits),
		};
	}
	const rest = digits.slice(callingCode.length);
	const lengths = possibleLengths(callingCode);
	if (lengths.includes(rest.length)) return { digits };
	const countries = byCallingCode.get(callingCode)!;
	return {
		problem: `"${text}" has ${rest.length} digits after calling code ${callingCode}, and numbers of ${namesOf(countries)} have ${lengthList(lengths)}`,
		hint: 'Check the number for a missing or an extra digit.',
	};
}

/** For a number that is no international one: the countries where it would be a national number, and how to write it. */
function nationalHint(digits: string): string {
	const candidates = numberingPlan()
		.countries.map((country) => ({ country, reading: nationalWithPrefix(digits, country) }))
		.filter((candidate): candidate is { country: Country; reading: string } => candidate.reading !== undefined && candidate.country.nationalPrefix !== '')
		// The plans that allow fewest lengths fit the number most closely: suggest those first.
		.sort((a, b) => a.country.lengths.length - b.country.lengths.length);
	const general = 'Write the number with its country code (e.g. +7 900 123-45-67), or set Options → Default Country to read national numbers.';
	if (!candidates.length || candidates.length > 4) return general;
	const { country, reading } = candidates[0];
	return (
		`If it is a national number of ${namesOf(
			candidates.map((candidate) => candidate.country),
			'or',
		)} (written with the national prefix ${country.nationalPrefix}), ` + `set Options → Default Country, or write it with the country code: +${country.callingCode} ${reading.slice(country.callingCode.length)}.`
	);
}

function possibleLengths(callingCode: string): number[] {
	return [...new Set((numberingPlan().byCallingCode.get(callingCode) ?? []).flatMap((country) => country.lengths))].sort((a, b) => a - b);
}

function namesOf(countries: Country[], conjunction = 'and'): string {
	const names = countries.map((country) => country.name);
	return names.length > 3 ? `${names.slice(0, 3).join(', ')} and others` : orList(names, conjunction);
}

function lengthList(lengths: number[]): string {
	return `${orList(lengths.map(String))} digits`;
}

function orList(words: string[], conjunction = 'or'): string {
	return words.length > 1 ? `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}` : words.join('');
}
