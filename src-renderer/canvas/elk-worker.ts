import ElkApi, { type ELK } from 'elkjs/lib/elk-api.js';
import ElkWorker from './elk.worker?worker&inline';

/**
 * ELK in a web worker, so a large layout never holds up the page. Inlined as a blob, as
 * Monaco's worker is (sql/monaco.ts): it then loads the same way in the browser shell (CSP
 * `worker-src 'self' blob:`) and from file:// in the desktop app.
 */
export const elkInWorker = (): ELK => new ElkApi({ workerFactory: () => new ElkWorker() });
