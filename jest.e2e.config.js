/** End-to-end tests through the real n8n CLI and server (see scripts/n8n-app.js); `npm run test:e2e`. */
const base = require('./jest.config');

module.exports = { ...base, roots: ['<rootDir>/test-e2e'], testMatch: ['**/*.e2e.test.ts'], testTimeout: 300000 };
