import type { IAuthenticateRuleResponseCode, IAuthenticateRuleResponseSuccessBody, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** GREEN-API answers 401/403/429 with a bare "Unauthorized"/"Forbidden"/...: say what is wrong and what to do. */
const WRONG_FIELD_RULES: IAuthenticateRuleResponseCode[] = [
	{
		type: 'responseCode',
		properties: { value: 401, message: 'GREEN-API rejected the API Token Instance (HTTP 401): copy it again from the GREEN-API console.' },
	},
	{
		type: 'responseCode',
		properties: {
			value: 403,
			message: 'GREEN-API refused this instance (HTTP 403): check the Instance ID, and that the API URL is the one the console shows for it.',
		},
	},
	{
		type: 'responseCode',
		properties: { value: 429, message: 'GREEN-API answers the state check once per second per instance (HTTP 429): test again in a moment.' },
	},
];

/** Only an authorized instance can work with chats: every other state fails the test with what to do. */
const STATE_RULES: IAuthenticateRuleResponseSuccessBody[] = [
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'stateInstance',
			value: 'notAuthorized',
			message: 'The instance is not authorized: open it in the GREEN-API console and scan the QR code with WhatsApp on the phone.',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: { key: 'stateInstance', value: 'blocked', message: 'The WhatsApp account of this instance is blocked.' },
	},
	{
		type: 'responseSuccessBody',
		properties: { key: 'stateInstance', value: 'starting', message: 'The instance is starting: test again in a minute.' },
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'stateInstance',
			value: 'yellowCard',
			message: 'WhatsApp has restricted this account (yellow card): sending is limited for now.',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'stateInstance',
			value: 'sleepMode',
			message: 'The instance is in sleep mode: the phone is off or offline. Turn it on and open WhatsApp.',
		},
	},
];

/**
 * GREEN-API instance credential. The token travels in the URL path, so there is no
 * `authenticate` block: the node's transport builds the URL and keeps it out of every message.
 */
export class GreenApi implements ICredentialType {
	name = 'greenApi';

	// n8n's rule wants credential names to end in " API"; "GREEN-API API" would read as a typo.
	displayName = 'GREEN-API WhatsApp API';

	documentationUrl = 'https://green-api.com/en/docs/before-start/';

	icon = { light: 'file:../nodes/GreenApi/greenApi.svg', dark: 'file:../nodes/GreenApi/greenApi.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'API URL',
			name: 'apiUrl',
			type: 'string',
			default: 'https://api.green-api.com',
			placeholder: 'https://1103.api.green-api.com',
			required: true,
			description: 'The apiUrl the GREEN-API console shows for this instance; each instance has its own host',
		},
		{
			displayName: 'Media URL',
			name: 'mediaUrl',
			type: 'string',
			default: '',
			placeholder: 'https://1103.media.green-api.com',
			description: 'The mediaUrl the GREEN-API console shows for this instance: where files are uploaded',
			hint: 'Leave empty to derive it from the API URL: its "api" becomes "media" (https://1103.api.green-api.com → https://1103.media.green-api.com); an API URL without "api" in its host is used as it is.',
		},
		{
			displayName: 'Instance ID',
			name: 'idInstance',
			type: 'string',
			default: '',
			placeholder: '1101000001',
			required: true,
			description: 'The idInstance from the GREEN-API console',
		},
		{
			displayName: 'API Token Instance',
			name: 'apiTokenInstance',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The apiTokenInstance from the GREEN-API console',
		},
	];

	/**
	 * Asks the instance for its state: only an authorized instance can work with chats. The URL is
	 * the one the node's transport builds (nodes/GreenApi/transport/request.ts): the fields trimmed,
	 * the API URL without a trailing slash, the token URL-encoded (test/engine.credentialTest.test.ts
	 * checks they stay the same).
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ String($credentials.apiUrl).trim().replace(/\\/+$/, "") }}',
			url: '=/waInstance{{ String($credentials.idInstance).trim() }}/getStateInstance/{{ encodeURIComponent(String($credentials.apiTokenInstance).trim()) }}',
			method: 'GET',
		},
		// n8n's tester checks each rule by its own type; the declared type only allows one kind per list.
		rules: [...WRONG_FIELD_RULES, ...STATE_RULES] as unknown as IAuthenticateRuleResponseSuccessBody[],
	};
}
