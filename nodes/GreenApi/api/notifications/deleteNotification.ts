/** deleteNotification: removes a received notification from the instance's queue, by its receipt ID. */
import type { MethodCall } from '../types';

export const deleteNotification: MethodCall<{ deleted: boolean }> = {
	path: 'deleteNotification',
	httpMethod: 'DELETE',
	pathField: 'receiptId',
	rateLimitPerSecond: 100,
	safeToRepeat: true,
	errors: [],
	output: (_request, response) => [{ deleted: (response as { result?: unknown } | undefined)?.result === true }],
};
