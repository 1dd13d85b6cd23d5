/**
 * Issue #19: Cahier writes WordprocessingML itself, so nothing else stands between a buyer's text
 * and the XML. Whatever the text — control characters, lone surrogates, markup characters, French
 * quotes and no-break spaces, astral characters — a Word file comes out, every part well formed
 * and valid, and the text reads back from document.xml as written, less only the characters
 * XML 1.0 cannot hold at all.
 */
import fc from 'fast-check';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import { renderDocx } from '#src/adapters/render/docx/render-docx.ts';
import { schemaOfPart, xmllintErrors, xmllintOrSkip, type SchemaCheck } from '../support/xmllint.ts';

const xmllint = xmllintOrSkip();
const decoder = new TextDecoder();

// ---- the oracle, written apart from the code under test -------------------------------------

/** Whether XML 1.0 allows the code point (production [2] Char). */
const isXmlChar = (cp: number): boolean =>
  cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);

/** The text a reader may expect back: every code point XML can hold (lone surrogates are code points of their own here). */
const readable = (text: string): string => [...text].filter((c) => isXmlChar(c.codePointAt(0)!)).join('');

/**
 * Character data as an XML parser delivers it: line ends normalised first (XML 1.0 §2.11), then
 * the predefined entities and character references replaced.
 */
function decodeCharacterData(raw: string): string {
  return raw
    .replace(/\r\n?/g, '\n')
    .replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9A-Fa-f]+);/g, (_all, name: string) => {
      if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
      return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[name]!;
    });
}

/** Text of each w:p of a part, in order: w:t contents and run tabs. */
function paragraphTexts(xml: string): string[] {
  return [...xml.matchAll(/<w:p>([\s\S]*?)<\/w:p>/g)].map((p) =>
    [...p[1]!.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:tab\/>/g)].map((m) => (m[0] === '<w:tab/>' ? '\t' : decodeCharacterData(m[1]!))).join(''),
  );
}

const elementText = (xml: string, name: string): string => decodeCharacterData(new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)![1]!);

// ---- the generators ---------------------------------------------------------------------------

const AWKWARD = [
  '\u0000', '\u0001', '\u0008', '\u000B', '\u000C', '\u001B', '\u001F', '\u007F', '\u0085', '\t', '\n', '\r', '\r\n',
  '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uDFFF\uD800', '\uFFFE', '\uFFFF', '\uFEFF', '\u2028',
  '<', '>', '&', '"', "'", '&amp;', '&#13;', ']]>', '<w:t>', '</w:t></w:r></w:p>', '<?xml', '<!--',
  '«', '»', '« ', ' »', '\u00a0', '\u202f', '’', '—', 'é', 'œ', '€', '≥', '🙂', '👩‍🏫', '𝔘', 'مرحبا',
];

const awkwardText = fc
  .array(fc.oneof(fc.constantFrom(...AWKWARD), fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ unit: 'binary-ascii', maxLength: 8 })), { maxLength: 16 })
  .map((parts) => parts.join(''));

/** A document with `text` in every place a text can go: properties, cover, footer, heading, paragraph, list, table. */
function modelWith(text: string): DocumentModel {
  return {
    meta: { title: text, subject: text, author: text, keywords: [text], language: 'fr-FR', createdAt: '2026-10-05T00:00:00.000Z' },
    cover: { kicker: text, title: text, facts: [{ label: text, value: text }], footnote: text },
    footerText: text,
    blocks: [
      { type: 'heading', level: 1, number: '1', text, anchor: 'sec-1' },
      { type: 'paragraph', runs: [{ text }, { text, bold: true }, { text, italic: true, code: true }] },
      { type: 'list', ordered: true, items: [[{ text }]] },
      { type: 'table', header: [[{ text }], [{ text: 'Valeur' }]], rows: [[[{ text }], [{ text, noBreak: true }]]], align: ['left', 'right'] },
    ],
  };
}

describe('renderDocx with any text', () => {
  it('reads back every text as written, less the characters XML 1.0 forbids, from parts that xmllint validates', async () => {
    const checks: SchemaCheck[] = [];
    await fc.assert(
      fc.asyncProperty(awkwardText, async (text) => {
        // Act
        const parts = Object.fromEntries(Object.entries(unzipSync(await renderDocx(modelWith(text)))).map(([name, bytes]) => [name, decoder.decode(bytes)]));

        // Assess
        const expected = readable(text);
        const document = parts['word/document.xml']!;
        for (const [name, xml] of Object.entries(parts)) {
          const forbidden = [...xml].find((c) => !isXmlChar(c.codePointAt(0)!));
          expect(forbidden, name).toBeUndefined();
        }
        expect(paragraphTexts(document)).toEqual([
          expected, // kicker
          expected, // title
          expected, // fact label
          expected, // fact value
          expected, // cover note
          'Sommaire',
          `1\t${expected}\t`, // the table of contents' entry, its page number left to Word
          expected, // the heading
          expected.repeat(3),
          expected, // the list item
          expected, // table header
          'Valeur',
          expected,
          expected,
        ]);
        expect(paragraphTexts(parts['word/footer1.xml']!)).toEqual([`${expected}\tPage  / `]);
        const core = parts['docProps/core.xml']!;
        for (const name of ['dc:title', 'dc:subject', 'dc:creator', 'cp:keywords', 'dc:description']) expect(elementText(core, name), name).toBe(expected);
        if (checks.length < 300) {
          for (const part of ['word/document.xml', 'word/footer1.xml', 'docProps/core.xml']) checks.push({ label: `${JSON.stringify(text)}!${part}`, schema: schemaOfPart(part), xml: parts[part]! });
        }
      }),
      { numRuns: 100, seed: 20261207, examples: [['\uD800<&>"\'« »\u00a0\r\n\r\u0000\uFFFF🙂']] },
    );
    if (xmllint) expect(await xmllintErrors(xmllint, checks)).toEqual([]);
  }, 60_000);
});
