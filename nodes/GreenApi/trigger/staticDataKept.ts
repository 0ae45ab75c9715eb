/**
 * Whether n8n keeps a trigger's static data for its workflow, and saying so when it does not.
 * n8n saves static data only for a workflow ID `isWorkflowIdValid` accepts: at most 16 characters
 * on n8n 1.x (1.123), 21 on 2.x (2.41); it skips a longer ID's save silently. IDs n8n makes are 16;
 * longer ones come from workflows imported with an ID written by hand. Without it, a restart makes
 * the trigger forget the notifications it handled, the switches it turned on and its polling cursor.
 * The editor shows the hints below on every trigger node (n8n evaluates their conditions against
 * the open workflow); activation and the first poll say it in n8n's log.
 */
import type { INode, Logger, NodeHint } from 'n8n-workflow';

export const STATIC_DATA_ID_LIMIT = { n8n1: 16, n8n2: 21 };

// The hints are the same on every trigger version: what is lost is said so that it is true of each (v3 has no polling).
const LOST = 'so after a restart this trigger forgets the notifications it handled, the switches it turned on and, when it polls, where its polling got to';
const FIX = 'Duplicate the workflow (n8n gives the copy an ID it keeps) and use the copy.';
const ID_LENGTH = 'String($workflow.id ?? "").length';

/** The editor's warnings: one for every line, one for n8n 1.x alone (2.x keeps IDs up to 21 characters). */
export const STATIC_DATA_HINTS: NodeHint[] = [
	{
		message: `n8n keeps no static data for this workflow: its ID is longer than ${STATIC_DATA_ID_LIMIT.n8n2} characters (${STATIC_DATA_ID_LIMIT.n8n1} on n8n 1.x), ${LOST}. ${FIX}`,
		type: 'warning',
		location: 'ndv',
		whenToDisplay: 'always',
		displayCondition: `={{ ${ID_LENGTH} > ${STATIC_DATA_ID_LIMIT.n8n2} }}`,
	},
	{
		message: `On n8n 1.x, n8n keeps no static data for this workflow: its ID is longer than ${STATIC_DATA_ID_LIMIT.n8n1} characters, ${LOST}. ${FIX} (n8n 2.x keeps it.)`,
		type: 'warning',
		location: 'ndv',
		whenToDisplay: 'always',
		displayCondition: `={{ ${ID_LENGTH} > ${STATIC_DATA_ID_LIMIT.n8n1} && ${ID_LENGTH} <= ${STATIC_DATA_ID_LIMIT.n8n2} }}`,
	},
];

/** Workflows whose warning a poll has logged in this process (a poll may run every minute; once is enough). */
const warnedByPoll = new Set<string>();

/** Says in n8n's log when n8n will not keep the trigger's static data: at each activation, and at a workflow's first poll in this process. */
export function warnIfStaticDataIsNotKept(functions: { getWorkflow(): { id?: string }; getNode(): INode; logger: Logger }, by: 'activation' | 'poll'): void {
	const id = functions.getWorkflow().id ?? '';
	if (id.length <= STATIC_DATA_ID_LIMIT.n8n1) return;
	if (by === 'poll') {
		if (warnedByPoll.has(id)) return;
		warnedByPoll.add(id);
	}
	const lines = id.length > STATIC_DATA_ID_LIMIT.n8n2 ? 'n8n' : 'n8n 1.x';
	functions.logger.warn(
		`GREEN-API Trigger: ${lines} keeps no static data for workflow "${id}" (its ID has ${id.length} characters; n8n 1.x keeps it for IDs of up to ${STATIC_DATA_ID_LIMIT.n8n1}, 2.x up to ${STATIC_DATA_ID_LIMIT.n8n2}), ${LOST}. ${FIX}`,
		{ workflowId: id, node: functions.getNode().name },
	);
}
