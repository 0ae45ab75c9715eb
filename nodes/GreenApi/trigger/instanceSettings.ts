/**
 * An instance's settings as the trigger's activations in this process see them. One instance sends
 * to one URL, so activations of the same instance take turns, and each sees what the one before it
 * wrote even while GREEN-API has not yet applied it (settings apply within up to 5 minutes): of two
 * workflows published at the same moment, the second finds the URL taken and is refused, naming
 * the first. Several n8n main processes (multi-main) are not kept apart by this.
 */
import { getSettings, type InstanceSettings } from '../api/getSettings';
import { setSettings } from '../api/setSettings';
import type { Instance } from './instance';

/** GREEN-API: settings apply within up to 5 minutes, so getSettings may show older values for that long. */
const SETTINGS_APPLY_MS = 5 * 60 * 1000;
/**
 * How long an activation waits for an instance that is restarting (after another activation's
 * settings write, say) to answer getSettings, rather than failing: n8n 1.x does not retry a failed
 * activation.
 */
const RESTART_PATIENCE_MS = 60000;
/** What this process's last activation wrote to each instance's settings, when, and what each field was before. */
const lastWritten = new Map<string, { at: number; written: Record<string, string>; before: Record<string, string> }>();
/** Each instance's activation work in this process, one after another. */
const turns = new Map<string, Promise<unknown>>();

/** Runs `work` when the instance's earlier activation work in this process is done. */
export async function inTurn<Result>(instance: Instance, work: () => Promise<Result>): Promise<Result> {
	const mine = (turns.get(instance.key) ?? Promise.resolve()).then(work);
	const settled = mine.then(
		() => undefined,
		() => undefined,
	);
	turns.set(instance.key, settled);
	void settled.then(() => {
		if (turns.get(instance.key) === settled) turns.delete(instance.key);
	});
	return await mine;
}

/**
 * The instance's settings as they will be: what getSettings shows, except where it still shows the
 * value this process's last activation replaced (GREEN-API has not applied it yet). A value someone
 * else set since is what getSettings shows, and stays theirs.
 */
export async function currentSettings(instance: Instance): Promise<InstanceSettings> {
	const [settings] = await instance.call(getSettings, {}, { restartUntil: Date.now() + RESTART_PATIENCE_MS });
	const last = lastWritten.get(instance.key);
	if (!last || Date.now() - last.at > SETTINGS_APPLY_MS) return settings;
	const pending = Object.entries(last.written).filter(([name]) => settings[name] === last.before[name] && settings[name] !== last.written[name]);
	return { ...settings, ...Object.fromEntries(pending) };
}

/**
 * Writes settings. An activation's write is remembered while GREEN-API may not show it yet, so
 * that the next activation of the instance sees the URL taken; a clear forgets it (what the
 * instance shows after a clear is what a later activation goes by).
 */
export async function writeSettings(instance: Instance, settings: Record<string, string>, current: InstanceSettings, kind: 'activation' | 'clear'): Promise<void> {
	await instance.call(setSettings, settings);
	if (kind === 'clear') {
		lastWritten.delete(instance.key);
		return;
	}
	const before = Object.fromEntries(Object.keys(settings).map((name) => [name, String(current[name] ?? '')]));
	lastWritten.set(instance.key, { at: Date.now(), written: settings, before });
}
