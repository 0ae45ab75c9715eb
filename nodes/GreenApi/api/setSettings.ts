/**
 * setSettings: writes the given settings, and only those. GREEN-API reboots the instance on every
 * call and applies the settings within up to 5 minutes, so the trigger calls it only when
 * something must change.
 */
import type { MethodCall } from './types';

export const setSettings: MethodCall<{ saved: boolean }> = {
	path: 'setSettings',
	httpMethod: 'POST',
	rateLimitPerSecond: 1,
	safeToRepeat: true,
	secretFields: ['webhookUrlToken'],
	errors: [],
	output: (_request, response) => [{ saved: (response as { saveSettings?: unknown } | undefined)?.saveSettings !== false }],
};
