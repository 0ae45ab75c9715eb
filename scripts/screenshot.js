#!/usr/bin/env node
// @ts-check
/**
 * `npm run screenshot`: pictures of the node in the real n8n editor, for the README. Needs
 * `npm start` running (it logs in with the local demo account) and Debian's Chromium
 * (`apt-get install chromium`). Runs the example workflow once (so a fresh `npm start` shows
 * three chats archived, two on the error output) and writes docs/workflow.png and docs/node-panel.png.
 */
const path = require('node:path');
const fs = require('node:fs');
const { chromium } = require('playwright-core');

const BASE = process.env.N8N_URL ?? 'http://localhost:5678';
const OWNER = { emailOrLdapLoginId: 'demo@example.com', password: 'Demo-password-1' };
const DOCS = path.join(__dirname, '..', 'docs');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function main() {
	if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH).`);
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	try {
		const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
		const login = await context.request.post(`${BASE}/rest/login`, { data: OWNER });
		if (!login.ok()) throw new Error(`Could not log in to ${BASE} (${login.status()}): is \`npm start\` running?`);
		const page = await context.newPage();
		await page.goto(`${BASE}/workflow/greenApiExample01`);
		const node = page.locator('[data-test-id="canvas-node"]', { hasText: 'Archive WhatsApp chat' });
		await node.waitFor({ timeout: 60000 });
		await page.waitForTimeout(1500); // the canvas fits the view after the nodes appear
		// Run it once against the sandbox, so the pictures show real output.
		await page.locator('[data-test-id="execute-workflow-button"]').click();
		await page.getByText('2 items').first().waitFor({ timeout: 60000 });
		await page.waitForTimeout(1000);
		await page.screenshot({ path: path.join(DOCS, 'workflow.png') });
		await node.dblclick();
		await page.locator('[data-test-id="ndv"]').waitFor({ timeout: 30000 });
		await page.waitForTimeout(1000);
		await page.screenshot({ path: path.join(DOCS, 'node-panel.png') });
		console.log('Wrote docs/workflow.png and docs/node-panel.png');
	} finally {
		await browser.close();
	}
}

main().catch((error) => {
	console.error(error.message ?? error);
	process.exit(1);
});
