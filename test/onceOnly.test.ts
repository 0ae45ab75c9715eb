/**
 * The once-only memory's list in static data (trigger/onceOnly.ts): bounded to the newest KEPT,
 * newest last, and a save that another delivery raced past is mended by the next.
 */
import type { IDataObject } from 'n8n-workflow';

import { claim, KEPT } from '../nodes/GreenApi/trigger/onceOnly';

let triggers = 0;

async function handle(trigger: string, key: string, kept?: IDataObject): Promise<boolean> {
	const delivery = await claim(trigger, key, kept);
	if (delivery.copy) return false;
	delivery.done(true);
	return true;
}

describe('handled notifications kept in static data', () => {
	it(`keeps the newest ${KEPT}, newest last, and a key found there is a copy even in a process that never saw it`, async () => {
		const trigger = `t${++triggers}`;
		const kept: IDataObject = {};
		for (let i = 0; i < KEPT + 50; i++) expect(await handle(trigger, `k${i}`, kept)).toBe(true);
		const list = kept.handledNotifications as string[];
		expect(list).toHaveLength(KEPT);
		expect(list[0]).toBe('k50');
		expect(list.at(-1)).toBe(`k${KEPT + 49}`);
		// Another process (another trigger key: nothing in memory) with what n8n saved.
		const restarted = JSON.parse(JSON.stringify(kept)) as IDataObject;
		expect(await handle(`t${++triggers}`, `k${KEPT + 49}`, restarted)).toBe(false);
		expect(await handle(`t${++triggers}`, 'k0', restarted)).toBe(true);
	});

	it('a save raced past (two deliveries loaded the same static data) is mended by the next delivery', async () => {
		const trigger = `t${++triggers}`;
		const loadedByA: IDataObject = { handledNotifications: ['old'] };
		const loadedByB: IDataObject = { handledNotifications: ['old'] };
		await handle(trigger, 'a', loadedByA);
		await handle(trigger, 'b', loadedByB);
		// n8n saved B's last: A's key is in it too, from this process's memory.
		expect(loadedByB.handledNotifications).toEqual(['old', 'a', 'b']);
	});

	it('a list of the wrong shape (edited by hand) is read as what it holds of keys', async () => {
		const kept: IDataObject = { handledNotifications: ['x', 3, null] as unknown as string[] };
		expect(await handle(`t${++triggers}`, 'x', kept)).toBe(false);
		expect(await handle(`t${++triggers}`, 'y', { handledNotifications: 'nonsense' })).toBe(true);
	});
});
