import { beforeAll, describe, expect, it } from 'vitest';
import { formatInteger, formatPercent } from '#src/core/model/format.ts';
import { TenderRequestSchema } from '#src/core/model/tender-request.ts';
import { frenchApostrophes } from '#src/core/model/typography.ts';
import type { GenerateDocumentsDeps } from '#src/app/generate-documents.ts';
import { pdfPages } from '../support/pdf-text.ts';
import { evaluateFrom, example, EXAMPLES, generateFrom, realDeps } from '../support/pipeline.ts';

let deps: GenerateDocumentsDeps;
beforeAll(async () => {
  deps = await realDeps();
});

const squeeze = (s: string) => s.replace(/\s+/g, '');

describe.each(Object.keys(EXAMPLES) as Array<keyof typeof EXAMPLES>)('generateCctp on examples/%s', (name) => {
  let pages: string[];
  let text: string;
  let evaluated: Awaited<ReturnType<typeof evaluateFrom>>;
  let pdf: Uint8Array;

  beforeAll(async () => {
    const input = example(name);
    evaluated = await evaluateFrom(input, deps.catalogue);
    const { documents } = await generateFrom(input, deps);
    pdf = documents[0]!.content;
    pages = await pdfPages(pdf);
    text = pages.join(' ');
  });

  it('prints « Page X / N » on every page, N being the page count', () => {
    expect(pages.length).toBeGreaterThan(3);
    pages.forEach((page, i) => expect(page).toContain(`Page ${i + 1} / ${pages.length}`));
  });

  it('prints every requirement of every lot with its reference id and threshold symbol', () => {
    const flat = squeeze(text);
    for (const lot of evaluated.tender.lots) {
      expect(text).toContain(`Lot ${lot.number} — ${lot.title}`);
      for (const requirement of lot.requirements) expect(flat).toContain(squeeze(requirement.reference));
    }
    expect(text).toMatch(/≥/);
  });

  it('prints the quantities of each lot line', () => {
    for (const lot of evaluated.tender.lots) {
      for (const line of lot.lines) expect(text).toContain(`${line.item.unit} ${formatInteger(line.quantity)}`);
    }
  });

  it('prints the award criteria with their weights', () => {
    const request = TenderRequestSchema.parse(example(name));
    for (const criterion of request.awardCriteria) {
      expect(squeeze(text)).toContain(squeeze(frenchApostrophes(criterion.name)));
      expect(text).toContain(formatPercent(criterion.weight).replace(/\s/g, ' '));
    }
  });

  it('keeps French characters, the cover and the table of contents, and no buyer-only annex', () => {
    expect(pages[0]).toContain('Cahier des clauses techniques particulières');
    expect(text).toContain('Sommaire');
    expect(text).not.toContain('Conformité au référentiel');
    expect(text).not.toContain('Annexes');
    expect(text).toMatch(/Exigence minimale/);
    expect(text).toMatch(/ç|é|è|à|ô/);
  });

  it('is byte-identical when generated twice from the same request', async () => {
    const again = await generateFrom(example(name), deps);
    expect(Buffer.compare(Buffer.from(again.documents[0]!.content), Buffer.from(pdf))).toBe(0);
  });
});

describe('generateCctp on the rural commune example', () => {
  it('prints the tightened threshold as the threshold, and leaves the verdicts and the money to the note interne', async () => {
    const input = example('commune');
    const { report, documents } = await generateFrom(input, deps);
    const text = (await pdfPages(documents[0]!.content)).join(' ');
    expect(text).toMatch(/L1-TAB-01 Stockage utilisateur[^]*≥ 64 Go Exigence minimale/);
    expect(text).not.toContain('renforcé par l’acheteur');
    expect(report.conformity?.conforming).toBe(true);
    const note = (await pdfPages(documents.find((d) => d.name === 'note-interne.pdf')!.content)).join(' ');
    expect(note).toContain('Sélection conforme au référentiel');
    expect(note).toMatch(/seuil renforcé : ≥ 64 Go au lieu de ≥ 32 Go/);
    expect(text).not.toMatch(/subvention|éligib(?:le|ilité) au cofinancement|plafond|\b190\s€/i);
    expect(report.funding?.statement).toBeTruthy();
  });
});
