/**
 * The kinds of field a method takes besides the chat (api/chatField.ts): text, a number, a yes/no.
 * Each checks the parameter's value and gives what GREEN-API is to receive; an optional field left
 * empty gives nothing, so that the request leaves the key out rather than sending it empty.
 */
import type { INodeProperties } from 'n8n-workflow';

import { FieldError, type FieldSpec } from './types';

/** What every kind of field is described with: the UI parameter's own words. */
interface FieldText {
	/** The request key, also the parameter's name. */
	name: string;
	displayName: string;
	description: string;
	/** Required fields must be set; optional ones are left out of the request when empty. */
	required: boolean;
	placeholder?: string;
	hint?: string;
}

function property(text: FieldText, type: 'string' | 'number' | 'boolean', fallback: string | number | boolean): INodeProperties {
	const { name, displayName, description, required, placeholder, hint } = text;
	return {
		displayName,
		name,
		type,
		required,
		default: fallback,
		description,
		...(placeholder ? { placeholder } : {}),
		...(hint ? { hint } : {}),
	};
}

/**
 * A text field: sent as the user typed it (a message keeps its spaces and line breaks), except one
 * with a `pattern` (an ID), whose surrounding spaces are dropped first. Empty or only spaces is
 * empty: an optional one is not sent.
 */
/** Message IDs as GREEN-API gives them (idMessage): hex or digits, no spaces or slashes. */
export const MESSAGE_ID = { test: /^[A-Za-z0-9_.:-]{1,128}$/, says: "is not a GREEN-API message ID (letters and digits, as idMessage in the trigger's output)" };

export function textField(text: FieldText & { pattern?: { test: RegExp; says: string }; maxLength?: number }): FieldSpec {
	return {
		property: property(text, 'string', ''),
		normalise: (value) => {
			if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
				if (text.required) throw new FieldError('is empty', `Set ${text.displayName}: ${text.description}.`);
				return undefined;
			}
			if (typeof value !== 'string' && typeof value !== 'number') {
				throw new FieldError(`must be text, but is ${JSON.stringify(value)}`, `Map ${text.displayName} to a text value.`);
			}
			if (text.maxLength !== undefined && String(value).length > text.maxLength) {
				throw new FieldError(`is ${String(value).length} characters long`, `GREEN-API takes at most ${text.maxLength} characters in ${text.displayName}.`);
			}
			if (!text.pattern) return String(value);
			const trimmed = String(value).trim();
			if (!text.pattern.test.test(trimmed)) throw new FieldError(`"${trimmed}" ${text.pattern.says}`, text.description);
			return trimmed;
		},
	};
}

/** A number field: a number, or text that reads as one; an optional one an expression leaves empty is not sent. */
export function numberField(text: FieldText & { default: number; min?: number; max?: number; whole?: boolean }): FieldSpec {
	const bounds = { ...(text.min === undefined ? {} : { minValue: text.min }), ...(text.max === undefined ? {} : { maxValue: text.max }) };
	return {
		property: { ...property(text, 'number', text.default), ...(Object.keys(bounds).length ? { typeOptions: bounds } : {}) },
		normalise: (value) => {
			if (value === undefined || value === null || value === '') {
				if (text.required) throw new FieldError('is empty', `Set ${text.displayName}: ${text.description}.`);
				return undefined;
			}
			const number = typeof value === 'string' ? Number(value.trim()) : value;
			const fits =
				typeof number === 'number' && Number.isFinite(number) && (!text.whole || Number.isInteger(number)) && (text.min === undefined || number >= text.min) && (text.max === undefined || number <= text.max);
			if (!fits) {
				const kind = text.whole ? 'a whole number' : 'a number';
				const bound =
					text.min !== undefined && text.max !== undefined ? ` from ${text.min} to ${text.max}` : text.min !== undefined ? ` of at least ${text.min}` : text.max !== undefined ? ` of at most ${text.max}` : '';
				throw new FieldError(`must be ${kind}${bound}, but is ${JSON.stringify(value)}`, text.description);
			}
			return number;
		},
	};
}

/** A yes/no field: a boolean, or the text "true"/"false" an expression may give; always sent. */
export function booleanField(text: FieldText & { default: boolean }): FieldSpec {
	return {
		property: property({ ...text, required: false }, 'boolean', text.default),
		normalise: (value) => {
			if (value === undefined || value === null || value === '') return text.default;
			if (typeof value === 'boolean') return value;
			if (value === 'true' || value === 'false') return value === 'true';
			throw new FieldError(`must be true or false, but is ${JSON.stringify(value)}`, text.description);
		},
	};
}
