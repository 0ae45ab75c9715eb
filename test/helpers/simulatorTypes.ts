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
	/** The request is carried out first (a message queued and later sent), then the fault: sandbox/simulator.js's Fault. */
	accepted?: boolean;
	/** Only a request of this method takes the fault. */
	method?: string;
}
