/** The GREEN-API node through the real n8n 2.x (see node.suite.ts). */
import { nodeSuite } from './node.suite';

nodeSuite('2');
