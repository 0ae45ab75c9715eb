/**
 * Cancel on n8n 1.x: n8n-workflow 1.x's sleep takes no abort signal, so a cancelled execution
 * waited out its backoffs (up to 8 s, a Retry-After up to 60 s). With n8n-workflow 1.x loaded (npm
 * alias n8n-workflow-1), a call waiting to retry after a 502 gives up as soon as the run is
 * cancelled, and sends nothing more. Time does not pass in these tests (fake timers): a wait that
 * ignored the signal would never end, and the test would fail at Jest's timeout.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

type Transport = typeof import('../nodes/GreenApi/transport/request');
type Pause = typeof import('../nodes/GreenApi/transport/pause');

let transport: Transport;
let pauseModule: Pause;
beforeAll(() => {
	jest.isolateModules(() => {
		jest.doMock('n8n-workflow', () => jest.requireActual('n8n-workflow-1'));
		transport = require('../nodes/GreenApi/transport/request');
		pauseModule = require('../nodes/GreenApi/transport/pause');
	});
});

const TEN_MINUTES = 600000;

// n8n-workflow 1.x's sleep cannot clear its timer: faked here, so that none outlives a test (the
// waits end by the abort alone, never by time passing).
beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask', 'Date', 'performance', 'hrtime'] }));
afterEach(() => {
	jest.clearAllTimers();
	jest.useRealTimers();
});

describe('with n8n-workflow 1.x', () => {
	it('pause: an abort ends the wait at once', async () => {
		const controller = new AbortController();
		const waiting = pauseModule.pause(TEN_MINUTES, controller.signal);
		controller.abort(new Error('cancelled'));
		await expect(waiting).rejects.toThrow('cancelled');
	});

	it('a call waiting to resend after a 502 gives up when the run is cancelled, and sends nothing more', async () => {
		const sent: IHttpRequestOptions[] = [];
		const controller = new AbortController();
		const http = async (options: IHttpRequestOptions) => {
			sent.push(options);
			// Cancelled while the node waits before its resend (the backoff, a Retry-After of 60 s here).
			setImmediate(() => controller.abort(new Error('cancelled')));
			return { statusCode: 503, body: 'Service Unavailable', headers: { 'retry-after': '60' } };
		};
		const calling = transport.callMethod(
			http,
			{ apiUrl: 'https://1103.api.green-api.com', idInstance: '1101000001', apiTokenInstance: 'd75b3a66374942c5b3c019c698abc2067e151558acbd412345' },
			{ path: 'cancelTest', httpMethod: 'POST', rateLimitPerSecond: 1000, safeToRepeat: true, errors: [] },
			{ chatId: '79001234567@c.us' },
			{ timeoutMs: TEN_MINUTES, maxRetries: 3, requestsPerSecond: 1000, maxThrottledWaitMs: TEN_MINUTES, signal: controller.signal },
		);
		await expect(calling).rejects.toThrow('cancelled');
		expect(sent).toHaveLength(1);
	});
});
