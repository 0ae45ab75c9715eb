/** The editor in a real browser (Debian's Chromium, playwright-core) on a real n8n; `npm run test:browser`. */
const base = require('./jest.config');

module.exports = { ...base, roots: ['<rootDir>/test-browser'], testMatch: ['**/*.browser.test.ts'], testTimeout: 300000 };
