import type { DocumentJobs } from '#src/app/ports/document-jobs.ts';

/**
 * Deferred renderings in one process (the local stack, the tests): `submit` starts the job after
 * the current request has answered, as the event does in AWS, and runs the same job handler the
 * documents function runs. `settled()` waits for every job started so far (tests, shutdown).
 * A job that throws is reported to `onError`; the use case has already recorded its failure.
 */
export class InProcessDocumentJobs implements DocumentJobs {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly run: (tenderId: string) => Promise<unknown>,
    private readonly onError: (error: unknown, tenderId: string) => void = (error, tenderId) => console.error(`document job ${tenderId} failed`, error),
  ) {}

  async submit(tenderId: string): Promise<void> {
    const job = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.run(tenderId))
      .then(
        () => undefined,
        (error: unknown) => this.onError(error, tenderId),
      )
      .finally(() => this.running.delete(job));
    this.running.add(job);
  }

  /** Resolves when every job submitted so far (and any they submit) has finished. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
