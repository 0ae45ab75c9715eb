#!/usr/bin/env node
// @ts-check
/**
 * `npm start`: n8n's editor on http://localhost:5678 with this package installed as a community
 * package (from `npm pack`, as users get it), the GREEN-API sandbox running, a "GREEN-API
 * sandbox" credential and the example workflows imported. Ctrl-C stops everything it started.
 * n8n 2.x by default; `N8N_LINE=1 npm start` runs n8n 1.x (see scripts/n8n-app.js).
 */
const fs = require('node:fs');
const path = require('node:path');

const app = require('./n8n-app');
const { GreenApiSimulator } = require('../sandbox/simulator');
const { SANDBOX } = require('../sandbox/seed');

const PORT = Number(process.env.N8N_PORT ?? 5678);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT ?? 3100);
const USER_FOLDER = app.userFolder;
/** A local-only owner account, so the editor opens straight into the workflow. */
const OWNER = { email: 'demo@example.com', firstName: 'Demo', lastName: 'User', password: 'Demo-password-1' };

async function main() {
	await app.ensureN8n();
	console.log('Building and packing n8n-nodes-green-api, installing it into n8n as a community package…');
	const tarball = await app.packPackage(path.join(app.APP_DIR, 'pack'));
	await app.installPackage(USER_FOLDER, tarball);

	const simulator = new GreenApiSimulator({ latencyMs: 80 });
	simulator.addInstance(SANDBOX);
	const apiUrl = await simulator.start(SANDBOX_PORT).catch((error) => {
		throw new Error(`The sandbox cannot listen on port ${SANDBOX_PORT} (${error.code}); set SANDBOX_PORT to a free port.`);
	});
	console.log(`GREEN-API sandbox on ${apiUrl}; importing the "GREEN-API sandbox" credential and the example workflows…`);
	await app.importFixtures(USER_FOLDER, { apiUrl, idInstance: SANDBOX.idInstance, token: SANDBOX.token });

	console.log(`Starting n8n ${app.version} (log: .n8n-app/n8n.log)…`);
	const log = fs.openSync(path.join(app.APP_DIR, 'n8n.log'), 'a');
	// The sandbox delivers webhooks to n8n on this machine, as GREEN-API delivers them to a public n8n.
	const webhookBase = `http://127.0.0.1:${PORT}/`;
	const { server: n8n } = await app.startServer(USER_FOLDER, { port: PORT, env: { N8N_LOG_LEVEL: 'info', N8N_WEBHOOK_URL: webhookBase, WEBHOOK_URL: webhookBase }, output: log });
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n and the sandbox…');
		n8n.kill('SIGTERM');
		await simulator.stop();
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	n8n.on('exit', async (code) => {
		if (!stopping) console.error(`n8n exited (${code}); see .n8n-app/n8n.log`);
		await stop();
		process.exit(code ?? 0);
	});

	const base = `http://localhost:${PORT}`;
	const owner = await app.signIn(base, OWNER).catch(() => undefined);
	console.log(`
n8n is running: open ${base}/workflow/greenApiExample1
  Log in as ${OWNER.email} / ${OWNER.password}: a local-only account ${owner?.created ? 'created just now' : 'created on the first start'}.
  (Changed it? Then use yours; \`rm -rf ${path.relative(app.ROOT, USER_FOLDER)}\` starts over.)
  The workflow "CRM deal closed → archive the customer's WhatsApp chat" uses the credential
  "GREEN-API sandbox", which points at the sandbox on ${apiUrl} (instance ${SANDBOX.idInstance}).
  Click "Execute workflow": archived chats go to "Archived", the rest to "Could not archive".
  Also imported: "Nightly clean-up: archive the WhatsApp chats of closed deals"
  (${base}/workflow/greenApiCleanUp1): lists the chats still in the inbox and archives those
  whose deal the CRM stand-in says is closed.
  "CRM deal closed → thank the customer once → archive the chat" (${base}/workflow/greenApiExample5):
  Send Text with Send Once Per Key (run it twice: the second run sends nothing), then archives the
  chat once the message left the send queue; the sandbox shows what was sent:
  curl '${apiUrl}/__sandbox/sent?idInstance=${SANDBOX.idInstance}'.
  "Archive the chats that went quiet" (${base}/workflow/greenApiExample4): Get Many finds the
  inbox chats with no message for 30 days in the sandbox's history and archives them; the one
  GREEN-API will not archive (no message at all) goes to "Could not archive".
  And "A customer wrote to an archived chat" (${base}/workflow/greenApiExample3): the GREEN-API
  Trigger (only chats in the archive) → Unarchive → tell the team. ${app.major === '1' ? 'Activate' : 'Publish'} it, then make a
  customer write to an archived chat:

    curl -X POST ${apiUrl}/__sandbox/message -H 'Content-Type: application/json' \\
      -d '{"idInstance":"${SANDBOX.idInstance}","chatId":"442079460958@c.us","text":"Hello again!"}'

  (442079460958@c.us is Oliver Smith's chat, archived; 79007654321@c.us is in the inbox and starts
  nothing. The trigger's "Execute step" shows the newest such message. The sandbox's settings: curl '${apiUrl}/__sandbox/settings?idInstance=${SANDBOX.idInstance}'.)

To use a real GREEN-API instance instead: open Credentials → "GREEN-API sandbox" (or create a new
GREEN-API credential) and enter the API URL, Instance ID and API Token Instance shown for your
instance at https://console.green-api.com. Nothing else changes.

Press Ctrl-C to stop n8n and the sandbox.`);
}

main().catch((error) => {
	console.error(error.message ?? error);
	process.exit(1);
});
