/**
 * A GreenApiError as the error n8n shows: NodeApiError when the service answered (n8n then shows
 * the HTTP code), NodeOperationError when it did not. Built from the catalogue's own sanitised
 * fields only: the raw HTTP error holds the URL, and so the token.
 */
import { LoggerProxy, NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import type { GreenApiError } from './catalogue';

export function toNodeError(node: INode, error: GreenApiError, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error.httpCode === undefined) return new NodeOperationError(node, error.message, { description: error.description, itemIndex });
	return new NodeApiError(node, { message: error.serviceText, httpCode: String(error.httpCode) } as JsonObject, {
		message: error.message,
		description: error.description,
		httpCode: String(error.httpCode),
		itemIndex,
	});
}

/** A success answer without the documented shape (see UnexpectedAnswer): names the method and what was expected. */
export function unexpectedAnswerError(node: INode, methodPath: string, expected: string, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(node, `GREEN-API gave an unexpected answer to ${methodPath}: ${expected}.`, { itemIndex });
}

/**
 * A fault of this package (a bug), not of the input or the service: the item fails with
 * NODE_FAULT, saying so, and the cause goes to n8n's log with its stack. `cause` must already be
 * scrubbed of secrets (the transport does it: it is the one that knows the token).
 */
export function nodeFaultError(node: INode, cause: { message: string; stack?: string }, itemIndex?: number): NodeOperationError {
	LoggerProxy.error(`GREEN-API node: a fault of the node itself on item ${itemIndex ?? '-'}: ${cause.message}`, { node: node.name, stack: cause.stack });
	return new NodeOperationError(node, 'The GREEN-API node failed on this item because of a fault in the node itself, not in the input or in GREEN-API.', {
		description: `${cause.message}. The details are in n8n's log; please report it at https://github.com/n8n-nodes-green-api/n8n-nodes-green-api/issues.`,
		itemIndex,
	});
}
