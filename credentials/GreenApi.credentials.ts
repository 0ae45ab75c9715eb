import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * GREEN-API instance credential. The token travels in the URL path, so there is no
 * `authenticate` block: the node's transport builds the URL and keeps it out of every message.
 */
export class GreenApi implements ICredentialType {
	name = 'greenApi';

	// The service's own name already ends in API; "GREEN-API API" would read as a typo.
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api
	displayName = 'GREEN-API';

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

	/** Asks the instance for its state: only an authorized instance can work with chats. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ String($credentials.apiUrl).trim().replace(/\\/+$/, "") }}',
			url: '=/waInstance{{ String($credentials.idInstance).trim() }}/getStateInstance/{{ String($credentials.apiTokenInstance).trim() }}',
			method: 'GET',
		},
		rules: [
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
		],
	};
}
