#!/usr/bin/env node
// @ts-check
/**
 * `npm run demo`: the same setup as `npm start`, headless. Runs the example workflow with n8n's
 * CLI against the GREEN-API sandbox and prints, per deal, whether its chat was archived and why not.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const app = require('./n8n-app');
const { GreenApiSimulator } = require('../sandbox/simulator');
const { SANDBOX } = require('../sandbox/seed');

async function main() {
	await app.ensureN8n();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'green-api-demo-'));
	const simulator = new GreenApiSimulator({ latencyMs: 80 });
	simulator.addInstance(SANDBOX);
	try {
		console.log('Building and packing n8n-nodes-green-api, installing it into a fresh n8n user folder…');
		await app.installPackage(userFolder, await app.packPackage(path.join(userFolder, 'pack')));
		const apiUrl = await simulator.start(0);
		await app.importFixtures(userFolder, { apiUrl, idInstance: SANDBOX.idInstance, token: SANDBOX.token });
		const workflow = app.readExample();
		console.log(`Running "${workflow.name}" with n8n ${app.version} against the GREEN-API sandbox…\n`);
		const { run, stderr } = await app.execute(userFolder, workflow.id);
		if (!run) throw new Error(`The workflow failed:\n${stderr}`);
		const [archived = [], failed = []] = run.data.resultData.runData['Archive WhatsApp chat'][0].data.main;
		const deals = run.data.resultData.runData['One item per deal'][0].data.main[0].map((/** @type {any} */ item) => item.json);
		const outcome = new Map();
		for (const item of archived) outcome.set(item.pairedItem.item, `archived (${item.json.chatId})`);
		for (const item of failed) outcome.set(item.pairedItem.item, `error ${item.json.error.code}: ${item.json.message}`);
		deals.forEach((/** @type {any} */ deal, /** @type {number} */ index) => {
			console.log(`${deal.deal}  ${deal.customer.padEnd(18)} ${String(deal.phone).padEnd(24)} → ${outcome.get(index) ?? 'no output'}`);
		});
		console.log(`\n${archived.length} archived, ${failed.length} sent to the error output; execution status: ${run.status}.`);
	} finally {
		await simulator.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error.message ?? error);
	process.exit(1);
});
