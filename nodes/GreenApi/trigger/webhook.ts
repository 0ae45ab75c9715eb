/**
 * Receive By: Webhook. Activation sets the instance to send here (see webhookSettings.ts for what
 * is written and when); each delivery must carry the trigger's secret, and is answered within
 * seconds: 401 without the secret; 200 and nothing started for a body that is no notification,
 * another instance's notification, a copy of one already handled (onceOnly.ts) or one the events
 * and filters leave out. Nothing in a notification's content makes it answer otherwise: GREEN-API
 * would resend it for a day.
 */
import { sleep, type IDataObject, type IHookFunctions, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';

import { getSettings, type InstanceSettings } from '../api/settings/getSettings';
import { setSettings } from '../api/settings/setSettings';
import { sameSecret } from '../transport/secrets';
import { POLLING, WEBHOOK } from './description';
import { switchesFor } from './events';
import { itemsFor, readTriggerParameters, type TriggerParameters } from './handling';
import { instanceFromCredential, CREDENTIAL_REUSE_MS, triggerError, type Instance } from './instance';
import { notifiedInstance } from './notification';
import { claim, notificationKey } from './onceOnly';
import { hasCursor, startCursor } from './polling';
import { handToTestFetch, testFetchKey } from './testFetch';
import { planActivation, planDeactivation, type WebhookTarget } from './webhookSettings';

/** What the trigger keeps in the workflow's static data, per node (not the secret: it is derived, never stored). */
interface WebhookState extends IDataObject {
	/** Switches this trigger turned on, to turn off again on deactivation. */
	switchedOn?: string[];
}

function parameters(functions: IHookFunctions | IWebhookFunctions): TriggerParameters {
	const read = readTriggerParameters((name, fallback) => functions.getNodeParameter(name, fallback));
	if ('problem' in read) throw triggerError(functions.getNode(), read.problem, read.hint);
	return read;
}

function state(functions: IHookFunctions | IWebhookFunctions): WebhookState {
	return functions.getWorkflowStaticData('node') as WebhookState;
}

async function currentSettings(instance: Instance) {
	const [settings] = await instance.call(getSettings);
	return settings;
}

/** Where GREEN-API should send (this node's webhook URL), which switches on, and whether the instance's token is this trigger's secret. */
async function target(functions: IHookFunctions, instance: Instance, settings: InstanceSettings, events: string[]): Promise<WebhookTarget> {
	return {
		url: functions.getNodeWebhookUrl('default') ?? '',
		switches: switchesFor(events),
		tokenIsOurs: sameSecret(settings.webhookUrlToken, await instance.webhookSecret()),
	};
}

/**
 * n8n republishes a workflow (a filter edited, say) as an unpublish followed by a publish. Clearing
 * the instance's settings at the unpublish and writing them again at the publish would restart the
 * instance twice for nothing (and could leave it with no URL while its settings apply), so the
 * clear waits this long, and a publish of the same trigger meanwhile cancels it.
 */
export const CLEAR_DELAY_MS = 5000;

/** Clears waiting out CLEAR_DELAY_MS in this process, by instance and webhook URL; with the switches they would turn off. */
const pendingClears = new Map<string, { switchedOn: string[] }>();

/** Cancels a clear of this trigger's settings still waiting (a republish): what it would have turned off stays this trigger's. */
function cancelPendingClear(functions: IHookFunctions, instance: Instance): void {
	const key = `${instance.idInstance}|${functions.getNodeWebhookUrl('default') ?? ''}`;
	const pending = pendingClears.get(key);
	if (!pending) return;
	// The waiting clear finds itself gone from the map, and does nothing.
	pendingClears.delete(key);
	const kept = state(functions);
	kept.switchedOn = [...new Set([...(kept.switchedOn ?? []), ...pending.switchedOn])];
}

export const webhookMethods = {
	default: {
		/** True when nothing needs writing: polling, or the instance already sends the chosen events here with this token. */
		async checkExists(this: IHookFunctions): Promise<boolean> {
			const chosen = parameters(this);
			// Polling writes nothing to the instance: activating it only starts the journal cursor (see create).
			if (chosen.receiveBy === POLLING) return hasCursor(state(this));
			const instance = await instanceFromCredential(this);
			cancelPendingClear(this, instance);
			const settings = await currentSettings(instance);
			return planActivation(settings, await target(this, instance, settings, chosen.events), chosen.replaceWebhookUrl).kind === 'inPlace';
		},

		async create(this: IHookFunctions): Promise<boolean> {
			const chosen = parameters(this);
			if (chosen.receiveBy === POLLING) {
				// Saved by n8n with the activation: polls read from here on, also after a restart of n8n.
				startCursor(state(this));
				return true;
			}
			const instance = await instanceFromCredential(this);
			cancelPendingClear(this, instance);
			const settings = await currentSettings(instance);
			const plan = planActivation(settings, await target(this, instance, settings, chosen.events), chosen.replaceWebhookUrl);
			if (plan.kind === 'refuse') throw triggerError(this.getNode(), plan.message, plan.hint);
			if (plan.kind === 'write') {
				await instance.call(setSettings, plan.writeToken ? { ...plan.settings, webhookUrlToken: await instance.webhookSecret() } : plan.settings);
				const kept = state(this);
				kept.switchedOn = [...new Set([...(kept.switchedOn ?? []), ...plan.switchedOn])];
			}
			return true;
		},

		async delete(this: IHookFunctions): Promise<boolean> {
			const kept = state(this);
			// Only Receive By: a filter edited since activation must not keep the trigger from clearing up.
			if (this.getNodeParameter('receiveBy', WEBHOOK) === POLLING) return true;
			const instance = await instanceFromCredential(this);
			const url = this.getNodeWebhookUrl('default') ?? '';
			const key = `${instance.idInstance}|${url}`;
			const switchedOn = kept.switchedOn ?? [];
			delete kept.switchedOn;
			const secret = await instance.webhookSecret();
			// A newer delete of the same trigger replaces this entry; a publish removes it: either way this clear is off.
			const pending = { switchedOn };
			pendingClears.set(key, pending);
			void sleep(CLEAR_DELAY_MS).then(async () => {
				if (pendingClears.get(key) !== pending) return;
				pendingClears.delete(key);
				await clearSettings(instance, { url, secret }, switchedOn).catch(() => {
					// Nothing to report to: the workflow is unpublished. The instance keeps sending here, and n8n answers 404.
				});
			});
			return true;
		},
	},
};

/** Deactivation's write: clears what is still this trigger's (URL, token, the switches it turned on), nothing else. */
async function clearSettings(instance: Instance, ours: { url: string; secret: string }, switchedOn: string[]): Promise<void> {
	const settings = await currentSettings(instance);
	const clear = planDeactivation(settings, { url: ours.url, tokenIsOurs: sameSecret(settings.webhookUrlToken, ours.secret) }, switchedOn);
	if (clear) await instance.call(setSettings, clear);
}

/** One delivery from GREEN-API. */
export async function receiveWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const arrivedAt = Date.now();
	const answer = (status: number, message: string): IWebhookResponseData => {
		this.getResponseObject().status(status).json({ message });
		return { noWebhookResponse: true };
	};
	const instance = await instanceFromCredential(this, CREDENTIAL_REUSE_MS);
	if (!sameSecret(bearerToken(this.getHeaderData().authorization), await instance.webhookSecret())) return answer(401, 'Unauthorized');
	const body: unknown = this.getBodyData();
	// 200 for all of these, so that GREEN-API does not resend what this workflow will never take.
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return answer(200, 'Ignored: not a GREEN-API notification');
	const notification = body as IDataObject;
	const notified = notifiedInstance(notification);
	if (notified !== '' && notified !== instance.idInstance) return answer(200, 'Ignored: a notification for another instance');
	const delivery = await claim(`${this.getWorkflow().id ?? ''}|${this.getNode().id}|${this.getMode()}`, notificationKey(notification));
	if (delivery.copy) return answer(200, 'Ignored: already received (GREEN-API delivered it again)');
	let handled = false;
	try {
		const items = await itemsFor([notification], parameters(this), instance.archiveLookup, arrivedAt);
		handled = true;
		if (items.length === 0) return answer(200, 'Ignored: not a chosen event, or left out by the filters');
		// A delivery to the test webhook while "Fetch Test Event" waits: the editor shows it from there.
		if (this.getMode() === 'manual' && handToTestFetch(testFetchKey(this), items)) return answer(200, 'Handed to the test fetch');
		return { workflowData: [items.map((json) => ({ json }))] };
	} finally {
		delivery.done(handled);
	}
}

/** GREEN-API sends the webhookUrlToken as `Authorization: Bearer <token>`; the bare token is taken too. */
function bearerToken(header: unknown): string {
	return typeof header === 'string' ? header.replace(/^Bearer\s+/i, '') : '';
}
