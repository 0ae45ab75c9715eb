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
 * Across a restart, the newest KEPT are also written to the node's static data with each handled
 * delivery, and a copy found there starts nothing. Whether that outlives the process is n8n's
 * choice: n8n 1.x loads a webhook workflow's static data per delivery and saves what webhook()
 * wrote (live-webhooks.js); n8n 2.41 saves it only for a delivery that starts no execution
 * (WorkflowRunner.run builds a new Workflow over the same static data, resetting its change flag
 * before the save), so there only the process's memory holds (docs/trigger.md).
 */
import type { IDataObject } from 'n8n-workflow';

import { notifiedInstance } from './notification';

/** Notifications remembered per trigger: at GREEN-API's 50 a second, the last 100 s; about 1 MB at most (docs/benchmarks.md). */
export const REMEMBERED = 5000;

/** Handled notifications kept in static data, newest last: the copies GREEN-API may still send after n8n stopped are those handled just before. */
export const KEPT = 200;

/** The static data's list of handled notifications (none when it holds no list). */
function keptKeys(kept: IDataObject | undefined): string[] {
	const list = kept?.handledNotifications;
	return Array.isArray(list) ? list.filter((key): key is string => typeof key === 'string') : [];
}

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

/**
 * Claims a notification for this delivery; `trigger` names the trigger (workflow, node and mode);
 * `kept` is the node's static data, to read and note handled notifications in (none for a test).
 */
export async function claim(trigger: string, key: string, kept?: IDataObject): Promise<Claim> {
	const remembered = byTrigger.get(trigger) ?? { handled: new Set<string>(), inFlight: new Map<string, Promise<boolean>>() };
	byTrigger.set(trigger, remembered);
	for (;;) {
		if (remembered.handled.has(key) || keptKeys(kept).includes(key)) return { copy: true };
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
				// What n8n loaded, with this process's newest: a save another delivery raced past is mended by this one.
				if (kept) kept.handledNotifications = [...keptKeys(kept).filter((each) => !remembered.handled.has(each)), ...[...remembered.handled].slice(-KEPT)].slice(-KEPT);
			}
			settle(handled);
		},
	};
}
