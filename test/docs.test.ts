/**
 * The README and docs/ as people read them: the README stays short (depth lives in docs/), and
 * every relative link in either points at a file that exists and, with `#anchor`, at a heading
 * that file has.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const pages = [
	'README.md',
	...fs
		.readdirSync(path.join(ROOT, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.map((name) => `docs/${name}`),
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
function anchorOf(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N} _-]/gu, '')
		.replace(/ /g, '-');
}

function anchorsIn(file: string): string[] {
	const text = fs.readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
	return [...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1]));
}

/** Relative links and images of a page: [text](target), outside code. */
function linksIn(page: string): string[] {
	const text = fs
		.readFileSync(path.join(ROOT, page), 'utf8')
		.replace(/```[\s\S]*?```/g, '')
		.replace(/`[^`\n]*`/g, '');
	return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]).filter((target) => !/^[a-z]+:/i.test(target));
}

describe('README and docs', () => {
	it('the README is at most 12 kB', () => {
		expect(fs.statSync(path.join(ROOT, 'README.md')).size).toBeLessThanOrEqual(12 * 1024);
	});

	it.each(pages.filter((page) => page !== 'docs/benchmarks.md'))('%s says nothing of the machine figures were measured on (that is the benchmark page’s)', (page) => {
		const text = fs.readFileSync(path.join(ROOT, page), 'utf8');
		expect(text.match(/\b(\d+|two|four)[- ]cores?\b|\bcores\b|\bthis project's machine\b/gi) ?? []).toEqual([]);
	});

	it('every docs page is linked from the README', () => {
		const linked = linksIn('README.md').map((target) => target.split('#')[0]);
		expect(pages.filter((page) => page !== 'README.md' && !linked.includes(page))).toEqual([]);
	});

	it.each(pages)('every relative link in %s resolves, anchors included', (page) => {
		const broken: string[] = [];
		for (const target of linksIn(page)) {
			const [file, anchor] = target.split('#');
			const resolved = file ? path.resolve(path.dirname(path.join(ROOT, page)), file) : path.join(ROOT, page);
			if (!fs.existsSync(resolved)) broken.push(`${target}: no such file`);
			else if (anchor && !anchorsIn(resolved).includes(anchor)) broken.push(`${target}: no heading #${anchor}`);
		}
		expect(broken).toEqual([]);
	});
});
