/**
 * The nodes as n8n's own loader (n8n-core's DirectoryLoader, which n8n runs on a community package)
 * makes them: it adds parameters of its own (Poll Times for a polling node) and codex, icon paths and
 * list-search methods to every version of a versioned node, changing their descriptions in place.
 * What the editor gets must hold each parameter once, for every version.
 */
import path from 'node:path';

import { CustomDirectoryLoader } from 'n8n-core';
import type { INodeType, IVersionedNodeType } from 'n8n-workflow';

const NODE_FOLDER = path.join(__dirname, '..', 'nodes', 'GreenApi');

function load(file: string): INodeType | IVersionedNodeType {
	const loader = new CustomDirectoryLoader(NODE_FOLDER);
	loader.loadNodeFromFile(path.join(NODE_FOLDER, file));
	return Object.values(loader.nodeTypes)[0].type;
}

const versionsOf = (type: INodeType | IVersionedNodeType): Array<[string, INodeType]> =>
	'nodeVersions' in type ? Object.entries(type.nodeVersions).map(([version, node]) => [`version ${version}`, node]) : [['', type]];

describe('the nodes as n8n’s loader makes them', () => {
	it.each(['GreenApi.node.ts', 'GreenApiTrigger.node.ts', 'GreenApiPollingTrigger.node.ts'])('%s: every version holds each top-level parameter once per display condition', (file) => {
		for (const [version, node] of versionsOf(load(file))) {
			// The action node repeats a name per resource (Operation, Chat), each with its own display condition.
			const keys = node.description.properties.map((property) => `${property.name} ${JSON.stringify(property.displayOptions ?? {})}`);
			expect({ version, twice: keys.filter((key, index) => keys.indexOf(key) !== index) }).toEqual({ version, twice: [] });
		}
	});

	it('Poll Times on the trigger’s versions 1 and 2 and on the Polling Trigger, not on version 3', () => {
		const hasPollTimes = (node: INodeType) => node.description.properties.some((property) => property.name === 'pollTimes');
		const trigger = load('GreenApiTrigger.node.ts') as IVersionedNodeType;
		expect([1, 2, 3].map((version) => hasPollTimes(trigger.nodeVersions[version]))).toEqual([true, true, false]);
		expect(hasPollTimes(load('GreenApiPollingTrigger.node.ts') as INodeType)).toBe(true);
	});
});
