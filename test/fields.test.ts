/**
 * The kinds of field (api/fields.ts): what each sends for what an expression may give, that an
 * empty optional field is not sent (undefined), and that a value of the wrong kind is refused with
 * a sentence naming what it got. The router prefixes the field's name and the item (see
 * engine.markAsRead.test.ts).
 */
import { booleanField, numberField, textField } from '../nodes/GreenApi/api/fields';
import { FieldError } from '../nodes/GreenApi/api/types';

const text = { displayName: 'Caption', description: 'The caption', placeholder: '' };

function refusal(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		if (error instanceof FieldError) return error.message;
		throw error;
	}
	throw new Error('expected a FieldError');
}

describe('text', () => {
	const optional = textField({ ...text, name: 'caption', required: false });
	const required = textField({ ...text, name: 'caption', required: true, pattern: { test: /^[a-z]+$/, says: 'is not lower-case letters' } });

	it.each([[''], ['   '], [undefined], [null]])('optional and empty (%p): not sent', (value) => {
		expect(optional.normalise(value, {})).toBeUndefined();
	});
	it('sent as typed (a message keeps its spaces and line breaks); a number is sent as its text', () => {
		expect(optional.normalise('  hi\n  there  ', {})).toBe('  hi\n  there  ');
		expect(optional.normalise(42, {})).toBe('42');
	});
	it('with a pattern (an ID): trimmed first', () => {
		expect(required.normalise('  abc \n', {})).toBe('abc');
	});
	it('required and empty, of the wrong kind, or against its pattern: refused', () => {
		expect(refusal(() => required.normalise(' ', {}))).toBe('is empty');
		expect(refusal(() => optional.normalise({ a: 1 }, {}))).toBe('must be text, but is {"a":1}');
		expect(refusal(() => required.normalise('Abc', {}))).toBe('"Abc" is not lower-case letters');
	});
	it('the UI property carries the words, and no empty keys', () => {
		expect(optional.property).toEqual({ displayName: 'Caption', name: 'caption', type: 'string', required: false, default: '', description: 'The caption' });
	});
});

describe('number', () => {
	const count = numberField({ ...text, name: 'count', required: false, default: 10, min: 1, whole: true });

	it('a number, or text that reads as one', () => {
		expect(count.normalise(5, {})).toBe(5);
		expect(count.normalise(' 7 ', {})).toBe(7);
	});
	it('an optional one an expression leaves empty: not sent', () => {
		expect(count.normalise('', {})).toBeUndefined();
		expect(count.normalise(undefined, {})).toBeUndefined();
	});
	it('out of bounds, not whole or not a number: refused', () => {
		expect(refusal(() => count.normalise(0, {}))).toBe('must be a whole number of at least 1, but is 0');
		expect(refusal(() => count.normalise(2.5, {}))).toBe('must be a whole number of at least 1, but is 2.5');
		expect(refusal(() => count.normalise('ten', {}))).toBe('must be a whole number of at least 1, but is "ten"');
	});
	it('the UI property has its default and minimum', () => {
		expect(count.property).toMatchObject({ type: 'number', default: 10, typeOptions: { minValue: 1 } });
	});
});

describe('yes/no', () => {
	const flag = booleanField({ ...text, name: 'linkPreview', required: false, default: true });

	it('a boolean, or the text an expression gives; empty is the default', () => {
		expect(flag.normalise(false, {})).toBe(false);
		expect(flag.normalise('false', {})).toBe(false);
		expect(flag.normalise('true', {})).toBe(true);
		expect(flag.normalise(undefined, {})).toBe(true);
	});
	it('anything else: refused', () => {
		expect(refusal(() => flag.normalise('yes', {}))).toBe('must be true or false, but is "yes"');
	});
});
