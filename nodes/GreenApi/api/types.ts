/**
 * A GREEN-API method described once, as data. The transport calls a method from its endpoint
 * part and decodes its answer with `output`; the action node's UI (actions/description.ts) and
 * its one generic router (actions/router.ts) are built from the rest, and the trigger calls the
 * methods it needs (settings, the message journals, the chat list) through the same path. An
 * operation of the action node is one file under actions/<resource>/, listed in
 * actions/operations.ts; a call that is no operation of its own is one file here in api/.
 */
import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { DocumentedError } from '../errors/catalogue';

/** One JSON value of a request: a string, number or boolean, or lists and objects of them (sendPoll's options). */
export type RequestValue = string | number | boolean | RequestValue[] | { [key: string]: RequestValue };

/**
 * A file a request carries (an upload): its bytes as n8n's binary helpers gave them, never copied
 * on the way, its MIME type and its name. Sent as the whole body (`body: 'bytes'`) or as a part of
 * a multipart form (`body: 'multipart'`); never inside JSON, never in an error or output item.
 */
export class RequestFile {
	constructor(
		readonly data: Buffer,
		readonly mimeType: string,
		readonly fileName: string,
	) {}

	/** What an error or an output item may say of it: never the bytes. */
	toJSON(): string {
		return `${this.fileName} (${this.mimeType}, ${this.data.length} bytes)`;
	}
}

/** A request's fields by name; an optional field the user left empty is absent, never sent empty. */
export type RequestFields = Record<string, RequestValue | RequestFile>;

/** What it takes to call a method and read its errors: all the transport knows of it. */
export interface MethodEndpoint {
	/** The method segment of the URL, e.g. `archiveChat`. */
	path: string;
	/** GET sends the fields as the query string; POST as its `body`. */
	httpMethod: 'GET' | 'POST';
	/**
	 * Where the method lives: the instance's API URL (the default), or its media URL, where files are
	 * uploaded (the credential's Media URL, derived from the API URL when empty).
	 */
	host?: 'api' | 'media';
	/**
	 * A POST's body: `json` (the default; the fields as one JSON object, lists and objects included),
	 * `bytes` (the request's one RequestFile as the whole body, its type as Content-Type and its name
	 * in GA-Filename, as uploadFile takes it), or `multipart` (multipart/form-data: each field a part,
	 * a RequestFile as a file part, lists and objects as JSON text).
	 */
	body?: 'json' | 'bytes' | 'multipart';
	/**
	 * The least time one request of this method is given, in ms, whatever Options → Timeout says: an
	 * upload of a large file takes longer than any call, and a timeout would report it as failed.
	 */
	minTimeoutMs?: number;
	/** Request fields that hold a secret (setSettings' webhookUrlToken): scrubbed, like the token, from whatever the service answers. */
	secretFields?: string[];
	/** Documented per-instance limit of this method, requests per second. */
	rateLimitPerSecond: number;
	/**
	 * Whether running the call twice does no harm (archiving an archived chat, reading a list).
	 * A call that must not happen twice (sending a message) is resent only when GREEN-API certainly
	 * did not receive it (the connection was refused, or it answered 429); after a timeout, a
	 * dropped connection or a 5xx its item fails, saying the call may have happened.
	 */
	safeToRepeat: boolean;
	/** Errors documented for this method; matched before the common ones. */
	errors: DocumentedError[];
}

/** A value the user gives; it becomes one key of the request (see api/fields.ts for the kinds). */
export interface FieldSpec {
	/** The UI parameter, without displayOptions: they are derived from the methods using it. */
	property: INodeProperties;
	/** Entries of the node's Options collection that this field reads (shown for the operations using it). */
	options?: INodeProperties[];
	/** The request's key for the value, when GREEN-API names it otherwise than the parameter (Text → `message`). */
	requestName?: string;
	/**
	 * The field is itself an entry of the Options collection (Reply To Message ID, Link Preview):
	 * optional, shown there for the operations using it, read from there; left unset, it is not sent.
	 */
	inOptions?: boolean;
	/**
	 * Checks and normalises the raw parameter value, given the Options values and the input item (its
	 * binary data's descriptions, for a field that names one): the value to send,
	 * or undefined for an optional field left empty (not sent). Throws FieldError when it is unusable.
	 */
	normalise(value: unknown, options: IDataObject, item?: INodeExecutionData): RequestValue | undefined;
	/** When normalising changed the value, a success item also carries the value as given under this key. */
	reportsInputAs?: string;
}

