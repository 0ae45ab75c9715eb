/**
 * How long one test may take, by project (jest.config.js runs this before each test file): the
 * in-process tests a minute, the ones that drive a real n8n five, queue mode (n8n, workers,
 * PostgreSQL, Redis) ten. Here because Jest 29 takes no per-project testTimeout.
 */
const testPath = expect.getState().testPath ?? '';
const TIMEOUTS: Array<[RegExp, number]> = [
	[/[\\/]test[\\/]queue[\\/]/, 600000],
	[/[\\/]test[\\/](e2e|browser)[\\/]/, 300000],
];
jest.setTimeout(TIMEOUTS.find(([folder]) => folder.test(testPath))?.[1] ?? 60000);
