/**
 * Receive By: Polling, for an n8n GREEN-API cannot reach. Each poll drains the instance's
 * notification queue — receiveNotification, then deleteNotification for what it handled — up to a
 * bound per poll, within the time n8n gives it. It deletes a notification only once it has been
 * read to the end: emitted, or left out by the chosen events and filters; whatever is left stays
 * queued for the next poll. Delivery is at least once: idMessage and receiptId let a workflow drop
 * repeats.
 */
import { NodeOperationError, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import { deleteNotification } from '../api/notifications/deleteNotification';
import { receiveNotification, RECEIVE_TIMEOUT_S } from '../api/notifications/receiveNotification';
import { getSettings } from '../api/settings/getSettings';
import { POLLING } from './description';
import { itemsFor, readTriggerParameters } from './handling';
import { instanceFromCredential, triggerError } from './instance';
import { nextTestDelivery, testFetchKey, TEST_WAIT_MS } from './testFetch';
import { withFields } from './notification';
import { hostOf } from './webhookSettings';

/** Notifications one poll takes at most; the rest wait for the next poll. */
export const MAX_PER_POLL = 100;
/** How long one receive waits for a notification while the queue is empty. */
const RECEIVE_TIMEOUT = RECEIVE_TIMEOUT_S.min;
/** A poll stops taking more this long before n8n's budget for it runs out. */
const BUDGET_MARGIN_MS = 15000;
/** Without a budget from n8n (older versions), a poll takes at most this long. */
const DEFAULT_BUDGET_MS = 60000;

export async function pollNotifications(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const chosen = readTriggerParameters((name, fallback) => this.getNodeParameter(name, fallback));
	if ('problem' in chosen) throw triggerError(this.getNode(), chosen.problem, chosen.hint);
	// The node has both webhooks and polling: in webhook mode a poll has nothing to do, but a test fetch
	// waits for a delivery to the test webhook (see testFetch.ts).
	if (chosen.receiveBy !== POLLING) {
		if (this.getMode() !== 'manual') return null;
		const waitMs = Math.min(TEST_WAIT_MS, (this.getPollBudgetMs?.() ?? TEST_WAIT_MS + BUDGET_MARGIN_MS) - BUDGET_MARGIN_MS);
		const items = await nextTestDelivery(testFetchKey(this), waitMs);
		return items?.length ? [items.map((json) => ({ json }))] : null;
	}
	const instance = await instanceFromCredential(this);
	const [settings] = await instance.call(getSettings);
	if (settings.webhookUrl !== '') {
		throw triggerError(
			this.getNode(),
			`The GREEN-API instance sends its notifications to ${hostOf(settings.webhookUrl)}, so there is nothing to poll.`,
			"GREEN-API sends notifications either to a webhook URL or to the queue this trigger polls, never both. Clear the instance's webhook URL in the GREEN-API console (if nothing else relies on it), or set this trigger to Receive By: Webhook.",
		);
	}
	// A test fetch shows one notification and leaves it queued for the workflow itself.
	const testFetch = this.getMode() === 'manual';
	const deadline = Date.now() + (this.getPollBudgetMs?.() ?? DEFAULT_BUDGET_MS) - BUDGET_MARGIN_MS;
	const emitted: INodeExecutionData[] = [];
	try {
		for (let taken = 0; taken < MAX_PER_POLL && Date.now() < deadline; taken++) {
			const [queued] = await instance.call(receiveNotification, { receiveTimeout: String(RECEIVE_TIMEOUT) }, { timeoutMs: (RECEIVE_TIMEOUT + 10) * 1000 });
			if (!queued) break;
			const items = await itemsFor([queued.body], chosen, instance.archiveLookup, Date.now());
			emitted.push(...items.map((item) => ({ json: withFields(item, { receiptId: queued.receiptId }) })));
			if (testFetch && items.length) break;
			await instance.call(deleteNotification, { receiptId: String(queued.receiptId) });
		}
	} catch (error) {
		// What was read is handed on (deleted or not: at least once); the failure shows at the next poll if it stays.
		if (!emitted.length) throw new NodeOperationError(this.getNode(), error as Error);
	}
	return emitted.length ? [emitted] : null;
}
