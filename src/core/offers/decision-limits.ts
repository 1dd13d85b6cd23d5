/**
 * The shortest reason a buyer's decision to eliminate an offer may give, without zod so that the
 * web page can state it in its hint and messages without bundling the schemas (eliminations.ts).
 */
export const MIN_REASON_CHARS = 20;
