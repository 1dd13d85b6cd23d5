/**
 * What both Office writers (docx/wordml.ts, xlsx/spreadsheet-package.ts) need of XML 1.0 before
 * escaping in their own ways: the declaration every part starts with, and the removal of the
 * characters XML 1.0 cannot hold at all (C0 controls but tab, line feed and carriage return;
 * lone surrogates; U+FFFE and U+FFFF), so a buyer's pasted text can never make a part unreadable.
 */

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Every code point outside production [2] Char; with the u flag a lone surrogate is a code point of its own, a pair is kept. */
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** The text with the characters XML 1.0 cannot hold removed. */
export function xmlSafe(text: string): string {
  return text.replace(INVALID_XML, '');
}
