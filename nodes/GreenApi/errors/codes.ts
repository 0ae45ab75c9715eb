/**
 * Every `error.code` a failure carries: the service's answers the catalogue knows (its rows, and
 * each method's own under api/), what the transport makes when there is no answer, and the
 * node's own. One list, so that a row, a comparison or a failure with a mistyped code does not
 * compile; docs/errors.md shows each (a test checks none is missing there).
 */
export const ERROR_CODES = [
	// Answers GREEN-API documents (errors/catalogue.ts, api/).
	'INSTANCE_STARTING',
	'NOT_AUTHORIZED',
	'INSTANCE_EXPIRED',
	'INSTANCE_DELETED',
	'MALFORMED_JSON',
	'UNAUTHORIZED',
	'FORBIDDEN',
	'NOT_FOUND',
	'RATE_LIMITED',
	'QUOTA_EXCEEDED',
	'CLIENT_CLOSED_REQUEST',
	'WRONG_FIELD_TYPE',
	'BAD_GATEWAY',
	'SERVICE_UNAVAILABLE',
	'GATEWAY_TIMEOUT',
	'SERVER_ERROR',
	'VALIDATION_FAILED',
	'ALREADY_ARCHIVED',
	'ALREADY_UNARCHIVED',
	'NO_MESSAGES_IN_CHAT',
	'CHAT_NOT_FOUND',
	'EMPTY_REQUEST',
	'GROUP_NOT_SUPPORTED',
	// Answers no row documents, and no answer at all (the transport).
	'REQUEST_REJECTED',
	'UNEXPECTED_ANSWER',
	'TIMEOUT',
	'CONNECTION_FAILED',
	'BLOCKED_BY_N8N',
	'MAY_HAVE_HAPPENED',
	'CREDENTIAL_INVALID',
	// The node's own: nothing sent, the run stopped, or a fault of this package.
	'INVALID_INPUT',
	'ONCE_KEY_STORE_FAILED',
	'CANCELLED',
	'NODE_FAULT',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
