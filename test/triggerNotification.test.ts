/**
 * The trigger's pure parts: every documented notification kind as one flat item, what activation
 * and deactivation write to an instance's settings, the events' switches, and the chat filters.
 */
import { EVENTS, switchesFor } from '../nodes/GreenApi/trigger/events';
import { passesArchiveFilter, passesChatFilters, parseChatFilter, type Filters } from '../nodes/GreenApi/trigger/filters';
import { asNotification } from '../nodes/GreenApi/trigger/journalEntries';
import { toItem } from '../nodes/GreenApi/trigger/notification';
import { sameSecret, webhookSecret } from '../nodes/GreenApi/transport/webhookSecret';
import { planActivation, planDeactivation } from '../nodes/GreenApi/trigger/webhookSettings';

const instanceData = { idInstance: 1101000001, wid: '79990000000@c.us', typeInstance: 'whatsapp' };
const senderData = { chatId: '79001234567@c.us', chatName: 'Anna', sender: '79001234567@c.us', senderName: 'Anna P', senderContactName: 'Anna Petrova' };
const message = (messageData: object, typeWebhook = 'incomingMessageReceived') => ({ typeWebhook, instanceData, timestamp: 1700000000, idMessage: 'ABC123', senderData, messageData });
const file = (typeMessage: string, caption: string, fileName: string, mimeType: string) =>
	message({ typeMessage, fileMessageData: { downloadUrl: `https://files.example/${fileName}`, caption, fileName, jpegThumbnail: '', mimeType } });

