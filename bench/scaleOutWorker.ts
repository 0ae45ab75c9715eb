/**
 * One process of the scale-out benchmark (`npm run bench`): stands for one n8n worker. It loads
 * n8n's engine and the node, says it is ready, and on "go" archives its chats through a real
 * workflow run against the shared sandbox instance, then reports what became of them.
 */
import { runGreenApi } from '../test/harness/engine';

interface Go {
	apiUrl: string;
	idInstance: string;
	token: string;
	chats: Array<{ chatId: string }>;
}

process.on('message', (go: Go) => {
	void (async () => {
		const startedAt = Date.now();
		const result = await runGreenApi({
			items: go.chats,
			parameters: { resource: 'chat', operation: 'archive', chatId: '={{ $json.chatId }}' },
			credentials: { bench: { apiUrl: go.apiUrl, idInstance: go.idInstance, apiTokenInstance: go.token } },
			onError: 'continueRegularOutput',
		});
		const archived = result.main.filter((item) => item.json.archived === true).length;
		const errors = result.main.filter((item) => item.json.message).map((item) => (item.json.error as { code?: string })?.code ?? 'error');
		process.send!({ archived, failed: go.chats.length - archived, errors, seconds: (Date.now() - startedAt) / 1000 });
		process.exit(0);
	})();
});
process.send!('ready');
