import { ValidationError, type Issue } from '#src/core/model/errors.ts';

/**
 * Why a bidder's file is refused before anything is read from it:
 * - `too-large`: the file, an entry or the whole package expands beyond its bounds (HTTP 413);
 * - `unsupported`: not a plain .xlsx workbook (macro-enabled, encrypted, another format; HTTP 415);
 * - `invalid`: a workbook, but not one the analysis can trust (external links, a formula where a
 *   value is expected, an over-long sheet or cell, not the matrix of this tender; HTTP 422).
 */
export type BidFileProblem = 'too-large' | 'unsupported' | 'invalid';

/**
 * A bidder's file refused, with the reason the buyer can forward to the bidder. A ValidationError,
 * so every entry point that refuses bad input (422, CLI exit 2) refuses it too; `problem` refines
 * the HTTP status.
 */
export class BidFileError extends ValidationError {
  constructor(
    readonly problem: BidFileProblem,
    issues: readonly Issue[],
    /** Whose file: a bidder's (an answer file), a supplier's product sheet, or an editor's criteria sheet, read by the same reader. */
    readonly source: 'bid' | 'product' | 'criteria' = 'bid',
  ) {
    super(issues);
    this.name = 'BidFileError';
  }
}

export const bidFileError = (problem: BidFileProblem, path: string, message: string): BidFileError =>
  new BidFileError(problem, [{ path, message }]);
