// n8n's own community-node lint (what `n8n-node lint` runs), over the code that is published.
// Tests, benchmark, sandbox and dev scripts never ship, so the community-node rules do not apply.
import { config } from '@n8n/node-cli/eslint';
import { globalIgnores } from 'eslint/config';

export default [globalIgnores(['test/**', 'artifacts/**', 'bench/**', 'scripts/**', 'sandbox/**', 'examples/**', '.n8n-app/**']), ...config];
