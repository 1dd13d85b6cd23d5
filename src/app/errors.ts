import { DomainError, type Issue } from '#src/core/model/errors.ts';

/**
 * An optimistic-lock failure: the editor's expected version is no longer the latest
 * (another editor wrote first) or never was. HTTP 412 when the expectation came from If-Match.
 */
export class VersionConflictError extends DomainError {
  readonly code = 'CONFLICT';
  constructor(
    readonly resource: string,
    readonly id: string,
    readonly expectedVersion: number,
    /** The latest version the store holds, when known; 0 when there is none. */
    readonly actualVersion: number | undefined,
  ) {
    super(
      `${resource} ${id}: expected version ${expectedVersion} is not the latest` +
        (actualVersion === undefined ? '' : ` (latest is ${actualVersion})`),
    );
    this.name = 'VersionConflictError';
  }
}

/** An immutable record (framework version, tender) already exists under that key (HTTP 409). */
export class AlreadyExistsError extends DomainError {
  readonly code = 'CONFLICT';
  constructor(readonly resource: string, readonly id: string) {
    super(`${resource} ${id} already exists`);
    this.name = 'AlreadyExistsError';
  }
}

/**
 * The caller reused an Idempotency-Key with a different request body. The key stays bound to the
 * first request; HTTP 422 per the IETF Idempotency-Key draft.
 */
export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'CONFLICT';
  constructor(readonly key: string, readonly tenderId: string) {
    super(`idempotency key ${key} was already used for a different request (tender ${tenderId})`);
    this.name = 'IdempotencyKeyReusedError';
  }
}

/**
 * A document of a tender that is not stored yet (its rendering is pending) or will not be (it
 * failed): HTTP 409, the tender's record says which.
 */
export class DocumentNotReadyError extends DomainError {
  readonly code = 'CONFLICT';
  /** `document` is a file name, or `*` for all of them. */
  constructor(readonly tenderId: string, readonly document: string, readonly status: 'pending' | 'failed') {
    super(`${document === '*' ? 'the documents' : `document ${document}`} of tender ${tenderId} ${document === '*' ? 'are' : 'is'} ${status === 'pending' ? 'not ready yet: GET the tender until its rendering is ready' : `not available: ${document === '*' ? 'their' : 'its'} rendering failed`}`);
    this.name = 'DocumentNotReadyError';
  }
}

/**
 * A write of a resource identified by its content (no version number): the caller's precondition
 * names content that is not the stored one (HTTP 412), or names none while content is stored
 * (`required`, HTTP 428: read it first, then write with its ETag).
 */
export class StaleContentError extends DomainError {
  readonly code = 'CONFLICT';
  constructor(readonly resource: string, readonly id: string, readonly required: boolean) {
    super(required ? `${resource} ${id} is already recorded: send If-Match with the ETag you read` : `${resource} ${id} changed since you read it: read it again and reapply your change`);
    this.name = 'StaleContentError';
  }
}

/**
 * Rows whose criterion changed since the file was exported (HTTP 409): another editor wrote a
 * version meanwhile. `issues` name each row's version cell; nothing was written.
 */
export class StaleRowsError extends DomainError {
  readonly code = 'CONFLICT';
  constructor(readonly issues: readonly Issue[]) {
    super(`${issues.length} row(s) name a version that is no longer the latest: export the sheet again and reapply the changes`);
    this.name = 'StaleRowsError';
  }
}
