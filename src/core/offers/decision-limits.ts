/**
 * The shortest texts the buyer's analysis accepts, without zod so that the web page can state them
 * in its hints and messages without bundling the schemas (eliminations.ts, scoring.ts).
 */
/** A decision to eliminate an offer: its reason. */
export const MIN_REASON_CHARS = 20;
/** A mark: its written justification. */
export const MIN_JUSTIFICATION_CHARS = 20;
