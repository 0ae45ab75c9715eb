// @ts-check
/**
 * ESLint for what is never published: the tests, the benchmark, the sandbox, the dev scripts and
 * the root config files. The published code (nodes/, credentials/, package.json) is linted by
 * n8n's own rules instead: eslint.config.mjs is n8n's default config word for word, as n8n's
 * strict mode ("n8n": { "strict": true } in package.json) requires of `n8n-node lint`.
 *
 * test/, bench/, sandbox/ and scripts/ each hold an eslint.config.mjs that re-exports this file.
 * `npm run lint` runs `n8n-node lint` with ESLint taking each file's config from the nearest
 * folder that has one (ESLINT_FLAGS=unstable_config_lookup_from_file; ESLint 10's default), then
 * lints the root files with this config (`eslint -c eslint.dev.config.mjs '*.js' '*.mjs'`).
 * Patterns below start with `**` so they match from either base folder.
 */
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
	{
		files: ['**/*.{ts,js,mjs}'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		languageOptions: { globals: { ...globals.node } },
		linterOptions: { reportUnusedDisableDirectives: 'error' },
		rules: {
			// `const { idInstance: _id, ...settings } = body` drops a key on purpose.
			'@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
			// A `let` a callback reads before the one assignment (a fixture wired both ways) stays `let`.
			'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
			// Tests load the node's modules inside jest.isolateModules (under another n8n-workflow),
			// which needs require(); any other require in TypeScript says why on its own line.
			'@typescript-eslint/no-require-imports': ['error', { allow: ['/nodes/', '/credentials/', '^n8n-workflow$'] }],
		},
	},
	{
		// Node's CommonJS scripts (`// @ts-check`: tsc types them through JSDoc).
		files: ['**/*.js'],
		languageOptions: { sourceType: 'commonjs' },
		rules: { '@typescript-eslint/no-require-imports': 'off' },
	},
	{
		// Tests hand the node numbers that lost their digits as JSON numbers, on purpose.
		files: ['**/*.test.ts'],
		rules: { 'no-loss-of-precision': 'off' },
	},
);
