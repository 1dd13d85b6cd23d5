/** The current time, injected so that use cases stay deterministic under test. */
export interface Clock {
  now(): Date;
}

/** New identifiers for records created without an idempotency key. */
export interface IdGenerator {
  /** A fresh id of 8 to 64 characters from [A-Za-z0-9_-], never returned twice. */
  newId(): string;
}
