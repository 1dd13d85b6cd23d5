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
 * Each renders one model at a time, in order of arrival. A thread holds up to `THREAD_DEPTH`
 * models: the one it renders and the next, so that it starts the next as soon as it answers,
 * instead of waiting for this thread to read the answer between two requests' work (under load,
 * that wait kept the only PDF thread idle a fifth of the time). A worker that dies takes the
 * model it was rendering down with it (that call fails with the reason); the models waiting, in
 * the pool or in the thread, are not lost: another thread takes them, in their order.
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
  /** Models no thread holds yet. */
  readonly waiting: number;
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
  /** The models sent to this thread and not answered yet, in order: the first is the one rendering. */
  sent: Pending[];
}

/** Models a thread holds at most: the one it renders and the one it starts next. */
export const THREAD_DEPTH = 2;

export function createPdfWorkerPool(size: number, entry: URL = ENTRY): PdfWorkerPool {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`a PDF worker pool needs at least one thread, not ${size}`);
  const waiting: Pending[] = [];
  const slots: Slot[] = [];
  let nextId = 0;
  let rendered = 0;
  let closed = false;

  const start = (): Slot => {
    // No --import from the parent: the entry registers the TypeScript loader itself.
    const slot: Slot = { worker: new Worker(entry, { execArgv: [] }), sent: [] };
    slot.worker.on('message', (answer: PdfWorkerAnswer) => {
      const pending = slot.sent[0];
      if (!pending || pending.job.id !== answer.id) return;
      slot.sent.shift();
      if ('pdf' in answer) {
        rendered++;
        pending.resolve(answer.pdf);
      } else {
        pending.reject(new PdfWorkerError(answer.error.message, answer.error.name));
      }
      pump();
    });
    const lost = (reason: string) => {
      const [pending, ...unstarted] = slot.sent.splice(0);
      pending?.reject(new PdfWorkerError(`the PDF worker stopped while rendering « ${pending.job.model.meta.title} »: ${reason}`));
      // Out of the pool; the models it had not started go back to the head of the line, and
      // pump() starts another thread if models wait.
      waiting.unshift(...unstarted);
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

  const send = (slot: Slot) => {
    const pending = waiting.shift()!;
    slot.sent.push(pending);
    slot.worker.ref();
    slot.worker.postMessage(pending.job);
  };

  const pump = () => {
    // A new thread before a second model for a busy one.
    while (!closed && slots.length < size && waiting.length > slots.filter((slot) => slot.sent.length === 0).length) slots.push(start());
    // Then level by level: every idle thread gets a model before any thread gets its next one.
    for (let depth = 0; depth < THREAD_DEPTH; depth++) {
      for (const slot of slots) if (slot.sent.length === depth && waiting.length > 0) send(slot);
    }
    for (const slot of slots) if (slot.sent.length === 0) slot.worker.unref();
  };

  return {
    size,
    get rendered() {
      return rendered;
    },
    get waiting() {
      return waiting.length;
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
          for (const pending of slot.sent.splice(0)) pending.reject(new PdfWorkerError('the PDF worker pool is closed'));
          await slot.worker.terminate();
        }),
      );
    },
  };
}
