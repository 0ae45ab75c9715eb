/**
 * Waiting that a cancelled execution cuts short on every n8n line. n8n-workflow 2.x's `sleep(ms,
 * signal)` rejects when the signal aborts and clears its timer; 1.x's (1.83 … 1.120) takes no
 * signal and waits it out, so a cancelled run sat through its backoffs. The abort is raced here
 * too; on 1.x the timer then runs out unheeded (n8n's rules for community nodes allow no timer of
 * the node's own).
 */
import { sleep } from 'n8n-workflow';

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	if (!signal) return await sleep(ms);
	if (signal.aborted) throw signal.reason;
	let onAbort = (): void => {};
	const aborted = new Promise<never>((_, reject) => {
		onAbort = () => reject(signal.reason);
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([sleep(ms, signal), aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}
