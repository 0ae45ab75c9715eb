/** Every GREEN-API method the action node offers, and the resources that group them in the UI. */
import { archiveChat } from './chat/archiveChat';
import { getChats } from './chat/getChats';
import { getContactInfo } from './chat/getContactInfo';
import { readChat } from './chat/readChat';
import { unarchiveChat } from './chat/unarchiveChat';
import { sendFile } from './message/sendFile';
import { sendPoll } from './message/sendPoll';
import { sendText } from './message/sendText';
import type { GreenApiMethod } from './types';

export const RESOURCES: Record<string, string> = { chat: 'Chat', message: 'Message' };

export const METHODS: GreenApiMethod[] = [archiveChat, unarchiveChat, readChat, getContactInfo, getChats, sendText, sendFile, sendPoll];

export function findMethod(resource: string, operation: string, methods: GreenApiMethod[] = METHODS): GreenApiMethod | undefined {
	return methods.find((method) => method.resource === resource && method.operation === operation);
}
