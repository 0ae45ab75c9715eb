/**
 * The trigger's activation and deactivation (n8n's webhookMethods). Receive By: Webhook points the
 * instance at this workflow, writing only what is not already so (webhookSettings.ts decides);
 * Receive By: Polling only starts its journal cursor; a test in the editor (Fetch Test Event)
 * writes nothing in either mode (testFetch.ts).
 * Activations of one instance take turns and see each other's writes (instanceSettings.ts), so two
 * workflows published at the same moment cannot both take an empty URL.
 */
import { sleep, type IDataObject, type IHookFunctions } from 'n8n-workflow';

import type { InstanceSettings } from '../api/getSettings';
import { sameSecret } from '../transport/webhookSecret';
import { POLLING, WEBHOOK } from './description';
import { switchesFor } from './events';
import { triggerParameters } from './parameters';
import { instanceFromCredential, triggerError, type Instance } from './instance';
import { currentSettings, inTurn, writeSettings } from './instanceSettings';
import { hasCursor, startCursor } from './polling';
import { warnIfStaticDataIsNotKept } from './staticDataKept';
import { requestTestRun } from './testFetch';
import { planActivation, planDeactivation, workflowWebhookUrl, type WebhookTarget } from './webhookSettings';

/** What the trigger keeps in the workflow's static data, per node (not the secret: it is derived, never stored). */
interface WebhookState extends IDataObject {
	/** Switches this trigger turned on, to turn off again on deactivation. */
	switchedOn?: string[];
}

function state(functions: IHookFunctions): WebhookState {
	return functions.getWorkflowStaticData('node') as WebhookState;
}

/** The URL this trigger has the instance send to: its webhook, marked with its workflow (see webhookSettings.ts). */
function ourUrl(functions: IHookFunctions): string {
	return workflowWebhookUrl(functions.getNodeWebhookUrl('default') ?? '', functions.getWorkflow().id ?? '');
}

/** Where GREEN-API should send (this workflow's webhook URL), which switches on, and whether the instance's token is this trigger's secret. */
async function target(functions: IHookFunctions, instance: Instance, settings: InstanceSettings, events: string[]): Promise<WebhookTarget> {
	return {
		url: ourUrl(functions),
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
	const key = `${instance.key}|${ourUrl(functions)}`;
	const pending = pendingClears.get(key);
	if (!pending) return;
	// The waiting clear finds itself gone from the map, and does nothing.
	pendingClears.delete(key);
	const kept = state(functions);
	kept.switchedOn = [...new Set([...(kept.switchedOn ?? []), ...pending.switchedOn])];
}

export const webhookMethods = {
	default: {
		/** True when nothing needs writing: a test, polling with its cursor, or the instance already sending the chosen events here with this token. */
		async checkExists(this: IHookFunctions): Promise<boolean> {
			const chosen = triggerParameters(this);
			const instance = await instanceFromCredential(this);
			if (this.getMode() === 'manual') {
				requestTestRun(this, await instance.webhookSecret());
				return true;
			}
			// Polling writes nothing to the instance: activating it only starts the journal cursor (see create).
			if (chosen.receiveBy === POLLING) return hasCursor(state(this));
			cancelPendingClear(this, instance);
			return await inTurn(instance, async () => {
				const settings = await currentSettings(instance);
				return planActivation(settings, await target(this, instance, settings, chosen.events), chosen.replaceWebhookUrl).kind === 'inPlace';
			});
		},

		async create(this: IHookFunctions): Promise<boolean> {
			const chosen = triggerParameters(this);
			if (this.getMode() === 'manual') return true;
			warnIfStaticDataIsNotKept(this, 'activation');
			if (chosen.receiveBy === POLLING) {
				// Saved by n8n with the activation: polls read from here on, also after a restart of n8n.
				startCursor(state(this));
				return true;
			}
			const instance = await instanceFromCredential(this);
			cancelPendingClear(this, instance);
			await inTurn(instance, async () => {
				const settings = await currentSettings(instance);
				const plan = planActivation(settings, await target(this, instance, settings, chosen.events), chosen.replaceWebhookUrl);
				if (plan.kind === 'refuse') throw triggerError(this.getNode(), plan.message, plan.hint);
				if (plan.kind === 'inPlace') return;
				await writeSettings(instance, plan.writeToken ? { ...plan.settings, webhookUrlToken: await instance.webhookSecret() } : plan.settings, settings, 'activation');
				const kept = state(this);
				kept.switchedOn = [...new Set([...(kept.switchedOn ?? []), ...plan.switchedOn])];
			});
			return true;
		},

		async delete(this: IHookFunctions): Promise<boolean> {
			const kept = state(this);
			// Only Receive By: a filter edited since activation must not keep the trigger from clearing up.
			if (this.getNodeParameter('receiveBy', WEBHOOK) === POLLING) return true;
			const instance = await instanceFromCredential(this);
			const url = ourUrl(this);
			const key = `${instance.key}|${url}`;
			const switchedOn = kept.switchedOn ?? [];
			delete kept.switchedOn;
			const secret = await instance.webhookSecret();
			// A newer delete of the same trigger replaces this entry; a publish removes it: either way this clear is off.
			const pending = { switchedOn };
			pendingClears.set(key, pending);
			void sleep(CLEAR_DELAY_MS).then(async () => {
				if (pendingClears.get(key) !== pending) return;
				pendingClears.delete(key);
				await inTurn(instance, async () => await clearSettings(instance, { url, secret }, switchedOn)).catch(() => {
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
	if (clear) await writeSettings(instance, clear, settings, 'clear');
}
