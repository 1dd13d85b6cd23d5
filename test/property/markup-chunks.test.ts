/**
 * parseMarkup parses markup in chunks cut at blank lines and keeps each chunk's blocks
 * (src/core/documents/markup.ts): for any markup, the blocks must be those of the markup parsed
 * whole. Lines are drawn from the block syntax markdown-it knows (headings, lists loose and
 * tight, continuations, indented code, quotes, tables, rules, setext underlines), blank lines
 * often, so that chunk boundaries fall everywhere a block could be open.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMarkup } from '#src/core/documents/markup.ts';

const LINES = [
  '# Titre', '## Sous-titre', '### Section', '#### Profond',
  'Texte simple.', 'Texte **gras** et *italique*.', 'Suite du paragraphe',
  '- puce', '* puce', '+ puce', '-', ' - puce décalée', '1. un', '2) deux', '10. dix', '1.', '  1. ordonnée décalée',
  '   suite indentée', '  deux espaces', '    code indenté', '\tcode tabulé',
  '> citation', '>', '> - puce citée',
  '| A | B |', '|---|---|', '|:--|--:|', '| a | b |', 'a | b', '--- | ---',
  '===', '---', '***', '* * *', '___',
];

/** Blank lines (empty or spaces) weigh as much as all the others together. */
const line = fc.oneof({ arbitrary: fc.constantFrom(...LINES), weight: 3 }, { arbitrary: fc.constantFrom('', '', '  ', '\t'), weight: 2 });
const markup = fc.array(line, { minLength: 1, maxLength: 30 }).map((lines) => `${lines.join('\n')}\n`);

/** A fenced block keeps parseMarkup from cutting (a fence may hold blank lines): the markup parsed whole, then the fence's block dropped. */
const parsedWhole = (text: string) => parseMarkup(`${text}\n\n\`\`\`\nfin\n\`\`\`\n`).slice(0, -1);

describe('parseMarkup by chunks', () => {
  it('gives the blocks of the markup parsed whole, whatever the blank lines cut', () => {
    fc.assert(
      fc.property(markup, (text) => {
        expect(parseMarkup(text)).toEqual(parsedWhole(text));
        // Again, from the chunks kept by the first call.
        expect(parseMarkup(text)).toEqual(parsedWhole(text));
      }),
      { numRuns: 400 },
    );
  });
});
