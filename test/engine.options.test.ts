/**
 * The Options that shape every call, through the engine: the editor's bounds are the run's bounds.
 * A value the editor forbids, set by an expression, is refused with the bounds named, for its item
 * only, before anything is sent; the bounds' own ends are accepted.
 */
import type { INodeProperties } from 'n8n-workflow';

import { GreenApi } from '../nodes/GreenApi/GreenApi.node';
import { startFixture, type Fixture } from './helpers/fixture';

const PERSON = '79001234567@c.us';

/** The node's Options entries as the editor shows them (for Archive Chat). */
const optionEntries = new GreenApi().description.properties.find((property) => property.name === 'options')!.options as INodeProperties[];
const numberEntry = (name: string) => {
	const entries = optionEntries.filter((entry) => entry.name === name && entry.type === 'number');
	expect(entries.length).toBeGreaterThan(0);
	return entries[0];
};

describe('Options bounds: the editor and the run agree', () => {
	let fixture: Fixture;
	beforeEach(async () => {
		fixture = await startFixture([{ chatId: PERSON }], { enforceRateLimit: false });
	});
	afterEach(async () => await fixture.stop());

	const NUMBER_OPTIONS = ['timeout', 'maxRetries', 'maxRateLimitWait', 'requestsPerSecond'];

	it('every number option shows a lower and an upper bound in the editor', () => {
		for (const name of NUMBER_OPTIONS) {
			const { typeOptions } = numberEntry(name);
			expect(typeof typeOptions?.minValue).toBe('number');
			expect(typeof typeOptions?.maxValue).toBe('number');
		}
	});

	it.each(NUMBER_OPTIONS)('%s: the editor’s own ends are accepted by the run', async (name) => {
		const { typeOptions } = numberEntry(name);
		for (const value of [typeOptions!.minValue!, typeOptions!.maxValue!]) {
			// A fresh instance per value: the pacer keeps a lane's pace between runs, and 0.1 per second would wait 10 s.
			const own = await startFixture([{ chatId: PERSON }], { enforceRateLimit: false });
			try {
				const result = await own.run([{ chatId: PERSON, value }], { options: { [name]: '={{ $json.value }}' } });
				expect(result.error).toBeUndefined();
				expect(result.main.map((item) => item.json)).toEqual([{ chatId: PERSON, archived: true }]);
			} finally {
				await own.stop();
			}
		}
	});

	it.each(NUMBER_OPTIONS)('%s: just outside the editor’s bounds, from an expression, is refused naming the bounds, and nothing is sent', async (name) => {
		const entry = numberEntry(name);
		const { minValue, maxValue } = entry.typeOptions!;
		for (const value of [minValue! - 0.01, maxValue! + 1]) {
			const result = await fixture.run([{ chatId: PERSON, value }], { options: { [name]: '={{ $json.value }}' } }, 'continueRegularOutput');
			const json = result.main[0].json as { message: string; error: { code: string } };
			expect(json.error.code).toBe('INVALID_INPUT');
			expect(json.message).toBe(
				`Options → ${entry.displayName} must be ${name === 'maxRetries' ? 'a whole number' : 'a number'} from ${minValue} to ${maxValue}${
					name === 'timeout' ? ' ms' : name === 'maxRateLimitWait' ? ' s' : ''
				}, but is ${value} [item 0]`,
			);
		}
		expect(fixture.simulator.requests).toHaveLength(0);
	});

	it('a count that is no whole number, or a value that is no number, is refused the same way', async () => {
		const items = [
			{ chatId: PERSON, options: { maxRetries: 2.5 } },
			{ chatId: PERSON, options: { timeout: 'soon' } },
			{ chatId: PERSON, options: {} },
		];
		const result = await fixture.run(items, { options: { maxRetries: '={{ $json.options.maxRetries ?? 3 }}', timeout: '={{ $json.options.timeout ?? 15000 }}' } }, 'continueRegularOutput');
		expect(result.main.map((item) => item.json.message ?? item.json.archived)).toEqual([
			'Options → Max Retries must be a whole number from 0 to 10, but is 2.5 [item 0]',
			'Options → Timeout must be a number from 100 to 600000 ms, but is "soon" [item 1]',
			true,
		]);
		expect(fixture.simulator.requests).toHaveLength(1);
	});

	it('without continue-on-fail, an out-of-bounds option stops the node before anything is sent', async () => {
		const result = await fixture.run([{ chatId: PERSON }, { chatId: PERSON }], { options: { requestsPerSecond: '={{ $itemIndex === 1 ? 0 : 10 }}' } });
		expect(result.error?.message).toBe('Options → Requests Per Second must be a number from 0.1 to 1000, but is 0 [item 1]');
		expect(fixture.simulator.requests).toHaveLength(0);
	});
});
