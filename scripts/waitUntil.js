// @ts-check
/**
 * Polls `check` until it holds: the one wait-until loop of the scripts and the suites that wait for
 * services, n8n processes, executions and the sandbox's state. Rejects after `timeoutMs` with
 * `what` (and `detail()`, e.g. a log's tail).
 * @param {() => boolean | Promise<boolean>} check
 * @param {{ timeoutMs: number, what: string, intervalMs?: number, detail?: () => string }} options
 */
async function waitUntil(check, { timeoutMs, what, intervalMs = 500, detail }) {
	const started = Date.now();
	while (!(await check())) {
		if (Date.now() - started > timeoutMs) throw new Error(`${what}: still not so after ${timeoutMs / 1000} s.${detail ? `\n${detail()}` : ''}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

module.exports = { waitUntil };
