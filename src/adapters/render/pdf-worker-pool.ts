/**
 * The PDF engine on worker threads, for the local stack (`npm start`, src/entry/local-stack.ts).
 *
 * In AWS every PDF is laid out by the pdf-renderer function, beside the function that asked for
 * it. On a laptop the whole API otherwise runs in one thread: the handlers, dynalite and s3rver
 * take turns with the PDF layout, and a second core stays idle however many requests wait. The
 * pool gives the layout threads of its own, as AWS gives it a function of its own: the same code
 * (src/adapters/render/pdf/render-pdf.ts), the same bytes, while the main thread goes on with the
 * next request.
 *
 * Threads start with the first models (a stack that renders nothing starts none), up to `size`.
 * Each renders one model at a time; the others wait in order of arrival. A worker that
 * dies takes its model down with it (that call fails with the reason); the models waiting are not
 * lost, another thread takes them.
 */
import { Worker } from 'node:worker_threads';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import type { PdfEngine, PdfEngineOptions } from './pdf-engine-types.ts';
import type { PdfWorkerAnswer, PdfWorkerJob } from './pdf-worker-protocol.ts';

/** The worker's entry; another may be given to `createPdfWorkerPool` (a test's failing worker). */
const ENTRY = new URL('./pdf-worker-entry.mjs', import.meta.url);

/** A model the pool could not render: the worker's error, under its name, or the worker's end. */
export class PdfWorkerError extends Error {
  constructor(message: string, name = 'PdfWorkerError') {
    super(message);
    this.name = name;
  }
}

export interface PdfWorkerPool {
  render: PdfEngine;
  /** How many threads may render at once. */
  readonly size: number;
  /** Models rendered so far. */
  readonly rendered: number;
  /** Ends the threads; models still waiting or rendering fail. */
  close(): Promise<void>;
}

interface Pending {
  job: PdfWorkerJob;
  resolve(pdf: Uint8Array): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  current: Pending | undefined;
}

export function createPdfWorkerPool(size: number, entry: URL = ENTRY): PdfWorkerPool {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`a PDF worker pool needs at least one thread, not ${size}`);
  const waiting: Pending[] = [];
  const slots: Slot[] = [];
  let nextId = 0;
  let rendered = 0;
  let closed = false;

  const start = (): Slot => {
    // No --import from the parent: the entry registers the TypeScript loader itself.
    const slot: Slot = { worker: new Worker(entry, { execArgv: [] }), current: undefined };
    slot.worker.on('message', (answer: PdfWorkerAnswer) => {
      const pending = slot.current;
      if (!pending || pending.job.id !== answer.id) return;
      slot.current = undefined;
      if ('pdf' in answer) {
        rendered++;
        pending.resolve(answer.pdf);
      } else {
        pending.reject(new PdfWorkerError(answer.error.message, answer.error.name));
      }
      pump();
    });
    const lost = (reason: string) => {
      const pending = slot.current;
      slot.current = undefined;
      pending?.reject(new PdfWorkerError(`the PDF worker stopped while rendering « ${pending.job.model.meta.title} »: ${reason}`));
      // Out of the pool; pump() starts another thread if models wait.
      slots.splice(slots.indexOf(slot), 1);
      pump();
    };
    slot.worker.on('error', (error) => lost(error.message));
    slot.worker.on('exit', (code) => {
      if (slots.includes(slot)) lost(`exit code ${code}`);
    });
    // An idle pool does not keep the process alive.
    slot.worker.unref();
    return slot;
  };

  const pump = () => {
    while (!closed && slots.length < size && waiting.length > slots.filter((slot) => !slot.current).length) slots.push(start());
    for (const slot of slots) {
      if (slot.current || waiting.length === 0) continue;
      const pending = waiting.shift()!;
      slot.current = pending;
      slot.worker.ref();
      slot.worker.postMessage(pending.job);
    }
    for (const slot of slots) if (!slot.current) slot.worker.unref();
  };

  return {
    size,
    get rendered() {
      return rendered;
    },
    render(model: DocumentModel, options: PdfEngineOptions = {}) {
      if (closed) return Promise.reject(new PdfWorkerError('the PDF worker pool is closed'));
      return new Promise<Uint8Array>((resolve, reject) => {
        waiting.push({ job: { id: nextId++, model, options }, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const pending of waiting.splice(0)) pending.reject(new PdfWorkerError('the PDF worker pool is closed'));
      const ending = slots.splice(0);
      await Promise.all(
        ending.map(async (slot) => {
          slot.current?.reject(new PdfWorkerError('the PDF worker pool is closed'));
          await slot.worker.terminate();
        }),
      );
    },
  };
}
