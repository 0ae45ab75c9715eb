// @ts-check
/**
 * n8n in queue mode on this machine, for `npm run test:queue`: PostgreSQL and Redis on loopback
 * (used when they answer, otherwise started, and installed from Debian's packages if missing),
 * a database of its own, and the n8n processes (one main, several workers) sharing one user
 * folder with this package installed, as a scaled-out n8n runs it.
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const app = require('./n8n-app');
const { waitUntil } = require('./waitUntil');

const PG = { host: '127.0.0.1', port: 5432, user: 'n8n', password: 'n8n' };
const REDIS = { host: '127.0.0.1', port: 6379 };

/**
 * Sends `line` to host:port and resolves with the first answer, or undefined when nothing answers.
 * @param {string} host @param {number} port @param {string} line
 * @returns {Promise<string | undefined>}
 */
function ask(host, port, line, timeoutMs = 2000) {
	return new Promise((resolve) => {
		const socket = net.connect({ host, port });
		const done = (/** @type {string | undefined} */ answer) => {
			socket.destroy();
			resolve(answer);
		};
		socket.setTimeout(timeoutMs, () => done(undefined));
		socket.on('error', () => done(undefined));
		socket.on('connect', () => (line ? socket.write(line) : done('')));
		socket.on('data', (data) => done(data.toString()));
	});
}

