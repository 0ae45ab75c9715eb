import { normaliseChatId } from '../nodes/GreenApi/methods/fields/chatId';
import { FieldError } from '../nodes/GreenApi/methods/types';

describe('chat id rules', () => {
	it.each([
		['79001234567@c.us', '79001234567@c.us'],
		['120363043968066561@g.us', '120363043968066561@g.us'],
		['79001234567-1581234048@g.us', '79001234567-1581234048@g.us'],
		['150502889857240@lid', '150502889857240@lid'],
		['  79001234567@c.us\n', '79001234567@c.us'],
	])('accepts the chat id %j as %j', (input, expected) => {
		expect(normaliseChatId(input)).toBe(expected);
	});

	it.each([
		['+7 (900) 123-45-67', '79001234567@c.us'],
		['79001234567', '79001234567@c.us'],
		['+1 212 555 0123', '12125550123@c.us'],
		[' +44 20 7946 0958 ', '442079460958@c.us'],
		['49-30-1234567', '49301234567@c.us'],
	])('turns the phone number %j into %j', (input, expected) => {
		expect(normaliseChatId(input)).toBe(expected);
	});

	it.each([
		['', /is empty/],
		['   ', /is empty/],
		['hello', /neither a chat ID nor a phone number/],
		['79001234567@c.us.evil', /neither/],
		['79001234567@s.whatsapp.net', /neither/],
		['abc@c.us', /neither/],
		['7900+1234567', /neither/],
		['12345', /has 5 digits/],
		['+7 (900) 123-45-67-89-01-23', /has 17 digits/],
		[true, /must be text, but is the boolean true/],
		[false, /the boolean false/],
		[79001234567, /the number 79001234567/],
		[{ chatId: '79001234567@c.us' }, /an object/],
		[['79001234567@c.us'], /a list/],
		[null, /is empty|must be text/],
		[undefined, /must be text, but is empty/],
	])('refuses %j', (input, reason) => {
		let thrown: unknown;
		try {
			normaliseChatId(input);
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(FieldError);
		expect((thrown as FieldError).message).toMatch(reason);
		expect((thrown as FieldError).hint).toMatch(/@c\.us/);
	});

	it('tells why a number is refused: digits beyond 2^53 are already lost', () => {
		expect(() => normaliseChatId(120363043968066561)).toThrow(FieldError);
		try {
			normaliseChatId(120363043968066561);
		} catch (error) {
			expect((error as FieldError).hint).toMatch(/String\(\$json\.phone\)/);
		}
	});
});
