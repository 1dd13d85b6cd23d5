// Fault injection for test/contracts/pdf-worker-pool.test.ts: the real PDF worker, except that
// the thread ends (exit code 3) when the model it starts rendering is titled « crash ». Models
// sent behind it are still waiting in the thread when it ends.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { servePdfJobs } = await import('../../src/adapters/render/pdf-worker-serve.ts');
const { renderPdf } = await import('../../src/adapters/render/pdf/render-pdf.ts');
servePdfJobs(parentPort, (model, options) => (model.meta.title === 'crash' ? process.exit(3) : renderPdf(model, options)));
