/**
 * Every workflow and credential ID this project ships or imports into n8n is one n8n keeps static
 * data for on both lines: n8n 1.123 silently saves no static data for a workflow ID over 16
 * characters, so an example or fixture with a longer ID would lose a trigger's cursor on 1.x, and
 * a test with one would measure that instead of n8n.
 */
import fs from 'node:fs';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const app = require('../scripts/n8n-app.js') as {
	EXAMPLES: string[];
	N8N_ID: RegExp;
	checkN8nIds(workflows: object[]): void;
	readExample(name: string): { id: string; nodes: Array<{ credentials?: Record<string, { id: string }> }> };
};

const ROOT = path.join(__dirname, '..');

/** Source files that build workflows for n8n: the tests, benchmarks and scripts. */
function sources(dir: string): string[] {
	return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
		const relative = path.join(dir, entry.name);
		if (entry.isDirectory()) return sources(relative);
		return /\.(ts|js|mjs)$/.test(entry.name) ? [relative] : [];
	});
}

describe('workflow IDs n8n keeps static data for', () => {
	it('the examples npm start imports, and the credential they name', () => {
		for (const name of app.EXAMPLES) {
			const workflow = app.readExample(name);
			expect(workflow.id).toMatch(app.N8N_ID);
			for (const node of workflow.nodes) for (const credential of Object.values(node.credentials ?? {})) expect(credential.id).toMatch(app.N8N_ID);
		}
	});

	it('every import refuses a longer workflow or credential ID, naming it', () => {
		expect(() => app.checkN8nIds(app.EXAMPLES.map((name) => app.readExample(name)))).not.toThrow();
		const tooLong = `${'p'.repeat(16)}1`;
		expect(() => app.checkN8nIds([{ id: tooLong }])).toThrow(`"${tooLong}" not an ID n8n 1.x keeps`);
		expect(() => app.checkN8nIds([{ id: 'short1', nodes: [{ credentials: { greenApi: { id: 'wf-with-dashes' } } }] }])).toThrow(/"wf-with-dashes"/);
		expect(app.N8N_ID.test('a'.repeat(16))).toBe(true);
		expect(app.N8N_ID.test('a'.repeat(17))).toBe(false);
	});

	it('the fixtures written in tests, benchmarks and scripts (every greenApi… ID literal)', () => {
		const literals = ['test', 'bench', 'scripts']
			.flatMap(sources)
			.flatMap((file) => [...fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(/['"`](greenApi[A-Z][A-Za-z0-9]*)['"`]/g)].map((match) => ({ file, id: match[1] })));
		expect(literals.length).toBeGreaterThan(10);
		expect(literals.filter(({ id }) => !app.N8N_ID.test(id))).toEqual([]);
	});
});
