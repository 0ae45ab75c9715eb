#!/usr/bin/env node
// @ts-check
/**
 * `npm run sandbox`: the GREEN-API simulator as a standalone server with a seeded demo instance.
 * Point a GREEN-API credential at it (the printed API URL, instance id and token) to try the node
 * without a GREEN-API account. Options: --port N (default 3100), --latency MS (default 80).
 */
const { GreenApiSimulator } = require('./simulator');

const SANDBOX = {
	idInstance: '1101000001',
	token: 'sandbox0token0not0secret0but0shaped0like0a0real01',
	chats: [
		{ chatId: '79001234567@c.us', name: 'Anna Petrova' }, // +7 (900) 123-45-67
		{ chatId: '79007654321@c.us', name: 'Ivan Sidorov' }, // +7 (900) 765-43-21
		{ chatId: '14155550123@c.us', name: 'Jane Doe' }, // +1 415 555 0123
		{ chatId: '442079460958@c.us', name: 'Oliver Smith', archived: true }, // +44 20 7946 0958, already archived
		{ chatId: '120363043968066561@g.us', name: 'Acme buyers' }, // a group
		{ chatId: '79001234567-1581234048@g.us', name: 'Old team', archived: true }, // a group in the old ID form, archived
		{ chatId: '79000000000@c.us', name: 'New lead', messages: 0 }, // a chat with no messages yet
	],
};

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
	const stop = async () => {
		await simulator.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

if (require.main === module) void main();

module.exports = { SANDBOX };
