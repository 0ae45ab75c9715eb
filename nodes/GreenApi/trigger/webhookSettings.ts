/**
 * What the webhook trigger writes to an instance's settings, decided from what the instance has
 * now. Every setSettings reboots the instance, so nothing is written that is already so, and a
 * webhook URL that belongs to someone else is never overwritten unless the user says so.
 */
import type { InstanceSettings } from '../api/settings/getSettings';

/** This trigger's side: where GREEN-API should send, which switches on, and whether the instance's token is this trigger's secret. */
export interface WebhookTarget {
	url: string;
	switches: string[];
	tokenIsOurs: boolean;
}

export type ActivationPlan =
	/** The instance already sends the chosen events here with this trigger's secret: write nothing. */
	| { kind: 'inPlace' }
	/**
	 * Write these settings (and only these), plus the trigger's secret as webhookUrlToken when
	 * `writeToken`; `switchedOn` lists the switches this turns on.
	 */
	| { kind: 'write'; settings: Record<string, string>; writeToken: boolean; switchedOn: string[] }
	/** The instance sends to another URL: refuse, saying where. */
	| { kind: 'refuse'; message: string; hint: string };

export function planActivation(current: InstanceSettings, target: WebhookTarget, replaceExisting: boolean): ActivationPlan {
	const missing = target.switches.filter((name) => current[name] !== 'yes');
	const urlIsOurs = current.webhookUrl === target.url;
	if (urlIsOurs && target.tokenIsOurs && missing.length === 0) return { kind: 'inPlace' };
	if (current.webhookUrl !== '' && !urlIsOurs && !replaceExisting) {
		return {
			kind: 'refuse',
			message: `The GREEN-API instance already sends its notifications to ${hostOf(current.webhookUrl)}, not to this trigger.`,
			hint:
				'Another system (or another workflow) may rely on that webhook URL. Clear it in the GREEN-API console (or in that system), use another instance, ' +
				'switch this trigger to Receive By: Polling, or turn on Options → Replace an Existing Webhook URL to take it over.',
		};
	}
	const settings: Record<string, string> = {};
	if (!urlIsOurs) settings.webhookUrl = target.url;
	for (const name of missing) settings[name] = 'yes';
	return { kind: 'write', settings, writeToken: !urlIsOurs || !target.tokenIsOurs, switchedOn: missing };
}

/**
 * On deactivation: clear the URL and token if they are still this trigger's, and turn off the
 * switches it turned on; nothing when someone else has taken the instance over since.
 */
export function planDeactivation(current: InstanceSettings, target: Omit<WebhookTarget, 'switches'>, switchedOn: string[]): Record<string, string> | undefined {
	if (current.webhookUrl !== target.url || !target.tokenIsOurs) return undefined;
	const settings: Record<string, string> = { webhookUrl: '', webhookUrlToken: '' };
	for (const name of switchedOn) if (current[name] === 'yes') settings[name] = 'no';
	return settings;
}

/** Only the scheme and host of a URL someone else set: enough to recognise it, nothing of its path. */
export function hostOf(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return 'an address that is not a URL';
	}
}
