/** getSettings: the instance's settings — where it sends notifications (webhookUrl, its token) and which. */
import type { IDataObject } from 'n8n-workflow';

import { UnexpectedAnswer, type MethodCall } from './types';

/** The settings the trigger reads and writes; GREEN-API writes its switches as "yes" / "no". */
export interface InstanceSettings extends IDataObject {
	webhookUrl: string;
	webhookUrlToken: string;
}

export const getSettings: MethodCall<InstanceSettings> = {
	path: 'getSettings',
	httpMethod: 'GET',
	rateLimitPerSecond: 1,
	safeToRepeat: true,
	errors: [],
	output: (_request, response) => {
		if (typeof response !== 'object' || response === null || Array.isArray(response)) throw new UnexpectedAnswer("expected the instance's settings");
		const settings = response as IDataObject;
		return [{ ...settings, webhookUrl: String(settings.webhookUrl ?? ''), webhookUrlToken: String(settings.webhookUrlToken ?? '') }];
	},
};
