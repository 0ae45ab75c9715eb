// @ts-check
/**
 * The sandbox's demo instance: what `npm run sandbox`, `npm start`, `npm run demo` and the
 * end-to-end tests serve, and what a GREEN-API credential pointed at the sandbox uses.
 */
const SANDBOX = {
	idInstance: '1101000001',
	token: 'sandbox0token0not0secret0but0shaped0like0a0real01',
	chats: [
		{ chatId: '79001234567@c.us', name: 'Anna Petrova', unread: 2 }, // +7 (900) 123-45-67, two messages unread
		{ chatId: '79007654321@c.us', name: 'Ivan Sidorov' }, // +7 (900) 765-43-21
		{ chatId: '14155550123@c.us', name: 'Jane Doe' }, // +1 415 555 0123
		{ chatId: '442079460958@c.us', name: 'Oliver Smith', archived: true }, // +44 20 7946 0958, already archived
		{ chatId: '120363043968066561@g.us', name: 'Acme buyers' }, // a group
		{ chatId: '79001234567-1581234048@g.us', name: 'Old team', archived: true }, // a group in the old ID form, archived
		{ chatId: '79000000000@c.us', name: 'New lead', messages: 0 }, // a chat with no messages yet
	],
};

module.exports = { SANDBOX };
