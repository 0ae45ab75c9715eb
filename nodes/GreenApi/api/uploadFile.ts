/**
 * uploadFile: a file's bytes to the instance's media host → a URL GREEN-API keeps 15 days, which
 * sendFileByUrl then sends. Safe to repeat: an upload sends nothing to anyone (the transport may
 * resend it after a timeout). GREEN-API recommends it for one file to many chats.
 */
import { UnexpectedAnswer, type MethodCall } from './types';

/** GREEN-API's largest file. */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;

export const uploadFile: MethodCall<{ urlFile: string }> = {
	path: 'uploadFile',
	httpMethod: 'POST',
	host: 'media',
	body: 'bytes',
	// 100 MB over a slow line: an upload is given at least 10 minutes whatever Options → Timeout says.
	minTimeoutMs: 600000,
	// Not in GREEN-API's table of limits; paced as its send methods are, 50 a second.
	rateLimitPerSecond: 50,
	safeToRepeat: true,
	errors: [],
	output: (_request, response) => {
		const urlFile = (response as { urlFile?: unknown } | undefined)?.urlFile;
		if (typeof urlFile !== 'string' || urlFile === '') throw new UnexpectedAnswer('expected { "urlFile": "…" }');
		return [{ urlFile }];
	},
};
