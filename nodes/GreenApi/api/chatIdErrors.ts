/** Errors GREEN-API documents for every chat method that takes a chatId. */
import { chatIdOf, type DocumentedError } from '../errors/catalogue';

export const invalidChatId: DocumentedError = {
	code: 'VALIDATION_FAILED',
	status: 400,
	match: /validation failed/i,
	says: 'Bad Request Validation failed',
	message: (c) => `GREEN-API refused chat ID ${chatIdOf(c.request)} as invalid.`,
	hint: 'Check that the chat ID is a WhatsApp ID such as 79001234567@c.us or 120363043968066561@g.us.',
};
