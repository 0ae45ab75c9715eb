/**
 * "Fetch Test Event", in either mode. It writes nothing to the instance: a settings write restarts
 * it, and pointing it at the test URL would take it from the published workflow. It shows a recent
 * real message instead: the newest one of the last day that the events and filters let through,
 * read from GREEN-API's journals.
 *
 * n8n's editor tests a node that has a webhook by registering its test webhook and waiting for a
 * delivery there. Nothing would ever deliver to the test URL, so the test activation sends that one
 * request itself (with the trigger's secret). The webhook-only trigger (version 3) reads the journals
 * when it takes that delivery; for versions 1 and 2, which can also poll, n8n's manual run calls
 * poll(), which reads them; the Polling Trigger's test is a manual poll. Nothing is handed from the
 * process that took the request, so the test works as well when n8n runs manual executions on
 * queue-mode workers (OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS).
 */
import { sleep, type IDataObject, type IHookFunctions, type INode } from 'n8n-workflow';

import { MAX_JOURNAL_MINUTES } from '../api/journals/journal';
import type { TriggerParameters } from './parameters';
import { triggerError, type Instance } from './instance';
import { itemsFromEntries, journalsFor, readJournals } from './journalEntries';
import type { NotificationItem } from './notification';

/** The body of the request that starts the test run: no notification GREEN-API sends looks like it. */
const TEST_RUN_REQUEST = { greenApiTrigger: 'fetchTestEvent' } as const;
/** The request goes after n8n has finished registering the test webhook (it does so right after checkExists). */
const REQUEST_DELAY_MS = 500;

export function isTestRunRequest(body: IDataObject): boolean {
	return body.greenApiTrigger === TEST_RUN_REQUEST.greenApiTrigger && body.typeWebhook === undefined;
}

/**
 * Starts the editor's test run: one request to this node's test webhook, which n8n is about to
 * listen on. A failure (n8n's own URL not reachable from itself, say) is logged; the editor then
 * waits until its listening times out.
 */
export function requestTestRun(functions: IHookFunctions, secret: string): void {
	const url = functions.getNodeWebhookUrl('default') ?? '';
	void sleep(REQUEST_DELAY_MS)
		.then(async () => {
			await functions.helpers.httpRequest({ method: 'POST', url, body: TEST_RUN_REQUEST, json: true, headers: { Authorization: `Bearer ${secret}` } });
		})
		.catch((error: Error) => {
			functions.logger.warn(`GREEN-API Trigger: Fetch Test Event could not reach this n8n's test webhook URL (${error.message})`);
		});
}

/** The newest message of the last day in the journals that the events and filters let through (at most one item). */
export async function fetchTestEvent(node: INode, chosen: TriggerParameters, instance: Instance): Promise<NotificationItem[]> {
	const journals = journalsFor(node, chosen);
	const journaled = await readJournals(instance, journals, MAX_JOURNAL_MINUTES);
	if (journaled === 'starting') {
		throw triggerError(node, 'The GREEN-API instance is restarting', 'It restarts after a change of its settings; fetch again in a few seconds.');
	}
	const newestFirst = journaled.sort((a, b) => b.timestamp - a.timestamp);
	// All at once: one chat list serves the archive state of every chat.
	const [newest] = await itemsFromEntries(newestFirst, chosen, instance);
	if (newest) return [newest];
	throw triggerError(
		node,
		'No message of the last 24 hours passes the events and filters chosen',
		"Fetch Test Event shows the newest such message from GREEN-API's journals (they hold messages from when the instance's incoming and outgoing message switches were on). Send one to the instance's WhatsApp and fetch again.",
	);
}
