/**
 * The node folder's layout, as docs/development.md draws it. The house reads top to bottom:
 *   node files → the nodes' own folders (actions/, methods/, helpers/ | trigger/) → transport/ →
 *   api/ (GREEN-API's methods as data) → errors/, chatInput/
 * and a file imports only from its own layer or below. Neither node reaches into the other's own
 * folders. Every folder is in a layer, so a new one cannot slip by.
 */
import fs from 'node:fs';
import path from 'node:path';

const NODE_FOLDER = path.join(__dirname, '..', 'nodes', 'GreenApi');
const ACTION_FOLDERS = ['actions', 'methods', 'helpers'];
const TRIGGER_FOLDERS = ['trigger'];
/** Shared by both nodes, from the top down. */
const SHARED_LAYERS = [['transport'], ['api'], ['errors', 'chatInput']];
const SHARED = SHARED_LAYERS.flat();
const ACTION_NODE = [...ACTION_FOLDERS.map((folder) => new RegExp(`^${folder}/`)), /^GreenApi\.node$/];
const TRIGGER_NODE = [/^trigger\//, /^GreenApiTrigger\.node$/, /^GreenApiPollingTrigger\.node$/];
const OWN = [...ACTION_NODE, ...TRIGGER_NODE];

/** A module's layer, 0 at the top (the node files), from its path in the node folder. */
function layerOf(modulePath: string): number {
	const folder = modulePath.split('/')[0];
	const shared = SHARED_LAYERS.findIndex((layer) => layer.includes(folder));
	if (shared >= 0) return 2 + shared;
	return [...ACTION_FOLDERS, ...TRIGGER_FOLDERS].includes(folder) ? 1 : 0;
}

function filesUnder(folder: string): string[] {
	return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(folder, entry.name);
		return entry.isDirectory() ? filesUnder(full) : entry.name.endsWith('.ts') ? [full] : [];
	});
}

/** Every relative module a file imports, as a path from the node folder. */
function importsOf(file: string): string[] {
	const source = fs.readFileSync(file, 'utf8');
	return [...source.matchAll(/(?:import|export)[^'"]*from\s+'(\.[^']+)'/g)].map(([, target]) =>
		path
			.relative(NODE_FOLDER, path.resolve(path.dirname(file), target))
			.split(path.sep)
			.join('/'),
	);
}

describe('the node folder', () => {
	const shared = SHARED.flatMap((folder) => filesUnder(path.join(NODE_FOLDER, folder)));

	it('has the shared folders docs/development.md names, with code in them', () => {
		expect(shared.length).toBeGreaterThan(15);
	});

	it('has no folder outside the shared and the nodes’ own', () => {
		const folders = fs
			.readdirSync(NODE_FOLDER, { withFileTypes: true })
			.filter((entry) => entry.isDirectory())
			.map((entry) => entry.name);
		expect(folders.sort()).toEqual([...SHARED, ...ACTION_FOLDERS, ...TRIGGER_FOLDERS].sort());
	});

	const everyFile = filesUnder(NODE_FOLDER).map((file) => path.relative(NODE_FOLDER, file).split(path.sep).join('/'));

	it.each(everyFile)('%s imports nothing from a layer above its own', (file) => {
		const above = importsOf(path.join(NODE_FOLDER, file)).filter((target) => layerOf(target) < layerOf(file));
		expect(above).toEqual([]);
	});

	it('the layer check sees an import from above (transport/ → actions/ is refused)', () => {
		expect(layerOf('transport/request')).toBeGreaterThan(layerOf('actions/router'));
		expect(layerOf('api/types')).toBeGreaterThan(layerOf('transport/call'));
		expect(layerOf('errors/catalogue')).toBeGreaterThan(layerOf('api/types'));
		expect(layerOf('GreenApi.node')).toBe(0);
	});

	it.each(shared.map((file) => path.relative(NODE_FOLDER, file)))('%s imports no file of a node’s own', (file) => {
		const own = importsOf(path.join(NODE_FOLDER, file)).filter((target) => OWN.some((pattern) => pattern.test(target)));
		expect(own).toEqual([]);
	});

	const ownFiles = (folders: string[], ...nodeFiles: string[]) => [...folders.flatMap((folder) => filesUnder(path.join(NODE_FOLDER, folder))), ...nodeFiles.map((nodeFile) => path.join(NODE_FOLDER, nodeFile))];

	it.each(ownFiles(ACTION_FOLDERS, 'GreenApi.node.ts').map((file) => path.relative(NODE_FOLDER, file)))('the action node’s %s imports nothing of the trigger’s', (file) => {
		expect(importsOf(path.join(NODE_FOLDER, file)).filter((target) => TRIGGER_NODE.some((pattern) => pattern.test(target)))).toEqual([]);
	});

	it.each(ownFiles(TRIGGER_FOLDERS, 'GreenApiTrigger.node.ts', 'GreenApiPollingTrigger.node.ts').map((file) => path.relative(NODE_FOLDER, file)))(
		'the trigger’s %s imports nothing of the action node’s',
		(file) => {
			expect(importsOf(path.join(NODE_FOLDER, file)).filter((target) => ACTION_NODE.some((pattern) => pattern.test(target)))).toEqual([]);
		},
	);

	it('the check sees a node’s own file when one is imported', () => {
		expect(importsOf(path.join(NODE_FOLDER, 'GreenApi.node.ts'))).toEqual(expect.arrayContaining(['actions/description', 'actions/router', 'methods/listSearch']));
		expect(importsOf(path.join(NODE_FOLDER, 'GreenApiTrigger.node.ts'))).toEqual(expect.arrayContaining(['trigger/nodeVersions']));
		expect(importsOf(path.join(NODE_FOLDER, 'GreenApiPollingTrigger.node.ts'))).toEqual(expect.arrayContaining(['trigger/description', 'trigger/polling']));
	});
});

describe('imports', () => {
	/** The modules a file needs at run time (`import type` needs nothing), as files. */
	function runtimeImportsOf(file: string): string[] {
		const source = fs.readFileSync(file, 'utf8');
		return [...source.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'(\.[^']+)'/gm)].map(([, target]) => {
			const resolved = path.resolve(path.dirname(file), target);
			return fs.existsSync(`${resolved}.ts`) ? `${resolved}.ts` : path.join(resolved, 'index.ts');
		});
	}

	it('no circle among the node folder’s files at run time (a module would meet another half loaded)', () => {
		const files = filesUnder(NODE_FOLDER);
		const circles: string[] = [];
		const state = new Map<string, 'open' | 'done'>();
		const visit = (file: string, path_: string[]) => {
			state.set(file, 'open');
			for (const next of runtimeImportsOf(file)) {
				if (state.get(next) === 'open') circles.push([...path_.slice(path_.indexOf(next)), next].map((step) => path.relative(NODE_FOLDER, step)).join(' → '));
				else if (!state.has(next)) visit(next, [...path_, next]);
			}
			state.set(file, 'done');
		};
		for (const file of files) if (!state.has(file)) visit(file, [file]);
		expect(circles).toEqual([]);
	});
});
