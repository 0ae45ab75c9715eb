/**
 * "Fetch Test Event" in webhook mode. n8n's editor treats a node that can poll as a polling node:
 * its test button registers the node's test webhook and, once a delivery has come to it, runs the
 * node's poll() and shows what that returns. So a delivery to the test webhook is kept here for
 * the test poll, which takes it (or waits for the next one). Both happen in n8n's main process
 * (manual runs and test webhooks never go to queue-mode workers), so an in-process hand-over is
 * enough.
 */
import { sleep, type INode } from 'n8n-workflow';

import type { NotificationItem } from './notification';

/** How long a test fetch waits for a notification to arrive. */
export const TEST_WAIT_MS = 120000;
/** A test delivery no test poll took within this long is stale (the listening has ended). */
const KEPT_MS = 60000;

/** Test polls waiting, and test deliveries not yet taken, by workflow and trigger node. */
const waiting = new Map<string, (items: NotificationItem[]) => void>();
const kept = new Map<string, { items: NotificationItem[]; at: number }>();

/** The workflow and trigger node a test poll and a test delivery have in common. */
export function testFetchKey(functions: { getNode(): INode; getWorkflow(): { id?: string } }): string {
	const node = functions.getNode();
	return `${functions.getWorkflow().id ?? ''}|${node.webhookId ?? node.id}`;
}

/** The test delivery kept for `key`, or the next one within `timeoutMs`; undefined when none comes. */
export async function nextTestDelivery(key: string, timeoutMs: number): Promise<NotificationItem[] | undefined> {
	const delivery = kept.get(key);
	kept.delete(key);
	if (delivery && Date.now() - delivery.at < KEPT_MS) return delivery.items;
	const stopClock = new AbortController();
	const delivered = new Promise<NotificationItem[]>((resolve) => waiting.set(key, resolve));
	try {
		return await Promise.race([delivered, sleep(timeoutMs, stopClock.signal).then(() => undefined, () => undefined)]);
	} finally {
		stopClock.abort();
		waiting.delete(key);
	}
}

/**
 * A delivery to the test webhook: handed to the test poll waiting for `key` (true), or kept for
 * the test poll n8n runs next (false: the delivery then starts n8n's test run as usual).
 */
export function handToTestFetch(key: string, items: NotificationItem[]): boolean {
	const hand = waiting.get(key);
	if (hand) {
		waiting.delete(key);
		hand(items);
		return true;
	}
	kept.set(key, { items, at: Date.now() });
	return false;
}
