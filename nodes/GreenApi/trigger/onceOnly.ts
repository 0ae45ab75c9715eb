/**
 * Each notification starts the workflow once, however often GREEN-API delivers it. GREEN-API
 * resends a delivery until it is answered 200 (after a timeout, a late answer, a crash between
 * starting the execution and answering), so the same notification can come twice or more.
 *
 * A notification is known by its instance, kind (typeWebhook) and idMessage, and for a status
 * the status too (sent, delivered and read are three notifications); one without idMessage by
 * its time instead. In this n8n process the last REMEMBERED per trigger are remembered, and a
 * copy arriving while the first is still being handled waits for it (then goes on only if the
 * first failed, so that nothing is dropped).
 *
 * Not across a restart: n8n 2.41 gives a webhook trigger no store that outlives the process.
 * Static data written during a delivery that starts an execution is not what n8n keeps (measured
 * on 2.41.1: the keys of such deliveries were gone from the saved static data, those of ignored
 * deliveries were there), so it cannot be relied on, and is not used.
 */
import type { IDataObject } from 'n8n-workflow';

import { notifiedInstance } from './notification';

/** Notifications remembered per trigger: at GREEN-API's 50 a second, the last 100 s; about 1 MB at most (docs/benchmarks.md). */
export const REMEMBERED = 5000;

/** What a notification is known by: two deliveries with the same key are one notification. */
export function notificationKey(notification: IDataObject): string {
	const idMessage = typeof notification.idMessage === 'string' ? notification.idMessage : '';
	const status = typeof notification.status === 'string' ? notification.status : '';
	const parts = [notifiedInstance(notification), String(notification.typeWebhook ?? ''), idMessage, status];
	if (idMessage === '') parts.push(String(notification.timestamp ?? ''), String(notification.stateInstance ?? ''));
	return parts.join('|');
}

interface Remembered {
	/** Keys handled, oldest first (a Set keeps insertion order). */
	handled: Set<string>;
	/** Keys being handled now: resolve to whether they were. */
	inFlight: Map<string, Promise<boolean>>;
}

const byTrigger = new Map<string, Remembered>();

/** A delivery's claim on its notification: a copy of one handled already, or the first, to say when it is done. */
export type Claim = { copy: true } | { copy: false; done(handled: boolean): void };

/** Claims a notification for this delivery; `trigger` names the trigger (workflow, node and mode). */
export async function claim(trigger: string, key: string): Promise<Claim> {
	const remembered = byTrigger.get(trigger) ?? { handled: new Set<string>(), inFlight: new Map<string, Promise<boolean>>() };
	byTrigger.set(trigger, remembered);
	for (;;) {
		if (remembered.handled.has(key)) return { copy: true };
		const first = remembered.inFlight.get(key);
		if (!first) break;
		if (await first) return { copy: true };
	}
	let settle!: (handled: boolean) => void;
	remembered.inFlight.set(key, new Promise<boolean>((resolve) => (settle = resolve)));
	return {
		copy: false,
		done: (handled) => {
			remembered.inFlight.delete(key);
			if (handled) {
				remembered.handled.add(key);
				if (remembered.handled.size > REMEMBERED) remembered.handled.delete(remembered.handled.values().next().value as string);
			}
			settle(handled);
		},
	};
}
