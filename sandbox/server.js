#!/usr/bin/env node
// @ts-check
/**
 * `npm run sandbox`: the GREEN-API simulator as a standalone server with a seeded demo instance.
 * Point a GREEN-API credential at it (the printed API URL, instance id and token) to try the node
 * without a GREEN-API account (archive, read, list, and send: messages, files, polls; the media
 * host's paths are on the same server). Options: --port N (default 3100), --latency MS (default 80).
 */
const { SANDBOX } = require('./seed');
const { GreenApiSimulator } = require('./simulator');

function argument(/** @type {string} */ name, /** @type {number} */ fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

async function main() {
	const simulator = new GreenApiSimulator({ latencyMs: argument('latency', 80) });
	simulator.addInstance(SANDBOX);
	const port = argument('port', 3100);
	const apiUrl = await simulator.start(port);
	console.log(`GREEN-API sandbox listening on ${apiUrl}`);
	console.log(`  API URL:            ${apiUrl}`);
	console.log(`  Instance ID:        ${SANDBOX.idInstance}`);
	console.log(`  API Token Instance: ${SANDBOX.token}`);
	console.log('  Seeded chats: ' + SANDBOX.chats.map((chat) => chat.chatId).join(', '));
	console.log(`  A customer writes: curl -X POST ${apiUrl}/__sandbox/message -H 'Content-Type: application/json' -d '{"idInstance":"${SANDBOX.idInstance}","chatId":"442079460958@c.us","text":"Hello again!"}'`);
	console.log(`  What the instance sent: curl '${apiUrl}/__sandbox/sent?idInstance=${SANDBOX.idInstance}' (messages leave the send queue 3 s apart)`);
	const stop = async () => {
		await simulator.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main();
