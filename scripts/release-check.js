#!/usr/bin/env node
// @ts-check
/**
 * Checks a release before it is published: `node scripts/release-check.js <tag> [<owner/repo>]`.
 * - The tag is the package's version with a v in front (v0.2.0), and CHANGELOG.md has a section
 *   for that version.
 * - package.json's `repository`, `homepage` and `bugs` name one GitHub repository (and, when the
 *   publish workflow passes it, the one it runs in: npm refuses provenance for another), and the
 *   package has an author.
 * npm test runs the same checks against the tag of the current version.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');

/** The GitHub `owner/repo` a URL names, or undefined. @param {unknown} url */
function githubRepository(url) {
	const match = /^(?:git\+)?https:\/\/github\.com\/([\w.-]+\/[\w.-]+?)(?:\.git)?(?:[/#].*)?$/.exec(String(url ?? ''));
	return match?.[1];
}

/**
 * What is wrong with releasing `pkg` under `tag` from `repository` (owner/repo; optional).
 * @param {{ version: string, repository?: { url?: string } | string, homepage?: string, bugs?: { url?: string } | string, author?: unknown }} pkg
 * @param {string} changelog CHANGELOG.md's text
 * @param {string} tag @param {string} [repository]
 * @returns {string[]}
 */
function releaseProblems(pkg, changelog, tag, repository) {
	const problems = [];
	if (tag !== `v${pkg.version}`) problems.push(`The tag ${tag} is not v${pkg.version}, the version in package.json.`);
	if (!new RegExp(`^## \\[${pkg.version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm').test(changelog)) {
		problems.push(`CHANGELOG.md has no section "## [${pkg.version}] - YYYY-MM-DD".`);
	}
	const named = {
		repository: githubRepository(typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url),
		homepage: githubRepository(pkg.homepage),
		bugs: githubRepository(typeof pkg.bugs === 'string' ? pkg.bugs : pkg.bugs?.url),
	};
	for (const [field, value] of Object.entries(named)) {
		if (!value) problems.push(`package.json's ${field} is no GitHub repository address.`);
	}
	const distinct = new Set(Object.values(named).filter(Boolean));
	if (distinct.size > 1) problems.push(`package.json's repository, homepage and bugs name different repositories: ${[...distinct].join(', ')}.`);
	if (repository && named.repository && named.repository.toLowerCase() !== repository.toLowerCase()) {
		problems.push(`package.json's repository is ${named.repository}, but this runs in ${repository}: npm publishes provenance only for the repository the package names.`);
	}
	if (!pkg.author) problems.push('package.json has no author.');
	return problems;
}

module.exports = { githubRepository, releaseProblems };

if (require.main === module) {
	const [tag, repository] = process.argv.slice(2);
	if (!tag) {
		console.error('Usage: node scripts/release-check.js <tag> [<owner/repo>]');
		process.exit(2);
	}
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
	const problems = releaseProblems(pkg, changelog, tag, repository);
	for (const problem of problems) console.error(problem);
	if (problems.length) process.exit(1);
	console.log(`Release ${tag} of ${pkg.name} from ${githubRepository(pkg.repository?.url)}: ready.`);
}
