/**
 * A GreenApiError as the error n8n shows: NodeApiError when the service answered (n8n then shows
 * the HTTP code), NodeOperationError when it did not. Built from the catalogue's own sanitised
 * fields only: the raw HTTP error holds the URL, and so the token.
 */
import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

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
