/**
 * What n8n and npm check of a release, checked before one is cut: the package metadata names one
 * GitHub repository, the version has its CHANGELOG section and its tag, and nothing the published
 * package needs at run time comes from a dependency.
 */
import fs from 'node:fs';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { releaseProblems, githubRepository } = require('../scripts/release-check.js') as {
	releaseProblems(pkg: object, changelog: string, tag: string, repository?: string): string[];
	githubRepository(url: unknown): string | undefined;
};

const ROOT = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
const home = githubRepository(pkg.repository.url)!;

describe('the release metadata', () => {
	it('is ready for the tag of the current version, from the repository it names', () => {
		expect(releaseProblems(pkg, changelog, `v${pkg.version}`, home)).toEqual([]);
	});

	it('has a semantic version, MIT, no runtime dependencies and only dist/ and the changelog published', () => {
		expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
		expect(pkg.license).toBe('MIT');
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.files).toEqual(['dist', 'CHANGELOG.md']);
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	it('refuses a tag that is not v + the version, and a repository other than the one named', () => {
		expect(releaseProblems(pkg, changelog, pkg.version, home)).toEqual([`The tag ${pkg.version} is not v${pkg.version}, the version in package.json.`]);
		expect(releaseProblems(pkg, changelog, `v${pkg.version}`, 'someone/else')).toEqual([
			`package.json's repository is ${home}, but this runs in someone/else: npm publishes provenance only for the repository the package names.`,
		]);
	});

	it('refuses metadata whose fields name different repositories, or no author', () => {
		const drifted = { ...pkg, homepage: 'https://github.com/someone/else#readme', author: undefined };
		expect(releaseProblems(drifted, changelog, `v${pkg.version}`)).toEqual([`package.json's repository, homepage and bugs name different repositories: ${home}, someone/else.`, 'package.json has no author.']);
	});

	it('refuses a version without its CHANGELOG section', () => {
		expect(releaseProblems({ ...pkg, version: '9.9.9' }, changelog, 'v9.9.9')).toEqual(['CHANGELOG.md has no section "## [9.9.9] - YYYY-MM-DD".']);
	});

	it('keeps the changelog in Keep a Changelog form, newest first, with a link per version', () => {
		const versions = [...changelog.matchAll(/^## \[([^\]]+)\]/gm)].map(([, version]) => version);
		expect(versions[0]).toBe('Unreleased');
		expect(versions).toContain(pkg.version);
		const released = versions.slice(1).map((version) => version.split('.').map(Number));
		const newestFirst = [...released].sort((a, b) => b[0] - a[0] || b[1] - a[1] || b[2] - a[2]);
		expect(released).toEqual(newestFirst);
		for (const version of versions) expect(changelog).toMatch(new RegExp(`^\\[${version.replace(/\./g, '\\.')}\\]: https://github\\.com/${home}/`, 'm'));
	});
});
