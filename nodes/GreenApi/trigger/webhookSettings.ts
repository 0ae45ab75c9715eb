/**
 * What the webhook trigger writes to an instance's settings, decided from what the instance has
 * now. Every setSettings reboots the instance, so nothing is written that is already so, and a
 * webhook URL that belongs to someone else is never overwritten unless the user says so.
 */
import type { InstanceSettings } from '../api/getSettings';

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

/** The query parameter that names the workflow in the URL the trigger writes: n8n routes by path alone, so it changes nothing there. */
const WORKFLOW_PARAMETER = 'workflow';

/**
 * The URL the trigger has the instance send to: the node's webhook URL, marked with its workflow's
 * ID, so that another workflow finding the instance taken can say which workflow took it.
 */
export function workflowWebhookUrl(nodeWebhookUrl: string, workflowId: string): string {
	if (nodeWebhookUrl === '' || workflowId === '') return nodeWebhookUrl;
	return `${nodeWebhookUrl}?${WORKFLOW_PARAMETER}=${encodeURIComponent(workflowId)}`;
}

/** Who a webhook URL that is not this trigger's belongs to, as far as the URL tells: another workflow of this n8n, or a host. */
export function ownerOf(otherUrl: string, ourUrl: string): string {
	try {
		const other = new URL(otherUrl);
		const workflowId = other.searchParams.get(WORKFLOW_PARAMETER);
		if (workflowId && other.origin === new URL(ourUrl).origin) return `another workflow on this n8n: ${other.origin}/workflow/${encodeURIComponent(workflowId)}`;
	} catch {
		// Not a URL: said below without it.
	}
	return hostOf(otherUrl);
}

export function planActivation(current: InstanceSettings, target: WebhookTarget, replaceExisting: boolean): ActivationPlan {
	const missing = target.switches.filter((name) => current[name] !== 'yes');
	const urlIsOurs = current.webhookUrl === target.url;
	if (urlIsOurs && target.tokenIsOurs && missing.length === 0) return { kind: 'inPlace' };
	if (current.webhookUrl !== '' && !urlIsOurs && !replaceExisting) {
		return {
			kind: 'refuse',
			message: `The GREEN-API instance already sends its notifications to ${ownerOf(current.webhookUrl, target.url)}, not to this trigger.`,
			hint:
				'An instance sends to one URL, and another system or workflow relies on that one. Unpublish that workflow (or clear the URL in the GREEN-API console or in that system), ' +
				'use another instance, poll instead (the GREEN-API Polling Trigger: any number of workflows can poll one instance), ' +
				'or turn on Options → Replace an Existing Webhook URL to take it over.',
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