function sh(/** @type {string} */ command, /** @type {string[]} */ args) {
	return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function has(/** @type {string} */ command) {
	try {
		sh('sh', ['-c', `command -v ${command}`]);
		return true;
	} catch {
		return false;
	}
}

function aptInstall(/** @type {string} */ pkg) {
	console.log(`Installing ${pkg} from Debian's packages…`);
	sh('apt-get', ['update', '-qq']);
	sh('env', ['DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', pkg]);
}

/** Redis on 127.0.0.1:6379: used when it answers PING, otherwise started (and installed). */
async function ensureRedis() {
	const answers = async () => (await ask(REDIS.host, REDIS.port, 'PING\r\n'))?.startsWith('+PONG') ?? false;
	if (await answers()) return;
	if (!has('redis-server')) aptInstall('redis-server');
	sh('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(REDIS.port), '--save', '', '--appendonly', 'no']);
	await waitUntil(answers, { timeoutMs: 20000, what: 'Redis did not come up' });
}

/** PostgreSQL on 127.0.0.1:5432: used when it accepts connections, otherwise started (and installed). */
async function ensurePostgres() {
	const answers = async () => (await ask(PG.host, PG.port, '')) !== undefined;
	if (!(await answers())) {
		if (!has('pg_ctlcluster')) aptInstall('postgresql');
		const version = fs.readdirSync('/etc/postgresql').sort().pop() ?? '';
		sh('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']);
		await waitUntil(answers, { timeoutMs: 30000, what: 'PostgreSQL did not come up' });
	}
}

/** psql as the database superuser over the local socket (peer authentication, as root); SQL on stdin. */
const PSQL = (/** @type {string} */ database) => ['postgres', '-c', `psql -v ON_ERROR_STOP=1 -qtA -F '|' -d ${database}`];

function psql(/** @type {string} */ sql, database = 'postgres') {
	return execFileSync('su', PSQL(database), { encoding: 'utf8', input: sql, stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * The same without blocking this process (a sandbox served from it must keep answering): rows
 * of '|'-separated columns.
 * @returns {Promise<string[][]>}
 */
async function query(/** @type {string} */ sql, /** @type {string} */ database) {
	const { stdout } = await app.run('su', PSQL(database), { input: sql });
	return stdout
		.trim()
		.split('\n')
		.filter(Boolean)
		.map((line) => line.split('|'));
}

/** A fresh database owned by the n8n role (created with a password, so TCP logins work under any pg_hba). */
function createDatabase(/** @type {string} */ name) {
	psql(`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${PG.user}') THEN CREATE ROLE ${PG.user} LOGIN SUPERUSER PASSWORD '${PG.password}'; END IF; END $$;`);
	psql(`DROP DATABASE IF EXISTS ${name}`);
	psql(`CREATE DATABASE ${name} OWNER ${PG.user}`);
}

function dropDatabase(/** @type {string} */ name) {
	try {
		psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
	} catch {
		// Left for the next run's DROP.
	}
}

/** What every n8n process of one queue-mode setup shares. */
function queueEnv(/** @type {string} */ database, /** @type {string} */ prefix) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: REDIS.host,
		QUEUE_BULL_REDIS_PORT: String(REDIS.port),
		QUEUE_BULL_PREFIX: prefix,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: PG.host,
		DB_POSTGRESDB_PORT: String(PG.port),
		DB_POSTGRESDB_DATABASE: database,
		DB_POSTGRESDB_USER: PG.user,
		DB_POSTGRESDB_PASSWORD: PG.password,
		N8N_LOG_LEVEL: 'info',
	};
}

/**
 * Starts an n8n process (`start` for the main, `worker` for a worker) writing to `logFile`.
 * @returns {{ child: import('node:child_process').ChildProcess, log: () => string }}
 */
function startN8n(/** @type {string} */ userFolder, /** @type {string[]} */ args, /** @type {Record<string, string>} */ env, /** @type {string} */ logFile) {
	const fd = fs.openSync(logFile, 'a');
	const child = spawn(app.bin, args, { env: app.n8nEnv(userFolder, env), stdio: ['ignore', fd, fd] });
	fs.closeSync(fd);
	return { child, log: () => fs.readFileSync(logFile, 'utf8') };
}

/** Everything a queue-mode test needs before n8n starts: n8n installed, PostgreSQL and Redis up, a fresh database. */
async function prepareQueueMode(/** @type {string} */ database) {
	await app.ensureN8n();
	await ensurePostgres();
	await ensureRedis();
	createDatabase(database);
}

/** A free TCP port on loopback. @returns {Promise<number>} */
async function freePort() {
	return await new Promise((resolve) => {
		const server = net.createServer().listen(0, '127.0.0.1', () => {
			const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
			server.close(() => resolve(port));
		});
	});
}

const tail = (/** @type {string} */ text) => text.slice(-3000);

/**
 * A queue-mode n8n on `userFolder`: one main process (editor, REST, webhooks) on a free port and
 * `workers` worker processes running `concurrency` executions each; resolves once all are ready.
 * `mainEnv` adds to the main process's environment (N8N_WEBHOOK_URL, say). Logs go to the user folder.
 * @param {string} userFolder @param {Record<string, string>} env
 * @param {{ workers: number, concurrency: number, mainEnv?: (port: number) => Record<string, string> }} options
 */
async function startQueueMode(userFolder, env, { workers: count, concurrency, mainEnv = () => ({}) }) {
	const port = await freePort();
	const main = startN8n(userFolder, ['start'], { ...env, N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...mainEnv(port) }, `${userFolder}/main.log`);
	const processes = [main];
	const stop = async () => {
		for (const { child } of processes) child.kill('SIGTERM');
		await Promise.all(processes.map(async ({ child }) => child.exitCode === null && (await new Promise((resolve) => child.once('exit', resolve)))));
	};
	try {
		await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/healthz/readiness`).catch(() => undefined))?.status === 200, {
			timeoutMs: 180000,
			what: 'The n8n main process did not become ready',
			detail: () => tail(main.log()),
		});
		const workers = [];
		for (let i = 0; i < count; i++) {
			const worker = startN8n(
				userFolder,
				['worker', `--concurrency=${concurrency}`],
				{ ...env, QUEUE_HEALTH_CHECK_ACTIVE: 'false', N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
				`${userFolder}/worker-${i + 1}.log`,
			);
			workers.push(worker);
			processes.push(worker);
		}
		for (const [i, worker] of workers.entries()) {
			await waitUntil(() => /worker is now ready/i.test(worker.log()), { timeoutMs: 180000, what: `Worker ${i + 1} did not become ready`, detail: () => tail(worker.log()) });
		}
		return { port, main, workers, processes, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

/**
 * One queue-mode test's n8n, whole: a database of its own (`n8n_green_api_<name>_<pid>`), the packed
 * package installed in a fresh user folder, `workflows` imported against the sandbox and `publish`
 * published, then startQueueMode. `close()` stops it, drops the database and removes the folder
 * (kept, with its logs, when KEEP_QUEUE_LOGS is set); a setup that fails undoes what it made.
 * @param {string} name
 * @param {{ sandbox: import('./n8n-app').Sandbox, workflows: object[], publish: string[], workers: number, concurrency: number,
 *   env?: Record<string, string>, mainEnv?: (port: number) => Record<string, string> }} options
 */
async function startQueueCluster(name, { sandbox, workflows, publish, workers, concurrency, env: extraEnv = {}, mainEnv }) {
	const database = `n8n_green_api_${name}_${process.pid}`;
	const env = { ...queueEnv(database, `green-api-${name}-${process.pid}`), ...extraEnv };
	await prepareQueueMode(database);
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `green-api-${name}-`));
	/** @type {Awaited<ReturnType<typeof startQueueMode>> | undefined} */
	let started;
	const close = async () => {
		await started?.stop();
		dropDatabase(database);
		if (process.env.KEEP_QUEUE_LOGS === undefined) fs.rmSync(userFolder, { recursive: true, force: true });
	};
	try {
		await app.installPackage(userFolder, await app.packPackage(path.join(userFolder, 'pack')));
		await app.importFixtures(userFolder, sandbox, workflows, env);
		for (const id of publish) await app.n8n(userFolder, ['publish:workflow', `--id=${id}`], env);
		started = await startQueueMode(userFolder, env, { workers, concurrency, mainEnv });
	} catch (error) {
		await close();
		throw error;
	}
	/** SQL against the cluster's database, without blocking this process (the sandbox may be served from it). */
	const sql = async (/** @type {string} */ text) => await query(text, database);
	return { ...started, sql, close };
}

module.exports = { createDatabase, dropDatabase, ensurePostgres, ensureRedis, prepareQueueMode, query, queueEnv, startN8n, startQueueCluster, startQueueMode, tail };