describe('every documented notification as one item with flat fields', () => {
	it.each([
		['text', message({ typeMessage: 'textMessage', textMessageData: { textMessage: 'Hello' } }), 'textMessage', 'Hello'],
		['extended text', message({ typeMessage: 'extendedTextMessage', extendedTextMessageData: { text: 'See https://x.example', description: '', title: '' } }), 'extendedTextMessage', 'See https://x.example'],
		[
			'a quoted reply',
			message({ typeMessage: 'quotedMessage', extendedTextMessageData: { text: 'Yes, that one', stanzaId: 'X' }, quotedMessage: { typeMessage: 'textMessage', textMessage: 'Which?' } }),
			'quotedMessage',
			'Yes, that one',
		],
		['an image with a caption', file('imageMessage', 'My invoice', 'photo.jpg', 'image/jpeg'), 'imageMessage', 'My invoice'],
		['a video', file('videoMessage', 'Look', 'clip.mp4', 'video/mp4'), 'videoMessage', 'Look'],
		['a document', file('documentMessage', '', 'contract.pdf', 'application/pdf'), 'documentMessage', ''],
		['audio', file('audioMessage', '', 'voice.ogg', 'audio/ogg'), 'audioMessage', ''],
		['a location', message({ typeMessage: 'locationMessage', locationMessageData: { nameLocation: 'Office', address: 'Main st 1', latitude: 1, longitude: 2 } }), 'locationMessage', 'Office'],
		['a contact', message({ typeMessage: 'contactMessage', contactMessageData: { displayName: 'Ivan', vcard: 'BEGIN:VCARD' } }), 'contactMessage', 'Ivan'],
		['a button reply', message({ typeMessage: 'buttonsResponseMessage', buttonsResponseMessage: { stanzaId: 'S', selectedButtonId: '1', selectedButtonText: 'Green' } }), 'buttonsResponseMessage', 'Green'],
		[
			'a template button reply',
			message({ typeMessage: 'templateButtonsReplyMessage', templateButtonReplyMessage: { stanzaId: 'S', selectedIndex: 2, selectedId: 'id1', selectedDisplayText: 'red' } }),
			'templateButtonsReplyMessage',
			'red',
		],
		['a list reply', message({ typeMessage: 'listResponseMessage', listResponseMessage: { stanzaId: 'S', title: 'Option 2', listType: 1, singleSelectReply: 'option2' } }), 'listResponseMessage', 'Option 2'],
		['a reaction', message({ typeMessage: 'reactionMessage', extendedTextMessageData: { text: '👍' }, quotedMessage: { stanzaId: 'S' } }), 'reactionMessage', '👍'],
		['a poll', message({ typeMessage: 'pollMessage', pollMessageData: { name: 'Lunch?', options: [{ optionName: 'Yes' }] } }), 'pollMessage', 'Lunch?'],
		['a kind of message not in the table', message({ typeMessage: 'newKindMessage', newKindMessageData: { text: 'still read' } }), 'newKindMessage', 'still read'],
	])('%s', (_kind, notification, messageType, text) => {
		const item = toItem(notification);
		expect(item).toMatchObject({
			event: 'incomingMessageReceived',
			instanceId: '1101000001',
			timestamp: '2023-11-14T22:13:20.000Z',
			idMessage: 'ABC123',
			chatId: '79001234567@c.us',
			chatType: 'user',
			sender: '79001234567@c.us',
			senderName: 'Anna P',
			chatName: 'Anna',
			messageType,
			text,
			status: '',
		});
		expect(item.notification).toBe(notification);
	});

	it('files: where GREEN-API keeps them, their name and type (nothing downloaded)', () => {
		expect(toItem(file('documentMessage', 'Invoice', 'invoice.pdf', 'application/pdf'))).toMatchObject({
			downloadUrl: 'https://files.example/invoice.pdf',
			fileName: 'invoice.pdf',
			mimeType: 'application/pdf',
			text: 'Invoice',
		});
		expect(toItem(message({ typeMessage: 'textMessage', textMessageData: { textMessage: 'x' } }))).toMatchObject({ downloadUrl: '', fileName: '', mimeType: '' });
	});

	it('a message in a group: chatType group, the sender is the person', () => {
		const group = { ...message({ typeMessage: 'textMessage', textMessageData: { textMessage: 'hi all' } }), senderData: { ...senderData, chatId: '120363043968066561@g.us', chatName: 'Acme buyers' } };
		expect(toItem(group)).toMatchObject({ chatId: '120363043968066561@g.us', chatType: 'group', chatName: 'Acme buyers', sender: '79001234567@c.us' });
	});

	it.each(['outgoingMessageReceived', 'outgoingAPIMessageReceived'])('%s: the same fields as an incoming message', (typeWebhook) => {
		expect(toItem(message({ typeMessage: 'textMessage', textMessageData: { textMessage: 'Thanks!' } }, typeWebhook))).toMatchObject({ event: typeWebhook, text: 'Thanks!', chatId: '79001234567@c.us' });
	});

	it('an outgoing message status', () => {
		const status = { typeWebhook: 'outgoingMessageStatus', chatId: '79001234567@c.us', instanceData, timestamp: 1700000000, idMessage: 'M1', status: 'read', sendByApi: true };
		expect(toItem(status)).toMatchObject({ event: 'outgoingMessageStatus', chatId: '79001234567@c.us', chatType: 'user', idMessage: 'M1', status: 'read', text: '', messageType: '' });
	});

	it('an incoming call', () => {
		const call = { typeWebhook: 'incomingCall', from: '79001234567@c.us', instanceData, timestamp: 1700000000, idMessage: 'C1', status: 'offer' };
		expect(toItem(call)).toMatchObject({ event: 'incomingCall', chatId: '79001234567@c.us', status: 'offer' });
	});

	it('an instance state change: no chat', () => {
		const state = { typeWebhook: 'stateInstanceChanged', instanceData, timestamp: 1700000000, stateInstance: 'notAuthorized' };
		expect(toItem(state)).toMatchObject({ event: 'stateInstanceChanged', chatId: '', chatType: '', status: 'notAuthorized', idMessage: '' });
	});

	it('a kind this trigger does not know: what can be read, never dropped', () => {
		const device = { typeWebhook: 'deviceInfo', instanceData, timestamp: 1700000000, deviceData: { platform: 'android', battery: 55 } };
		const item = toItem(device);
		expect(item).toMatchObject({ event: 'deviceInfo', instanceId: '1101000001', timestamp: '2023-11-14T22:13:20.000Z', chatId: '', text: '' });
		expect(item.notification).toBe(device);
	});

	it('a notification without a time has timestamp null', () => {
		expect(toItem({ typeWebhook: 'x', instanceData }).timestamp).toBeNull();
	});

	it.each<[string, object, Record<string, unknown>, string]>([
		[
			'a time no date can hold',
			{ typeWebhook: 'incomingMessageReceived', instanceData, timestamp: 1e20, idMessage: 'M1' },
			{ event: 'incomingMessageReceived', timestamp: null, idMessage: 'M1' },
			'its timestamp 100000000000000000000 is no time',
		],
		['a time that is no number', { typeWebhook: 'incomingMessageReceived', instanceData, timestamp: 'yesterday' }, { timestamp: null }, 'its timestamp "yesterday" is no time'],
		['no kind', { instanceData, idMessage: 'M2' }, { event: '', idMessage: 'M2' }, 'it names no kind (typeWebhook)'],
		['no instance', { typeWebhook: 'incomingCall', instanceData: { wid: 'x' } }, { event: 'incomingCall', instanceId: '' }, 'it names no instance (instanceData.idInstance)'],
		['parts of the wrong shape', { typeWebhook: 'incomingMessageReceived', instanceData: [], senderData: 'x', messageData: 7 }, { chatId: '', text: '' }, 'it names no instance (instanceData.idInstance)'],
	])('a notification with %s is still an item, with what can be read and a problem that says what was not', (_, notification, fields, problem) => {
		const item = toItem(notification as never);
		expect(item).toMatchObject(fields);
		expect(item.problem).toBe(`The notification could not be read in full: ${problem}.`);
		expect(item.notification).toBe(notification);
	});

	it('a notification read in full has no problem field at all', () => {
		expect(Object.keys(toItem({ typeWebhook: 'stateInstanceChanged', instanceData, timestamp: 1700000000, stateInstance: 'authorized' }))).not.toContain('problem');
	});
});

