/**
 * Failures a test arms on a fake, to see what a crash between two writes leaves behind (a claim
 * without its tender, documents without a record). Each armed failure fires once, at the named
 * step, before that step writes anything.
 */
export class Faults<Step extends string> {
  private readonly armed = new Map<Step, Error>();

  /** The next time the store reaches `step`, it throws `error` instead of writing. */
  failNext(step: Step, error: Error = new Error(`simulated failure at ${step}`)): void {
    this.armed.set(step, error);
  }

  /** Called by the store just before the write of `step`. */
  check(step: Step): void {
    const error = this.armed.get(step);
    if (!error) return;
    this.armed.delete(step);
    throw error;
  }
}

/**
 * Lets other calls run, as a real store's network round trip does: the fakes yield between the
 * reads and writes of a multi-step operation, so concurrent callers interleave there as they
 * would against DynamoDB or S3.
 */
export function roundTrip(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A deep copy: what a caller gets from a fake, and what a fake keeps, is never shared with the other side. */
export function detached<T>(value: T): T {
  return structuredClone(value);
}
