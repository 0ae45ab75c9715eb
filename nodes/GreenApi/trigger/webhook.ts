/**
 * Receive By: Webhook. Activation sets the instance to send here (see webhookSettings.ts for what
 * is written and when); each delivery must carry the trigger's secret, and is answered within
 * seconds: 401 without the secret, 400 for a body that is no notification, 200 and nothing started
 * for another instance's notification or one the filters leave out.
 */
import { randomString, type IDataObject, type IHookFunctions, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';

import { getSettings } from '../api/settings/getSettings';
import { setSettings } from '../api/settings/setSettings';
import { switchesFor } from './events';
import { itemsFor, readTriggerParameters, type TriggerParameters } from './handling';
import { connect, triggerError, type Instance } from './instance';
import { instanceOf, isNotification } from './notification';
import { planActivation, planDeactivation, type WebhookTarget } from './webhookSettings';
import { POLLING } from './description';

/** What the trigger keeps in the workflow's static data, per node. */
interface WebhookState extends IDataObject {
	/** The secret GREEN-API sends back with each delivery (its webhookUrlToken). */
	webhookSecret?: string;
	/** Switches this trigger turned on, to turn off again on deactivation. */
	switchedOn?: string[];
}

const SECRET_LENGTH = 40;

function parameters(functions: IHookFunctions | IWebhookFunctions): TriggerParameters {
	const read = readTriggerParameters((name, fallback) => functions.getNodeParameter(name, fallback));
	if ('problem' in read) throw triggerError(functions.getNode(), read.problem, read.hint);
	return read;
}

function state(functions: IHookFunctions | IWebhookFunctions): WebhookState {
	return functions.getWorkflowStaticData('node') as WebhookState;
}

/** Where GREEN-API should send, with which token and switches; a secret is made on first use. */
function target(functions: IHookFunctions, chosen: TriggerParameters): WebhookTarget {
	const kept = state(functions);
	kept.webhookSecret ??= randomString(SECRET_LENGTH);
	return { url: functions.getNodeWebhookUrl('default') ?? '', token: kept.webhookSecret, switches: switchesFor(chosen.events) };
}

async function currentSettings(instance: Instance) {
	const [settings] = await instance.call(getSettings);
	return settings;
}

export const webhookMethods = {
	default: {
		/** True when nothing needs writing: polling, or the instance already sends the chosen events here with this token. */
		async checkExists(this: IHookFunctions): Promise<boolean> {
			const chosen = parameters(this);
			if (chosen.receiveBy === POLLING) return true;
			const instance = await connect(this);
			return planActivation(await currentSettings(instance), target(this, chosen), chosen.replaceWebhookUrl).kind === 'inPlace';
		},

		async create(this: IHookFunctions): Promise<boolean> {
			const chosen = parameters(this);
			const instance = await connect(this);
			const plan = planActivation(await currentSettings(instance), target(this, chosen), chosen.replaceWebhookUrl);
			if (plan.kind === 'refuse') throw triggerError(this.getNode(), plan.message, plan.hint);
			if (plan.kind === 'write') {
				await instance.call(setSettings, plan.settings);
				const kept = state(this);
				kept.switchedOn = [...new Set([...(kept.switchedOn ?? []), ...plan.switchedOn])];
			}
			return true;
		},

		async delete(this: IHookFunctions): Promise<boolean> {
			const kept = state(this);
			if (parameters(this).receiveBy === POLLING || !kept.webhookSecret) return true;
			const instance = await connect(this);
			const url = this.getNodeWebhookUrl('default') ?? '';
			const clear = planDeactivation(await currentSettings(instance), { url, token: kept.webhookSecret }, kept.switchedOn ?? []);
			if (clear) await instance.call(setSettings, clear);
			delete kept.switchedOn;
			return true;
		},
	},
};

/** One delivery from GREEN-API. */
export async function receiveWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const arrivedAt = Date.now();
	const answer = (status: number, message: string): IWebhookResponseData => {
		this.getResponseObject().status(status).json({ message });
		return { noWebhookResponse: true };
	};
	const secret = state(this).webhookSecret;
	if (!secret || !carriesSecret(this.getHeaderData().authorization, secret)) return answer(401, 'Unauthorized');
	const body = this.getBodyData();
	if (!isNotification(body)) return answer(400, 'Not a GREEN-API notification');
	const chosen = parameters(this);
	const instance = await connect(this);
	// 200 so that GREEN-API does not resend what this workflow will never take.
	if (instanceOf(body) !== instance.idInstance) return answer(200, 'Ignored: a notification for another instance');
	const items = await itemsFor([body], chosen, instance.archiveLookup, arrivedAt);
	if (items.length === 0) return answer(200, 'Ignored: not a chosen event, or left out by the filters');
	return { workflowData: [items.map((json) => ({ json }))] };
}

/** GREEN-API sends the webhookUrlToken as `Authorization: Bearer <token>`; the bare token is taken too. */
function carriesSecret(header: unknown, secret: string): boolean {
	const value = typeof header === 'string' ? header.replace(/^Bearer\s+/i, '') : '';
	return sameText(value, secret);
}

/** Compares in time that does not depend on where the texts differ. */
function sameText(given: string, expected: string): boolean {
	let difference = given.length ^ expected.length;
	for (let i = 0; i < expected.length; i++) difference |= (given.charCodeAt(i) || 0) ^ expected.charCodeAt(i);
	return difference === 0;
}
