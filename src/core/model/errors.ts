import type { Finding } from './findings.ts';

/** One problem in a request, addressed by the path of the field concerned. */
export interface Issue {
  /** Dotted path such as "lots.0.items.1.itemId"; empty for the whole request. */
  path: string;
  message: string;
}

export type DomainErrorCode =
  | 'VALIDATION_FAILED'
  | 'RULES_BLOCKED'
  | 'NOT_FOUND'
  | 'CONFLICT';

/** Base of every error the domain raises on purpose; adapters map `code` to their protocol. */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
}

/** The request does not fit the schema or names things that do not exist (HTTP 422, CLI exit 2). */
export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly issues: readonly Issue[]) {
    super(issues.map((i) => `${i.path || '(racine)'}: ${i.message}`).join('\n'));
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(readonly resource: string, readonly id: string) {
    super(`${resource} ${id} not found`);
    this.name = 'NotFoundError';
  }
}

/** Turns zod issues into path/message pairs. */
export function issuesFromZod(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }, prefix = ''): Issue[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter((p) => p !== '').join('.'),
    message: i.message,
  }));
}

/** The request is well formed but the rules found errors that forbid publishing it. */
export class RulesBlockedError extends DomainError {
  readonly code = 'RULES_BLOCKED';
  constructor(readonly findings: readonly Finding[]) {
    super(
      findings
        .filter((f) => f.severity === 'error')
        .map((f) => `${f.code}: ${f.message}`)
        .join('\n'),
    );
    this.name = 'RulesBlockedError';
  }
}

/** Issues without repeats (same path, same message), in their order. */
export function uniqueIssues(issues: readonly Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
