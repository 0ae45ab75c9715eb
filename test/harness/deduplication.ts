/**
 * n8n's deduplication store as n8n 2.41 and 1.123 implement it (packages/cli deduplication-helper,
 * 'entries' mode), in memory, for in-process runs: one row per workflow (and node), read, changed
 * in memory and written back whole with no lock; a new row's first write collides with another's on
 * its primary key; the same item twice in one call is "new" twice when the row is new; maxEntries
 * keeps the newest. Each read and write waits a turn of the event loop, as a database round trip
 * does, so the races n8n's store has show here too.
 */
import type { DeduplicationItemTypes, DeduplicationScope, ICheckProcessedContextData, ICheckProcessedOptions, IDataDeduplicator, IDeduplicationOutput } from 'n8n-workflow';

interface Row {
	mode: string;
	data: string[];
}

// A database round trip: long enough that executions at the same moment overlap in it, as they do in n8n.
const roundTrip = async () => await new Promise((resolve) => setTimeout(resolve, 5));

export class N8nLikeDeduplicator implements IDataDeduplicator {
	readonly rows = new Map<string, Row>();
	/** Every call, with its options, for checks of what the node asks for. */
	readonly calls: Array<{ method: string; items: DeduplicationItemTypes[]; options: ICheckProcessedOptions }> = [];

	private rowKey(scope: DeduplicationScope, contextData: ICheckProcessedContextData): string {
		if (!contextData.workflow.id) throw new Error('AssertionError: workflow.id'); // n8n asserts it
		return scope === 'node' ? `${contextData.workflow.id}|n:${contextData.node?.id}` : `${contextData.workflow.id}`;
	}

	private async read(key: string): Promise<Row | undefined> {
		await roundTrip();
		const row = this.rows.get(key);
		return row && { mode: row.mode, data: [...row.data] };
	}

	async checkProcessedAndRecord(items: DeduplicationItemTypes[], scope: DeduplicationScope, contextData: ICheckProcessedContextData, options: ICheckProcessedOptions): Promise<IDeduplicationOutput> {
		this.calls.push({ method: 'checkProcessedAndRecord', items, options });
		const key = this.rowKey(scope, contextData);
		const row = await this.read(key);
		const values = items.map(String);
		if (!row) {
			const data = options.maxEntries ? values.slice(-options.maxEntries) : values;
			await roundTrip();
			if (this.rows.has(key)) throw new Error('SQLITE_CONSTRAINT: UNIQUE constraint failed: processed_data.workflowId, processed_data.context');
			this.rows.set(key, { mode: options.mode, data });
			return { new: items, processed: [] };
		}
		const output: IDeduplicationOutput = { new: [], processed: [] };
		items.forEach((item, index) => {
			if (row.data.includes(values[index])) output.processed.push(item);
			else {
				output.new.push(item);
				row.data.push(values[index]);
			}
		});
		if (options.maxEntries) row.data.splice(0, row.data.length - options.maxEntries);
		await roundTrip();
		this.rows.set(key, row);
		return output;
	}

	async removeProcessed(items: DeduplicationItemTypes[], scope: DeduplicationScope, contextData: ICheckProcessedContextData, options: ICheckProcessedOptions): Promise<void> {
		this.calls.push({ method: 'removeProcessed', items, options });
		const key = this.rowKey(scope, contextData);
		const row = await this.read(key);
		if (!row) return;
		row.data = row.data.filter((value) => !items.map(String).includes(value));
		await roundTrip();
		this.rows.set(key, row);
	}

	async clearAllProcessedItems(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<void> {
		this.rows.delete(this.rowKey(scope, contextData));
	}

	async getProcessedDataCount(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<number> {
		return (await this.read(this.rowKey(scope, contextData)))?.data.length ?? 0;
	}
}
