/**
 * One process of the scale-out benchmark (`npm run bench`): stands for one n8n worker. It loads
 * n8n's engine and the node, says it is ready, and on "go" archives its chats through a real
 * workflow run against the shared sandbox instance, then reports what became of them.
 */
import { archiveChat } from '../nodes/GreenApi/actions/chat/archive.operation';
import { withDocumentedLimit } from '../test/helpers/documentedLimit';
import { runGreenApi } from '../test/harness/engine';

interface Go {
	apiUrl: string;
	idInstance: string;
	token: string;
	/** archiveChat's limit on the sandbox for this run (50: standing in for a send method). */
	limit: number;
	chats: Array<{ chatId: string }>;
}

process.on('message', (go: Go) => {
	void (async () => {
		const startedAt = Date.now();
		const result = await withDocumentedLimit(
			archiveChat,
			go.limit,
			async () =>
				await runGreenApi({
					items: go.chats,
					parameters: { resource: 'chat', operation: 'archive', chatId: '={{ $json.chatId }}' },
					credentials: { bench: { apiUrl: go.apiUrl, idInstance: go.idInstance, apiTokenInstance: go.token } },
					onError: 'continueRegularOutput',
				}),
		);
		const archived = result.main.filter((item) => item.json.archived === true).length;
		const errors = result.main.filter((item) => item.json.message).map((item) => (item.json.error as { code?: string })?.code ?? 'error');
		process.send!({ archived, failed: go.chats.length - archived, errors, seconds: (Date.now() - startedAt) / 1000 });
		process.exit(0);
	})();
});
process.send!('ready');
