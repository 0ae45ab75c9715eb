/**
 * One process of the scale-out benchmark (`npm run bench`): stands for one n8n worker. It loads
 * n8n's engine and the node, says it is ready, and on "go" archives its chats (Chat → Archive,
 * archiveChat) or sends each a text (Message → Send Text, sendMessage) through a real workflow run
 * against the shared sandbox instance, then reports what became of them.
 */
import { archiveChat } from '../nodes/GreenApi/actions/chat/archive.operation';
import { withDocumentedLimit } from '../test/helpers/documentedLimit';
import { runGreenApi } from '../test/harness/engine';

export type ScaleOutMethod = 'archiveChat' | 'sendMessage';

interface Go {
	apiUrl: string;
	idInstance: string;
	token: string;
	method: ScaleOutMethod;
	/** archiveChat's limit on the sandbox for this run (its documented 10, or another it stands in at); sendMessage runs at its documented limit. */
	limit: number;
	chats: Array<{ chatId: string }>;
}

/** The run's parameters and what says an item was done. */
const OPERATIONS: Record<ScaleOutMethod, { parameters: Record<string, unknown>; done: string }> = {
	archiveChat: { parameters: { resource: 'chat', operation: 'archive', chatId: '={{ $json.chatId }}' }, done: 'archived' },
	sendMessage: { parameters: { resource: 'message', operation: 'sendText', chatId: '={{ $json.chatId }}', text: 'Your order has shipped.' }, done: 'sent' },
};

process.on('message', (go: Go) => {
	void (async () => {
		const startedAt = Date.now();
		const { parameters, done } = OPERATIONS[go.method];
		const run = async () =>
			await runGreenApi({
				items: go.chats,
				parameters: parameters as never,
				credentials: { bench: { apiUrl: go.apiUrl, idInstance: go.idInstance, apiTokenInstance: go.token } },
				onError: 'continueRegularOutput',
			});
		const result = go.method === 'archiveChat' ? await withDocumentedLimit(archiveChat, go.limit, run) : await run();
		const succeeded = result.main.filter((item) => item.json[done] === true).length;
		const errors = result.main.filter((item) => item.json.message).map((item) => (item.json.error as { code?: string })?.code ?? 'error');
		process.send!({ done: succeeded, failed: go.chats.length - succeeded, errors, seconds: (Date.now() - startedAt) / 1000 });
		process.exit(0);
	})();
});
process.send!('ready');
