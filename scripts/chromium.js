// @ts-check
/**
 * Debian's Chromium for the browser test (`npm run test:browser`): installed with apt-get when it
 * is missing and this runs as root, and started headless with the flags this closed network
 * needs (without them Chromium keeps trying Google's hosts). playwright-core drives it;
 * Playwright's own browser download cannot reach its servers from here.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function ensureChromium(log = console.log) {
	if (fs.existsSync(CHROMIUM)) return;
	if (process.env.CHROMIUM_PATH) throw new Error(`CHROMIUM_PATH is ${CHROMIUM}, and there is no file there.`);
	if (process.getuid?.() !== 0) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's package (sudo apt-get install chromium) or set CHROMIUM_PATH.`);
	log("Installing Debian's chromium package (first run only)…");
	for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
		const result = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
		if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (${result.status ?? result.error?.message})`);
	}
	if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium, but there is no ${CHROMIUM}`);
}

/** A headless Chromium under playwright-core. */
async function launchChromium() {
	const { chromium } = require('playwright-core');
	return await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

module.exports = { CHROMIUM, ensureChromium, launchChromium };

if (require.main === module && process.argv[2] === 'install') {
	try {
		ensureChromium();
	} catch (error) {
		console.error(/** @type {Error} */ (error).message);
		process.exit(1);
	}
}
