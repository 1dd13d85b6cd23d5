/**
 * What a PDF worker thread does with the jobs it is sent (src/adapters/render/pdf-worker-pool.ts):
 * renders them one at a time, in order of arrival, and answers each with the bytes (their buffer
 * transferred, not copied) or with the error's name and message.
 *
 * The pool sends a thread its next model before the current one is answered, so jobs may wait
 * here: the thread goes from one model to the next without waiting for the pool's thread to read
 * the answer and send another. Always the first job in line is the one being rendered, which is
 * how the pool knows which model a thread that dies took down with it.
 */
import type { MessagePort } from 'node:worker_threads';
import type { PdfEngine } from './pdf-engine-types.ts';
import type { PdfWorkerAnswer, PdfWorkerJob } from './pdf-worker-protocol.ts';

export function servePdfJobs(port: MessagePort, render: PdfEngine): void {
  const line: PdfWorkerJob[] = [];
  let busy = false;

  const next = async () => {
    busy = true;
    for (let job = line.shift(); job; job = line.shift()) port.postMessage(...(await answer(job, render)));
    busy = false;
  };

  port.on('message', (job: PdfWorkerJob) => {
    line.push(job);
    if (!busy) void next();
  });
}

async function answer(job: PdfWorkerJob, render: PdfEngine): Promise<[PdfWorkerAnswer, ArrayBuffer[]?]> {
  try {
    const pdf = await render(job.model, job.options);
    // The bytes alone in their buffer can move to the pool; a view into a larger one is copied first.
    const own = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength ? pdf : pdf.slice();
    return [{ id: job.id, pdf: own }, [own.buffer as ArrayBuffer]];
  } catch (error: unknown) {
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
    return [{ id: job.id, error: { name, message } }];
  }
}
