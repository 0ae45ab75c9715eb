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
	// What the journals hold when the sandbox starts: who went quiet, and who did not.
	/** @type {Array<{ chatId: string, daysAgo: number, type: 'incoming' | 'outgoing', text: string }>} */
	history: [
		{ chatId: '79007654321@c.us', daysAgo: 45, type: 'incoming', text: 'Thanks, that is all for now' }, // Ivan: quiet for 45 days
		{ chatId: '120363043968066561@g.us', daysAgo: 40, type: 'outgoing', text: 'The catalogue is attached' }, // Acme buyers: quiet for 40 days
		{ chatId: '79001234567@c.us', daysAgo: 2, type: 'incoming', text: 'Is my order on its way?' }, // Anna: wrote 2 days ago
		{ chatId: '14155550123@c.us', daysAgo: 35, type: 'incoming', text: 'Can you send the invoice?' }, // Jane: wrote 35 days ago...
		{ chatId: '14155550123@c.us', daysAgo: 5, type: 'outgoing', text: 'Here is your invoice' }, // ...and was answered 5 days ago
	],
};

module.exports = { SANDBOX };
