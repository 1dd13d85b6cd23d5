/**
 * The body of one PDF worker thread (src/adapters/render/pdf-worker-pool.ts): the in-process
 * engine serving the jobs the pool sends (pdf-worker-serve.ts).
 */
import { parentPort } from 'node:worker_threads';
import { renderPdf } from './pdf/render-pdf.ts';
import { servePdfJobs } from './pdf-worker-serve.ts';

if (!parentPort) throw new Error('pdf-worker.ts runs as a worker thread (src/adapters/render/pdf-worker-pool.ts)');
servePdfJobs(parentPort, renderPdf);