/** A field value the service must never see; the message says why, in the user's terms. */
export class FieldError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
	}
}

/** A success answer without the documented shape; the message says what was expected. */
export class UnexpectedAnswer extends Error {}

/** A method as the nodes call it: its endpoint, and what its answer becomes; `Item` is the shape of its output items. */
export interface MethodCall<Item extends IDataObject = IDataObject> extends MethodEndpoint {
	/**
	 * The output items of a success — one for an action, any number for a list — from what was
	 * sent, what came back and the output parameters. Throws UnexpectedAnswer when the answer has
	 * not the documented shape.
	 */
	output(request: RequestFields, response: unknown, parameters: IDataObject): Item[];
}

/** A method the action node offers as an operation. */
export interface GreenApiMethod<Item extends IDataObject = IDataObject> extends MethodCall<Item> {
	/** Resource and operation values of the node's UI. */
	resource: string;
	operation: string;
	/** Operation's display name ("Archive Chat"), action text and description. */
	name: string;
	action: string;
	description: string;
	/** What an AI agent using the node as a tool should know it can do, when more than `action` says. */
	toolDescription?: string;
	fields: FieldSpec[];
	/**
	 * UI parameters that shape the output rather than the request (Return All, Limit, Filters):
	 * read per item, with their defaults, and handed to `output`.
	 */
	outputParameters?: INodeProperties[];
	/**
	 * For a method that puts a chat into a state (archived, …) and has a documented error for
	 * "already in that state": the boolean entry of Options that counts that error as success.
	 */
	ignoreAlreadyInState?: INodeProperties;
	/**
	 * For a method that must not run twice (a send): the entry of Options that names its once-key (Send
	 * Once Per Key); the router skips an item whose key was sent before (actions/sendOnce.ts).
	 */
	onceKey?: INodeProperties;
	/**
	 * Checks that take several fields together (Send File: a name with an extension, from the URL or the
	 * file when not given), before anything of the run is sent. Throws FieldError.
	 */
	check?(request: RequestFields, item: INodeExecutionData): void;
	/**
	 * The operation's own execute step, where the generic one (one call of this method, its answer
	 * through `output`) does not fit: for instance an operation that reads two methods and joins them.
	 */
	execute?(step: OperationStep): Promise<Item[]>;
}

/**
 * What an operation's own execute step is given: the item's checked request and output
 * parameters, and a call that works as the generic step's does (credential, pacing, the resend
 * rule, the error catalogue). A failing call rejects, and its error fails the item.
 */
export interface OperationStep {
	request: RequestFields;
	parameters: IDataObject;
	/** The input item the step works for, as n8n gives it (read its files through `binary`, which reads them wherever n8n keeps them). */
	item: INodeExecutionData;
	/**
	 * The item's binary property `name` as a file to upload, read through n8n's binary helpers (from
	 * memory, disk or S3, as n8n keeps it): its bytes are read once and sent as they are. Throws
	 * FieldError, naming `field` (the parameter that named the property), when the item has none.
	 */
	binary(name: string, field: string): Promise<RequestFile>;
	call<Item extends IDataObject>(method: MethodCall<Item>, request: RequestFields): Promise<Item[]>;
	/** What `make` gives, made once per execution for every item asking by the same key (reading a journal once, say). */
	once<Value>(key: string, make: () => Promise<Value>): Promise<Value>;
	/** A note for the editor's output pane after the run: why the output may not be what the user expects. */
	hint(message: string): void;
}
