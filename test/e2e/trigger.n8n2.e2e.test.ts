/** The GREEN-API Trigger through the real n8n 2.x (see trigger.suite.ts). */
import { triggerSuite } from './trigger.suite';

triggerSuite('2');
