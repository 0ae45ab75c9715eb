/**
 * The method index: every operation the action node offers (each one GREEN-API method described
 * as data in its own file under actions/<resource>/), and the resources that group them in the UI.
 */
import type { GreenApiMethod } from '../api/types';
import { archiveChat } from './chat/archive.operation';
import { getChat } from './chat/get.operation';
import { getManyChats } from './chat/getAll.operation';
import { markChatAsRead } from './chat/markAsRead.operation';
import { unarchiveChat } from './chat/unarchive.operation';
import { sendFile } from './message/sendFile.operation';
import { sendPoll } from './message/sendPoll.operation';
import { sendText } from './message/sendText.operation';

export const RESOURCES: Record<string, string> = { chat: 'Chat', message: 'Message' };

export const METHODS: GreenApiMethod[] = [archiveChat, unarchiveChat, markChatAsRead, getChat, getManyChats, sendText, sendFile, sendPoll];

export function findMethod(resource: string, operation: string, methods: GreenApiMethod[] = METHODS): GreenApiMethod | undefined {
	return methods.find((method) => method.resource === resource && method.operation === operation);
}