describe('a journal entry reads as the notification GREEN-API would have delivered', () => {
	it('the same item from both, a field written as a number included (one reading of text: numbers as their digits)', () => {
		const entry = { type: 'incoming' as const, idMessage: 'J1', timestamp: 1700000000, typeMessage: 'textMessage', chatId: '79001234567@c.us', textMessage: 12345, senderName: 'Anna P', chatName: 4242 };
		const fromJournal = toItem(asNotification(entry, '1101000001'));
		const delivered = toItem(message({ typeMessage: 'textMessage', textMessageData: { textMessage: 12345 } }));
		expect(fromJournal).toMatchObject({ text: '12345', chatName: '4242', chatId: '79001234567@c.us', senderName: 'Anna P' });
		expect(fromJournal.text).toBe(delivered.text);
	});
});

describe('what activation writes to the instance, and when', () => {
	const empty = { webhookUrl: '', webhookUrlToken: '', incomingWebhook: 'no', outgoingWebhook: 'no' };
	const url = 'https://n8n.example/webhook/abc/webhook';
	const target = { url, switches: ['incomingWebhook'], tokenIsOurs: false };
	const ours = { ...target, tokenIsOurs: true };

	it('an instance with no webhook URL: the URL, the secret and the chosen switches, and nothing else', () => {
		expect(planActivation(empty, target, false)).toEqual({ kind: 'write', settings: { webhookUrl: url, incomingWebhook: 'yes' }, writeToken: true, switchedOn: ['incomingWebhook'] });
	});

	it('an instance that already sends the chosen events here with this trigger’s secret: nothing', () => {
		expect(planActivation({ ...empty, webhookUrl: url, webhookUrlToken: 'x', incomingWebhook: 'yes' }, ours, false)).toEqual({ kind: 'inPlace' });
	});

	it('already here, but a chosen switch is off: only that switch', () => {
		const current = { ...empty, webhookUrl: url, webhookUrlToken: 'x', incomingWebhook: 'yes' };
		expect(planActivation(current, { ...ours, switches: ['incomingWebhook', 'outgoingWebhook'] }, false)).toEqual({
			kind: 'write',
			settings: { outgoingWebhook: 'yes' },
			writeToken: false,
			switchedOn: ['outgoingWebhook'],
		});
	});

	it('here, but with a token that is not this trigger’s secret (the API token changed): only the secret', () => {
		const current = { ...empty, webhookUrl: url, webhookUrlToken: 'old', incomingWebhook: 'yes' };
		expect(planActivation(current, target, false)).toEqual({ kind: 'write', settings: {}, writeToken: true, switchedOn: [] });
	});

	it('another system’s URL: refused, naming only its host, and saying what to do', () => {
		const plan = planActivation({ ...empty, webhookUrl: 'https://crm.example.com/hooks/green?key=abc' }, target, false);
		expect(plan).toMatchObject({ kind: 'refuse', message: 'The GREEN-API instance already sends its notifications to https://crm.example.com, not to this trigger.' });
		expect(JSON.stringify(plan)).not.toContain('key=abc');
		expect((plan as { hint: string }).hint).toMatch(/Replace an Existing Webhook URL/);
	});

	it('another system’s URL with Replace an Existing Webhook URL on: taken over', () => {
		expect(planActivation({ ...empty, webhookUrl: 'https://crm.example.com/hooks' }, target, true)).toEqual({
			kind: 'write',
			settings: { webhookUrl: url, incomingWebhook: 'yes' },
			writeToken: true,
			switchedOn: ['incomingWebhook'],
		});
	});

	it('deactivation: clears the URL and token and turns off the switches it turned on, while they are still its own', () => {
		const current = { ...empty, webhookUrl: url, webhookUrlToken: 'x', incomingWebhook: 'yes', outgoingWebhook: 'yes' };
		expect(planDeactivation(current, ours, ['incomingWebhook'])).toEqual({ webhookUrl: '', webhookUrlToken: '', incomingWebhook: 'no' });
	});

	it('deactivation after someone else took the instance over: nothing', () => {
		expect(planDeactivation({ ...empty, webhookUrl: 'https://crm.example.com/hooks', incomingWebhook: 'yes' }, ours, ['incomingWebhook'])).toBeUndefined();
		expect(planDeactivation({ ...empty, webhookUrl: url, webhookUrlToken: 'theirs' }, target, [])).toBeUndefined();
	});
});

