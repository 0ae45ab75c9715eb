/**
 * n8n's deduplication store as n8n 2.41 and 1.123 implement it (packages/cli deduplication-helper,
 * 'entries' mode), in memory, for in-process runs: one row per workflow (and node), read, changed
 * in memory and written back whole with no lock; a new row's first write collides with another's on
 * its primary key; the same item twice in one call is "new" twice (and recorded twice); maxEntries
 * keeps the newest; removing a value removes its first copy. Values are kept as n8n keeps them (an MD5 of each, the row stored as JSON text,
 * parsed on read), so that what a check costs with many keys recorded is n8n's cost. Each read and
 * write waits a round trip (`roundTripMs`), so the races n8n's store has show here too.
 */
import { createHash } from 'node:crypto';

import type { DeduplicationItemTypes, DeduplicationScope, ICheckProcessedContextData, ICheckProcessedOptions, IDataDeduplicator, IDeduplicationOutput } from 'n8n-workflow';

interface Row {
	mode: string;
	data: string[];
}

/** How n8n keeps a value: its MD5, base64 (DeduplicationHelper.createValueHash). */
const hashOf = (value: string) => createHash('md5').update(value).digest('base64');

export class N8nLikeDeduplicator implements IDataDeduplicator {
	/** Each row as the database holds it: JSON text. */
	readonly rows = new Map<string, string>();
	/** A database round trip, each read and each write: long enough by default that executions at the same moment overlap in it, as they do in n8n. */
	roundTripMs = 5;
	/** Every call, with its options, for checks of what the node asks for. */
	readonly calls: Array<{ method: string; items: DeduplicationItemTypes[]; options: ICheckProcessedOptions }> = [];

	private rowKey(scope: DeduplicationScope, contextData: ICheckProcessedContextData): string {
		if (!contextData.workflow.id) throw new Error('AssertionError: workflow.id'); // n8n asserts it
		return scope === 'node' ? `${contextData.workflow.id}|n:${contextData.node?.id}` : `${contextData.workflow.id}`;
	}

	private async roundTrip(): Promise<void> {
		await new Promise((resolve) => setTimeout(resolve, this.roundTripMs));
	}

	private async read(key: string): Promise<Row | undefined> {
		await this.roundTrip();
		const row = this.rows.get(key);
		return row === undefined ? undefined : (JSON.parse(row) as Row);
	}

	private async write(key: string, row: Row): Promise<void> {
		const text = JSON.stringify(row);
		await this.roundTrip();
		this.rows.set(key, text);
	}

	/** Runs `run` with some of this store's methods or settings replaced (a store failing, a slow database), then puts them back. */
	async replaced<Result>(patch: Partial<Pick<N8nLikeDeduplicator, 'checkProcessedAndRecord' | 'removeProcessed' | 'roundTripMs'>>, run: () => Promise<Result>): Promise<Result> {
		const saved = Object.fromEntries(Object.keys(patch).map((name) => [name, this[name as keyof typeof patch]]));
		Object.assign(this, patch);
		try {
			return await run();
		} finally {
			Object.assign(this, saved);
		}
	}

	/** Records `values` as n8n would have, without a round trip: for a history that is already there. */
	prefill(workflowId: string, nodeId: string, values: string[], mode = 'entries'): void {
		this.rows.set(`${workflowId}|n:${nodeId}`, JSON.stringify({ mode, data: values.map(hashOf) }));
	}

	async checkProcessedAndRecord(items: DeduplicationItemTypes[], scope: DeduplicationScope, contextData: ICheckProcessedContextData, options: ICheckProcessedOptions): Promise<IDeduplicationOutput> {
		this.calls.push({ method: 'checkProcessedAndRecord', items, options });
		const key = this.rowKey(scope, contextData);
		const row = await this.read(key);
		const values = items.map((item) => hashOf(String(item)));
		if (!row) {
			const data = options.maxEntries ? values.slice(-options.maxEntries) : values;
			const text = JSON.stringify({ mode: options.mode, data });
			await this.roundTrip();
			if (this.rows.has(key)) throw new Error('SQLITE_CONSTRAINT: UNIQUE constraint failed: processed_data.workflowId, processed_data.context');
			this.rows.set(key, text);
			return { new: items, processed: [] };
		}
		const output: IDeduplicationOutput = { new: [], processed: [] };
		const recorded = new Set(row.data);
		items.forEach((item, index) => {
			if (recorded.has(values[index])) output.processed.push(item);
			else {
				output.new.push(item);
				row.data.push(values[index]);
			}
		});
		if (options.maxEntries) row.data.splice(0, row.data.length - options.maxEntries);
		await this.write(key, row);
		return output;
	}

	async removeProcessed(items: DeduplicationItemTypes[], scope: DeduplicationScope, contextData: ICheckProcessedContextData, options: ICheckProcessedOptions): Promise<void> {
		this.calls.push({ method: 'removeProcessed', items, options });
		const key = this.rowKey(scope, contextData);
		const row = await this.read(key);
		if (!row) return;
		// As n8n does: each value given removes its first copy only.
		for (const item of items) {
			const index = row.data.indexOf(hashOf(String(item)));
			if (index !== -1) row.data.splice(index, 1);
		}
		await this.write(key, row);
	}

	async clearAllProcessedItems(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<void> {
		this.rows.delete(this.rowKey(scope, contextData));
	}

	async getProcessedDataCount(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<number> {
		return (await this.read(this.rowKey(scope, contextData)))?.data.length ?? 0;
	}
}
