/**
 * Writes docs/errors.md, every error.code the action node can give, from the catalogue itself:
 * the rows GREEN-API documents (errors/catalogue.ts and each method's own under api/), each with
 * the message and hint the node makes of it, and the errors the node makes when there is no
 * answer, built by the very functions that make them. `npm run docs:errors` writes the page;
 * test/errorDocs.test.ts fails when the page on disk is not what this gives, so it cannot drift.
 */
import type { ErrorCode } from '../nodes/GreenApi/errors/codes';
import fs from 'node:fs';
import path from 'node:path';

import { METHODS } from '../nodes/GreenApi/actions/operations';
import {
	blockedByN8nError,
	COMMON_ERRORS,
	GreenApiError,
	identifyAnswer,
	sayIfItMayHaveHappened,
	noAnswerError,
	stayedOverLimitError,
	type DocumentedError,
	type ErrorContext,
} from '../nodes/GreenApi/errors/catalogue';
import { callMethod } from '../nodes/GreenApi/transport/request';

export const ERRORS_PAGE = path.join(__dirname, '..', 'docs', 'errors.md');

/** The request every example is about. */
const example = (method: string, serviceText = ''): ErrorContext => ({
	method,
	idInstance: '1101000001',
	host: 'https://1103.api.green-api.com',
	hostField: 'API URL',
	request: { chatId: '79001234567@c.us' },
	serviceText,
});

interface Row {
	code: ErrorCode;
	http: string;
	says: string;
	message: string;
	hint: string;
	resent: string;
	methods: string;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string) => (text ? `\`${text.replace(/`/g, "'")}\`` : '');

function resentOf(error: { throttled?: boolean; retryable?: boolean }): string {
	if (error.throttled) return 'yes, while the instance lets requests through (*Max Wait When Rate Limited*)';
	if (error.retryable) return 'yes, up to *Max Retries*, for an operation safe to repeat';
	return 'no';
}

/** A documented row as the node reports it, for the first method that documents it. */
function documentedRow(row: DocumentedError, methods: string[]): Row {
	const status = row.status === '5xx' ? 500 : row.status;
	const error = identifyAnswer(status, example(methods[0], row.says), METHODS.find((method) => method.path === methods[0])?.errors ?? []);
	return {
		code: row.code,
		http: String(row.status),
		says: code(row.says),
		message: error.message,
		hint: error.hint,
		resent: resentOf(row),
		methods: methods.length === METHODS.length ? 'every operation' : methods.join(', '),
	};
}

function madeRow(error: GreenApiError, says: string, http = error.httpCode ? String(error.httpCode) : '–'): Row {
	return { code: error.code, http, says, message: error.message, hint: error.hint, resent: resentOf(error), methods: 'every operation' };
}

