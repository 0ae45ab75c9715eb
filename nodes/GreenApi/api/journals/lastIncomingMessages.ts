/** lastIncomingMessages: the journal of messages customers sent (while incomingWebhook was on). */
import { journalMethod } from './journal';

export const lastIncomingMessages = journalMethod('lastIncomingMessages', 'incoming');
