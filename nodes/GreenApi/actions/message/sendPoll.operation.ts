/** sendPoll: a poll to a chat (Message → Send Poll): a question and 2 to 12 different options. */
import { chatField } from '../../api/chatField';
import { booleanField, textField } from '../../api/fields';
import { FieldError, type FieldSpec, type GreenApiMethod } from '../../api/types';
import { quotedMessageIdOption, SEND_ERRORS, SEND_RATE_LIMIT, sendOnceKeyOption, sentItem } from './sendOptions';

export const POLL_LIMITS = { question: 255, minOptions: 2, maxOptions: 12, option: 100 } as const;

const question = textField({ name: 'question', displayName: 'Question', description: `The poll's question, up to ${POLL_LIMITS.question} characters`, required: true, maxLength: POLL_LIMITS.question });

/** Poll Options: a list of texts (a multiple-values field, or an expression giving an array), sent as GREEN-API's [{ optionName }]. */
export const pollOptionsField: FieldSpec = {
	property: {
		displayName: 'Poll Options',
		name: 'pollOptions',
		type: 'string',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Option' },
		required: true,
		default: [],
		description: `The answers to choose from: ${POLL_LIMITS.minOptions} to ${POLL_LIMITS.maxOptions}, each different, up to ${POLL_LIMITS.option} characters`,
	},
	normalise: (value) => {
		const given = typeof value === 'string' ? [value] : value;
		if (!Array.isArray(given)) throw new FieldError(`must be a list of texts, but is ${JSON.stringify(value)}`, 'Add the options one by one, or map an array of texts.');
		const options = given.map((option, index) => {
			if (typeof option !== 'string' && typeof option !== 'number') throw new FieldError(`option ${index + 1} is not text: ${JSON.stringify(option)}`, 'Each option is a text.');
			const text = String(option);
			if (text.trim() === '') throw new FieldError(`option ${index + 1} is empty`, 'Remove it or give it a text.');
			if (text.length > POLL_LIMITS.option) throw new FieldError(`option ${index + 1} is ${text.length} characters long`, `GREEN-API takes at most ${POLL_LIMITS.option} characters an option.`);
			return text;
		});
		if (options.length < POLL_LIMITS.minOptions || options.length > POLL_LIMITS.maxOptions) {
			throw new FieldError(`has ${options.length} options`, `A poll has ${POLL_LIMITS.minOptions} to ${POLL_LIMITS.maxOptions} options.`);
		}
		const twice = options.find((option, index) => options.indexOf(option) !== index);
		if (twice !== undefined) throw new FieldError(`has "${twice}" twice`, 'Each option of a poll is different.');
		return options.map((optionName) => ({ optionName }));
	},
};

export const sendPoll: GreenApiMethod = {
	resource: 'message',
	operation: 'sendPoll',
	name: 'Send Poll',
	action: 'Send a poll',
	description: 'Send a poll with 2 to 12 options to a chat',
	path: 'sendPoll',
	httpMethod: 'POST',
	rateLimitPerSecond: SEND_RATE_LIMIT,
	safeToRepeat: false,
	fields: [
		chatField,
		{ ...question, requestName: 'message' },
		// GREEN-API's name for the list; the parameter's name is what saved workflows hold.
		{ ...pollOptionsField, requestName: 'options' },
		booleanField({ name: 'multipleAnswers', displayName: 'Multiple Answers', description: 'Whether a person may choose more than one option', required: false, default: false }),
		quotedMessageIdOption,
	],
	errors: SEND_ERRORS,
	onceKey: sendOnceKeyOption,
	output: (request, response) => [sentItem(request, response)],
};
