/** Message → Send Text to each item's `chat` with its `key` as Send Once Per Key, resent never (the once-key tests' node). */
export const KEYED_SEND_TEXT = {
	resource: 'message',
	operation: 'sendText',
	chatId: { __rl: true, mode: 'idOrPhone', value: '={{ $json.chat }}' },
	text: 'Thank you!',
	options: { sendOnceKey: '={{ $json.key }}', maxRetries: 0 },
} as const;
