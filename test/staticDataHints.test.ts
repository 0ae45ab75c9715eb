/**
 * The editor's warning on a trigger whose workflow n8n keeps no static data for (an ID too long for
 * the line). The editor decides whether to show a node type's hint by evaluating its
 * displayCondition with n8n-workflow's expression engine against the open workflow
 * (`workflow.expression.getSimpleParameterValue(node, condition, 'internal', {})` in the editor's
 * getNodeHints, n8n 2.41): done here the same way, for every trigger node and version.
 */
import { Workflow, type INode, type NodeHint } from 'n8n-workflow';

import { STATIC_DATA_HINTS } from '../nodes/GreenApi/trigger/staticDataKept';
import { nodeTypes, POLLING_TRIGGER_TYPE, TRIGGER_TYPE } from './harness/engine';

const TRIGGERS: Array<[string, number]> = [
	[TRIGGER_TYPE, 1],
	[TRIGGER_TYPE, 2],
	[TRIGGER_TYPE, 3],
	[POLLING_TRIGGER_TYPE, 1],
];

/** The hints the editor shows for the node in a workflow with this ID, as the editor decides. */
function shownHints(type: string, version: number, workflowId: string): string[] {
	const hints: NodeHint[] = nodeTypes.getByNameAndVersion(type, version).description.hints ?? [];
	const node: INode = { id: 'trigger', name: 'Trigger', type, typeVersion: version, position: [0, 0], parameters: {} };
	const workflow = new Workflow({ id: workflowId, nodes: [node], connections: {}, active: false, nodeTypes });
	return hints
		.filter((hint) => {
			if (!hint.displayCondition) return true;
			const shown = workflow.expression.getSimpleParameterValue(node, hint.displayCondition, 'internal', {});
			// The editor skips a hint whose condition is not a boolean (or 'true').
			return shown === true || shown === 'true';
		})
		.map((hint) => hint.message);
}

const [everyLine, n8n1Only] = STATIC_DATA_HINTS.map((hint) => hint.message);

describe.each(TRIGGERS)('%s version %i in the editor', (type, version) => {
	it('shows no warning for an ID n8n keeps on every line (16 characters, as n8n makes them)', () => {
		expect(shownHints(type, version, 'a1B2c3D4e5F6g7H8')).toEqual([]);
		expect(shownHints(type, version, 'short')).toEqual([]);
	});

	it('warns for n8n 1.x when the ID has 17 to 21 characters', () => {
		expect(shownHints(type, version, 'importedTriggerPoll')).toEqual([n8n1Only]);
		expect(shownHints(type, version, 'x'.repeat(21))).toEqual([n8n1Only]);
		expect(n8n1Only).toMatch(/^On n8n 1\.x, n8n keeps no static data for this workflow: its ID is longer than 16 characters/);
	});

	it('warns for every line when the ID has more than 21 characters', () => {
		expect(shownHints(type, version, 'x'.repeat(22))).toEqual([everyLine]);
		expect(everyLine).toContain('Duplicate the workflow');
	});
});
