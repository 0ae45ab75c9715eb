/** n8n in queue mode (main, workers, PostgreSQL, Redis) with this package; `npm run test:queue`. */
const base = require('./jest.config');

module.exports = { ...base, roots: ['<rootDir>/test-queue'], testMatch: ['**/*.queue.test.ts'], testTimeout: 600000 };
