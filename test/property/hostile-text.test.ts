import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '#src/core/model/errors.ts';
import { NewTenderRequestSchema } from '#src/core/model/tender-request-v2.ts';
import type { GenerateDocumentsDeps } from '#src/app/generate-documents.ts';
import { pdfPages } from '../support/pdf-text.ts';
import { cctpModel, example, generateFrom, realDeps } from '../support/pipeline.ts';

let deps: GenerateDocumentsDeps;
beforeAll(async () => {
  deps = await realDeps();
});

/** Pieces of markup, template syntax and awkward Unicode, mixed with plain French words. */
const HOSTILE = [
  '#', '## ', '|', '||', '*', '**', '_', '`', '```', '~~~', '>', '- ', '1. ', '---', '\\', '[', ']', '(', ')', '!',
  '<', '>', '<script>alert(1)</script>', '<b>', '&amp;', '&#x41;', '{{', '}}', '{{#each this}}', '{{> lot}}', '{{{x}}}',
  '${x}', '%PDF', '\n', '\n\n', '\t', '    ', ' ', '\u00a0', '\u202f', '\u200b', '\u200d', '\u2028', '\ufeff',
  'é', 'È', 'ç', 'œ', 'Œ', 'ß', '«', '»', '’', '–', '—', '…', '≥', '≤', '€', '°', '²',
  'e\u0301', '\u202e', 'مرحبا', 'שלום', '中文', 'ｆｕｌｌ', '𝔘𝔫𝔦', '🙂', '👩‍🏫', '🇫🇷',
  'tablette', 'Classe', 'mobile', 'exigence', 'équipement',
];

const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 12 })), { minLength: 1, maxLength: 25 })
  .map((parts) => parts.join(''));

const RIGHT_TO_LEFT = /[\u0590-\u08FF\u200F\u202B\u202E\u2067\uFB1D-\uFDFF\uFE70-\uFEFF]/u;

/** Characters the document font prints and pdf.js reads back as typed. */
const PRINTABLE = /[A-Za-z0-9À-ÖØ-öø-ÿŒœ«»’–—…≥≤€°²#|*_`~<>&{}$%()[\]!\\=+.,;:'"?/@^-]/u;

/** Longest run of plainly printable characters in the text: what must come back from the PDF. */
function probe(text: string): string {
  let best = '';
  let current = '';
  for (const ch of text.replace(/\s+/g, ' ')) {
    if (PRINTABLE.test(ch)) {
      current += ch;
      if (current.length > best.length) best = current;
    } else {
      current = '';
    }
  }
  return best;
}

describe('generateCctp with hostile buyer text', () => {
  it('either refuses the text with a field path or prints it without changing the document structure', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, hostileText, async (label, requirement, lotTitle) => {
        // Prepare
        const input = example('commune');
        input.lots[0].title = lotTitle;
        input.lots[0].customRequirements = [{ label, requirement, level: 'assessed' }];
        // What an incoming request goes through (the text check of every string included).
        const accepted = NewTenderRequestSchema.safeParse(input).success;

        // Act
        const outcome = await generateFrom(input, deps).catch((e: unknown) => e);

        // Assess
        if (!accepted) {
          expect(outcome).toBeInstanceOf(ValidationError);
          expect((outcome as ValidationError).issues.every((i) => i.path.startsWith('lots.0.'))).toBe(true);
          return;
        }
        expect(outcome).not.toBeInstanceOf(Error);
        const { documents } = outcome as Awaited<ReturnType<typeof generateFrom>>;
        const model = await cctpModel(input, deps);
        const pdf = Buffer.from(documents[0]!.content);
        expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
        expect(pdf.subarray(-6).toString()).toContain('%%EOF');
        // The structure is the template's: buyer text added no heading and broke no table.
        const headings = model.blocks.filter((b) => b.type === 'heading');
        const baseline = await cctpModel({ ...example('commune'), lots: [{ ...example('commune').lots[0], title: 'Lot', customRequirements: [{ label: 'Libellé', requirement: 'Texte', level: 'assessed' }] }] }, deps);
        expect(headings.length).toBe(baseline.blocks.filter((b) => b.type === 'heading').length);
        expect(model.blocks.filter((b) => b.type === 'table').length).toBe(baseline.blocks.filter((b) => b.type === 'table').length);
        // And the text comes back from the PDF.
        const text = (await pdfPages(pdf)).join(' ').replace(/\s+/g, '');
        for (const value of [label, requirement]) {
          // pdf.js reorders lines that mix right-to-left and left-to-right text (poppler reads them
          // as drawn); presence is checked on left-to-right text only.
          if (RIGHT_TO_LEFT.test(value)) continue;
          const expected = probe(value).replace(/\s+/g, '');
          if (expected.length >= 3) expect(text).toContain(expected.slice(0, 40));
        }
      }),
      {
        numRuns: 25,
        seed: 20261128,
        endOnFailure: true,
        // A backtick after an accented letter once lost its Unicode mapping (fontkit glyph cache).
        examples: [[":FA{\\`k2)\"3aES*);L8|]lJM0v=<{ \\{R]t$8.D!TQXU _c`G", "»- ｆｕｌｌ𝔘𝔫𝔦", "K"]],
      },
    );
  });

  it('renders a 10 000-character word in a requirement without breaking the layout', async () => {
    const input = example('commune');
    const word = 'Anticonstitutionnellement'.repeat(400);
    input.lots[0].customRequirements = [{ label: 'Mot très long', requirement: word, level: 'minimum' }];
    const { documents } = await generateFrom(input, deps);
    const pages = await pdfPages(documents[0]!.content);
    const text = pages.join('').replace(/\s+/g, '');
    expect(text).toContain('Anticonstitutionnellement'.repeat(3));
    const normal = await pdfPages((await generateFrom(example('commune'), deps)).documents[0]!.content);
    expect(pages.length).toBeLessThan(normal.length + 12);
  });
});