describe('the webhook secret', () => {
	const token = 'd75b3a66374942c5b3c019c698abc2067e151558acbd412345';

	it('is 40 hex characters derived from the API token and the node’s webhook ID: the same every time, different for another node or token', async () => {
		const secret = await webhookSecret({ apiTokenInstance: token }, 'node-1');
		expect(secret).toMatch(/^[0-9a-f]{40}$/);
		expect(await webhookSecret({ apiTokenInstance: `  ${token}\n` }, 'node-1')).toBe(secret);
		expect(await webhookSecret({ apiTokenInstance: token }, 'node-2')).not.toBe(secret);
		expect(await webhookSecret({ apiTokenInstance: `${token}0` }, 'node-1')).not.toBe(secret);
		expect(secret).not.toContain(token.slice(0, 10));
	});

	it('is HMAC-SHA-256 of the webhook ID keyed with the token (RFC 4231 test case 2 checks the primitive)', async () => {
		const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('Jefe'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
		const mac = Buffer.from(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode('what do ya want for nothing?'))).toString('hex');
		expect(mac).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
	});

	it('is compared whole: a prefix, a longer text or nothing is not it', () => {
		expect(sameSecret('abc123', 'abc123')).toBe(true);
		expect(sameSecret('abc12', 'abc123')).toBe(false);
		expect(sameSecret('abc1234', 'abc123')).toBe(false);
		expect(sameSecret('', 'abc123')).toBe(false);
		expect(sameSecret('', '')).toBe(false);
	});
});

describe('events and filters', () => {
	it('each event names its notification kind and the switches GREEN-API needs on', () => {
		expect(EVENTS.map((event) => [event.value, event.kinds, event.switches])).toEqual([
			['incomingMessage', ['incomingMessageReceived'], ['incomingWebhook']],
			['messageFromPhone', ['outgoingMessageReceived'], ['outgoingMessageWebhook']],
			['messageFromApi', ['outgoingAPIMessageReceived'], ['outgoingAPIMessageWebhook']],
			['messageStatus', ['outgoingMessageStatus'], ['outgoingWebhook']],
			['incomingCall', ['incomingCall'], ['incomingWebhook', 'incomingCallWebhook']],
			['stateChange', ['stateInstanceChanged'], ['stateWebhook']],
			['other', [], []],
		]);
		expect(switchesFor(['incomingMessage', 'incomingCall'])).toEqual(['incomingWebhook', 'incomingCallWebhook']);
		expect(switchesFor(['other'])).toEqual([]);
	});

	it('Filters → Chats: IDs and phone numbers however written, by the chat rules, with Default Country', () => {
		const read = parseChatFilter('79001234567@c.us, +7 (900) 765-43-21\n8 900 111-22-33; 120363043968066561@g.us', 'RU');
		expect(read).toEqual({ chats: new Set(['79001234567@c.us', '79007654321@c.us', '79001112233@c.us', '120363043968066561@g.us']) });
	});

	it('Filters → Chats: an entry that is no chat is refused, naming it', () => {
		expect(parseChatFilter('79001234567@c.us, call me', '')).toEqual({
			problem: 'Filters → Chats: "call me" is neither a chat ID nor a phone number',
			hint: expect.stringContaining('@c.us'),
		});
	});

	const filters = (extra: Partial<Filters> = {}): Filters => ({ chatType: 'all', chats: new Set(), onlyArchived: false, ...extra });
	const item = (chatId: string) => toItem({ ...message({ typeMessage: 'textMessage', textMessageData: { textMessage: 'x' } }), senderData: { ...senderData, chatId } });

	it('chat type and chats', () => {
		expect(passesChatFilters(item('79001234567@c.us'), filters({ chatType: 'group' }))).toBe(false);
		expect(passesChatFilters(item('120363043968066561@g.us'), filters({ chatType: 'group' }))).toBe(true);
		expect(passesChatFilters(item('79001234567@c.us'), filters({ chats: new Set(['79007654321@c.us']) }))).toBe(false);
		expect(passesChatFilters(item('79007654321@c.us'), filters({ chats: new Set(['79007654321@c.us']) }))).toBe(true);
		expect(passesChatFilters(item(''), filters({ chatType: 'group', chats: new Set(['x']) }))).toBe(true);
	});

	it('only chats in the archive: not archived is left out, archived and unknown pass', () => {
		expect([true, false, null].map((archived) => passesArchiveFilter(archived, filters({ onlyArchived: true })))).toEqual([true, false, true]);
		expect([true, false, null].map((archived) => passesArchiveFilter(archived, filters()))).toEqual([true, true, true]);
	});
});
