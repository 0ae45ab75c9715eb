/** Get (getContactInfo): one personal chat's details, including whether it is archived. */
import { chatIdOf } from '../../errors/catalogue';
import { chatField } from '../../api/chatField';
import { invalidChatId } from '../../api/chatIdErrors';
import { UnexpectedAnswer, type GreenApiMethod } from '../../api/types';

interface ContactInfo {
	chatId?: string;
	name?: string;
	contactName?: string;
	email?: string;
	category?: string;
	description?: string;
	avatar?: string;
	lastSeen?: number | null;
	isArchive?: boolean;
	isMute?: boolean;
	muteExpiration?: number | null;
	isDisappearing?: boolean;
	messageExpiration?: number;
	isBusiness?: boolean;
}

export const getChat: GreenApiMethod = {
	resource: 'chat',
	operation: 'get',
	name: 'Get',
	action: 'Get a chat',
	description: "Get a person's chat: name, whether it is archived or muted, business details",
	path: 'getContactInfo',
	httpMethod: 'POST',
	rateLimitPerSecond: 1,
	safeToRepeat: true,
	fields: [chatField],
	errors: [
		{
			code: 'GROUP_NOT_SUPPORTED',
			status: 400,
			match: /does not support group chats/i,
			says: 'Validation failed. Details: The method GetContactInfo does not support group chats',
			message: (c) => `GREEN-API gives no details of group chat ${chatIdOf(c.request)}.`,
			hint: 'Get works for personal chats only; Get Many lists groups with their archive state.',
		},
		invalidChatId,
	],
	output: (request, response) => {
		if (typeof response !== 'object' || response === null || Array.isArray(response)) throw new UnexpectedAnswer("expected the chat's details");
		const info = response as ContactInfo;
		return [
			{
				chatId: info.chatId ?? request.chatId,
				name: info.name ?? '',
				contactName: info.contactName ?? '',
				archived: info.isArchive === true,
				muted: info.isMute === true,
				muteExpiration: info.muteExpiration ?? null,
				disappearingMessages: info.isDisappearing === true,
				messageExpiration: info.messageExpiration ?? 0,
				business: info.isBusiness === true,
				category: info.category ?? '',
				description: info.description ?? '',
				email: info.email ?? '',
				lastSeen: info.lastSeen ?? null,
				avatar: info.avatar ?? '',
			},
		];
	},
};
