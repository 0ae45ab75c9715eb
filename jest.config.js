/**
 * Every test, as Jest projects under test/. `npm test` runs the fast ones (unit, engine); the slow
 * ones run from their own scripts, which install what they need first: `npm run test:e2e`
 * (e2e), `npm run test:queue` (queue), `npm run test:browser` (browser). Type checking is done
 * once, for every file, by `npm run typecheck` (tsconfig.test.json); ts-jest only transpiles.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] };

/** One project: its name (what --selectProjects takes) and where its tests are; test/harness/timeouts.ts says how long one may take. */
const project = (displayName, testMatch, extra = {}) => ({
	displayName,
	testEnvironment: 'node',
	rootDir: __dirname,
	testMatch: testMatch.map((pattern) => `<rootDir>/test/${pattern}`),
	transform,
	setupFilesAfterEnv: ['<rootDir>/test/harness/timeouts.ts'],
	...extra,
});

module.exports = {
	projects: [
		project('unit', ['*.test.ts'], { testPathIgnorePatterns: ['/test/engine\\.'] }),
		project('engine', ['engine.*.test.ts']),
		project('e2e', ['e2e/*.e2e.test.ts']),
		project('queue', ['queue/*.queue.test.ts']),
		project('browser', ['browser/*.browser.test.ts']),
	],
};
