/**
 * The body of one PDF worker thread (src/adapters/render/pdf-worker-pool.ts): renders each model
 * it is sent with the in-process engine and answers with the bytes (their buffer transferred, not
 * copied) or with the error's name and message. One model at a time: the pool sends the next one
 * when this one is answered.
 */
import { parentPort } from 'node:worker_threads';
import type { PdfWorkerAnswer, PdfWorkerJob } from './pdf-worker-protocol.ts';
import { renderPdf } from './pdf/render-pdf.ts';

const port = parentPort;
if (!port) throw new Error('pdf-worker.ts runs as a worker thread (src/adapters/render/pdf-worker-pool.ts)');

port.on('message', (job: PdfWorkerJob) => {
  renderPdf(job.model, job.options).then(
    (pdf) => {
      // The bytes alone in their buffer can move to the pool; a view into a larger one is copied first.
      const own = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength ? pdf : pdf.slice();
      port.postMessage({ id: job.id, pdf: own } satisfies PdfWorkerAnswer, [own.buffer as ArrayBuffer]);
    },
    (error: unknown) => {
      const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
      port.postMessage({ id: job.id, error: { name, message } } satisfies PdfWorkerAnswer);
    },
  );
});
