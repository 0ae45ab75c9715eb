/**
 * docs/errors.md is what the catalogue gives (scripts/error-catalogue.ts), and every documented
 * answer reaches its own row: the rows are matched in order, so a new row's pattern could catch
 * another's text; this fails when it does.
 */
import fs from 'node:fs';

import { METHODS } from '../nodes/GreenApi/actions/operations';
import { COMMON_ERRORS, identifyAnswer } from '../nodes/GreenApi/errors/catalogue';
import { ERROR_CODES } from '../nodes/GreenApi/errors/codes';
import { ERRORS_PAGE, errorCataloguePage } from '../scripts/error-catalogue';

it('docs/errors.md is what the catalogue gives (run npm run docs:errors after changing it)', async () => {
	expect(fs.readFileSync(ERRORS_PAGE, 'utf8')).toBe(await errorCataloguePage());
});

it('docs/errors.md has a row for every error code the node gives', () => {
	const page = fs.readFileSync(ERRORS_PAGE, 'utf8');
	expect(ERROR_CODES.filter((code) => !page.includes(`| \`${code}\` |`))).toEqual([]);
});

const answers = METHODS.flatMap((method) =>
	[...method.errors, ...COMMON_ERRORS].map((row): [string, string, number, string, typeof method.errors] => [method.path, row.code, row.status === '5xx' ? 500 : row.status, row.says, method.errors]),
);

it.each(answers)('%s: what GREEN-API documents for %s (HTTP %i, "%s") is read as that code', (method, code, status, says, methodErrors) => {
	const context = { method, idInstance: '1101000001', host: 'https://1103.api.green-api.com', hostField: 'API URL', request: { chatId: '79001234567@c.us' }, serviceText: says };
	expect(identifyAnswer(status, context, methodErrors).code).toBe(code);
});
