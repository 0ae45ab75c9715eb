/** The simulator's scripted-fault shape, for typed test tables. */
export interface Fault {
	status?: number;
	text?: string;
	body?: string;
	headers?: Record<string, string>;
	html?: boolean;
	reset?: 'before' | 'after';
	hang?: boolean;
	delayMs?: number;
}
