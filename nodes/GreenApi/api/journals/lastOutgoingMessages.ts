/** lastOutgoingMessages: the journal of messages sent from the phone (while outgoingMessageWebhook was on) or through the API. */
import { journalMethod } from './journal';

export const lastOutgoingMessages = journalMethod('lastOutgoingMessages', 'outgoing');