export async function errorCataloguePage(): Promise<string> {
	// One line per documented answer (code, status and text), with every operation documenting it.
	const byAnswer = new Map<string, { row: DocumentedError; methods: string[] }>();
	for (const method of METHODS) {
		for (const row of [...method.errors, ...COMMON_ERRORS]) {
			const key = `${row.code}|${row.status}|${row.says}`;
			const entry = byAnswer.get(key) ?? { row, methods: [] };
			entry.methods.push(method.path);
			byAnswer.set(key, entry);
		}
	}
	// The operations' own rows first, as they are matched.
	const answers = [...byAnswer.values()].sort((a, b) => Number(COMMON_ERRORS.includes(a.row)) - Number(COMMON_ERRORS.includes(b.row)));
	const documented = answers.map(({ row, methods }) => documentedRow(row, methods));
	const context = example('archiveChat');
	const timeout = noAnswerError('timeout', context, '', 15000);
	const incomplete = await callMethod(
		async () => undefined,
		{ apiUrl: 'https://1103.api.green-api.com', idInstance: 'my instance', apiTokenInstance: 'x' },
		METHODS[0],
		{},
		{
			timeoutMs: 15000,
			maxRetries: 0,
			requestsPerSecond: 1,
			maxThrottledWaitMs: 0,
		},
	);
	if (!('error' in incomplete)) throw new Error('an incomplete credential must fail');
	const made: Row[] = [
		madeRow(stayedOverLimitError(example('archiveChat', 'Too Many Requests'), { stalledMs: 300000, maxWaitMs: 300000 }), '`Too Many Requests`, for as long as the item may wait'),
		madeRow(identifyAnswer(418, example('archiveChat', "I'm a teapot"), []), 'a 4xx no row documents', '4xx'),
		madeRow(identifyAnswer(302, example('archiveChat', 'Found'), []), 'an answer no row documents', 'other'),
		madeRow(timeout, '(no answer within *Timeout*)'),
		madeRow(noAnswerError('connection', context, 'ECONNREFUSED', 15000), '(no answer; the system code, e.g. `ECONNREFUSED`, is in the description)'),
		madeRow(blockedByN8nError(context, 'The request was blocked because it resolves to a restricted IP address'), '(nothing sent: n8n 2.x refused the address; its words are in the description)'),
		madeRow(
			sayIfItMayHaveHappened(noAnswerError('timeout', example('sendMessage'), '', 15000), 'sendMessage', true, false),
			'(a timeout, a dropped connection or a 5xx, for an operation that must not run twice, such as sending a message)',
			'– / 5xx',
		),
		madeRow(incomplete.error, '(nothing sent)'),
	];
	const own: Row[] = [
		{
			code: 'INVALID_INPUT',
			http: '–',
			says: '(nothing sent)',
			message: 'The field and the item, e.g. `Chat is empty [item 3]`, and why.',
			hint: 'Fix the mapped value; the description says what is accepted.',
			resent: 'no',
			methods: 'every operation',
		},
		{
			code: 'UNEXPECTED_ANSWER',
			http: '200',
			says: '(an answer without the documented shape)',
			message: 'GREEN-API gave an unexpected answer to getChats: expected a list of chats.',
			hint: 'Please report it.',
			resent: 'no',
			methods: 'every operation',
		},
		{
			code: 'ONCE_KEY_STORE_FAILED',
			http: '–',
			says: "(n8n's deduplication store failed)",
			message: 'Not sent: n8n\'s store of once-keys failed for once-key "D-1042-thanks" [item 3]',
			hint: "The description gives the store's error. Nothing was sent; the key may be recorded, so if a run with it skips it and the message is not in the chat, send it under another key.",
			resent: 'no',
			methods: 'Send Text, Send File, Send Poll with Send Once Per Key',
		},
		{ code: 'CANCELLED', http: '–', says: '(the execution was stopped)', message: 'The execution was cancelled', hint: '', resent: 'no', methods: 'every operation' },
		{
			code: 'NODE_FAULT',
			http: '–',
			says: '(a fault of the node itself)',
			message: 'The GREEN-API node failed on this item because of a fault in the node itself, not in the input or in GREEN-API.',
			hint: "The description names the error; its details are in n8n's log. Please report it.",
			resent: 'no',
			methods: 'every operation',
		},
	];
	const table = (rows: Row[]) => [
		'| `error.code` | HTTP | GREEN-API says | The node says | What to do | Resent by itself | For |',
		'|---|---|---|---|---|---|---|',
		...rows.map((row) => `| \`${row.code}\` | ${row.http} | ${cell(row.says)} | ${cell(row.message)} | ${cell(row.hint)} | ${row.resent} | ${row.methods} |`),
	];
	return [
		'# Errors',
		'',
		'<!-- Generated by scripts/error-catalogue.ts (npm run docs:errors) from nodes/GreenApi/errors/catalogue.ts and api/. Do not edit: npm test fails when this page is not what the catalogue gives. -->',
		'',
		'Every `error.code` a failed item of the GREEN-API node carries, with the sentence the node shows',
		'(for chat 79001234567@c.us on instance 1101000001) and what to do. Rows are matched in order,',
		"the operation's own first; the service's text is matched whatever shape its body has.",
		'[The node in depth](node.md#errors) says how failures reach the workflow.',
		'',
		'## Answers GREEN-API documents',
		'',
		...table(documented),
		'',
		'## Errors the node makes',
		'',
		'When there is no answer to read, or nothing was sent.',
		'',
		...table([...made, ...own]),
		'',
	].join('\n');
}

if (require.main === module) {
	void errorCataloguePage().then((page) => fs.writeFileSync(ERRORS_PAGE, page));
}
