/**
 * receiveNotification: the oldest notification in the instance's queue (first in, first out),
 * waiting up to `receiveTimeout` seconds (5–60) for one; none when the queue stayed empty. A
 * notification is served again until deleteNotification removes it. Only while the instance has
 * no webhookUrl: with one, GREEN-API delivers there instead.
 */
import type { IDataObject } from 'n8n-workflow';

import { UnexpectedAnswer, type MethodCall } from '../types';

export interface QueuedNotification extends IDataObject {
	receiptId: number;
	body: IDataObject;
}

/** The bounds GREEN-API documents for receiveTimeout, seconds. */
export const RECEIVE_TIMEOUT_S = { min: 5, max: 60 };

export const receiveNotification: MethodCall<QueuedNotification> = {
	path: 'receiveNotification',
	httpMethod: 'GET',
	rateLimitPerSecond: 100,
	safeToRepeat: true,
	errors: [],
	output: (_request, response) => {
		if (response === null || response === undefined) return [];
		const queued = response as { receiptId?: unknown; body?: unknown };
		if (typeof queued !== 'object' || typeof queued.receiptId !== 'number' || typeof queued.body !== 'object' || queued.body === null) {
			throw new UnexpectedAnswer('expected a notification with its receiptId, or null');
		}
		return [{ receiptId: queued.receiptId, body: queued.body as IDataObject }];
	},
};
