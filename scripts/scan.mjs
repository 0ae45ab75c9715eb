#!/usr/bin/env node
// @ts-check
/**
 * `npm run scan`: n8n's own verification gate (@n8n/scan-community-package), run offline the way
 * its `analyzePackageByName` runs it on a published package, with its own `analyzePackage`:
 * - the tarball leg: this package built and packed, unpacked, its compiled `.js` and its
 *   package.json linted with n8n's rules;
 * - the source leg: the source files the gate checks (`SOURCE_FILE_PATTERNS`: package.json and
 *   nodes/, credentials/) linted with the same rules, here from this checkout rather than from the
 *   commit a provenance statement names.
 * The provenance leg needs the package published from GitHub Actions with an npm provenance
 * statement, so it is skipped here and said so; `npx @n8n/scan-community-package
 * n8n-nodes-green-api` runs all three once a release is on npm. Exits non-zero on any finding.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const require = createRequire(import.meta.url);
const app = require('./n8n-app.js');

/** What the gate lints in the tarball (see analyzePackageByName in the scanner). */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'green-api-scan-'));
let failed = false;
try {
	const tarball = await app.packPackage(work);
	const unpacked = path.join(work, 'package');
	execFileSync('tar', ['-xzf', tarball, '-C', work]);
	const legs = [
		{ name: `tarball (${path.basename(tarball)}: ${TARBALL_FILE_PATTERNS.join(', ')})`, dir: unpacked, patterns: TARBALL_FILE_PATTERNS },
		{ name: `source (${SOURCE_FILE_PATTERNS.join(', ')})`, dir: app.ROOT, patterns: SOURCE_FILE_PATTERNS },
	];
	for (const leg of legs) {
		const result = await analyzePackage(leg.dir, leg.patterns);
		console.log(`${result.passed ? 'clean' : 'FAILED'}: ${leg.name}${result.message ? ` — ${result.message}` : ''}`);
		if (result.details) console.log(result.details);
		failed ||= !result.passed;
	}
	console.log('skipped: provenance (needs the package published from GitHub Actions with --provenance; see README → Releasing)');
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
