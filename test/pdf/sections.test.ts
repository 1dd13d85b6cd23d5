/**
 * General sections are printed for the lots whose items need them, and name those lots when the
 * file has several: no training clause binds a lot that buys no training, no data-protection
 * clause is printed for a supply-only file, and the primary-school Wi-Fi rule stays out of a
 * collèges file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GenerateDocumentsDeps } from '#src/app/generate-documents.ts';
import { pdfText } from '../support/pdf-text.ts';
import { renderPdf } from '#src/adapters/render/pdf/render-pdf.ts';
import { cctpModel, example, generateFrom, realDeps } from '../support/pipeline.ts';

let deps: GenerateDocumentsDeps;
beforeAll(async () => {
  deps = await realDeps();
});

async function cctpText(input: unknown): Promise<string> {
  const { documents } = await generateFrom(input, deps, ['pdf']);
  return (await pdfText(documents[0]!.content)).replace(/\s+/g, ' ');
}

/** The text of a numbered heading up to the next one. */
function section(text: string, title: string): string | undefined {
  const start = text.lastIndexOf(` ${title} `);
  if (start < 0) return undefined;
  const rest = text.slice(start + title.length + 2);
  const next = rest.search(/ \d+(\.\d+)? [A-ZÉ]/);
  return next < 0 ? rest : rest.slice(0, next);
}

describe('sections scoped by lot content', () => {
  it('keeps the primary-school Wi-Fi rule for a commune and out of a département’s collèges file', async () => {
    expect(section(await cctpText(example('commune')), 'Points d’accès sans fil dans les écoles')).toContain('loi n° 2015-136');
    expect(section(await cctpText(example('departement')), 'Points d’accès sans fil dans les écoles')).toBeUndefined();
  });

  it('names the lots each section binds in a multi-lot file', async () => {
    const text = await cctpText(example('departement'));
    expect(section(text, 'Formation et accompagnement')).toMatch(/^Ces dispositions s’appliquent aux lots 1 et 4\./);
    expect(section(text, 'Protection des données personnelles')).toMatch(/^Ces dispositions s’appliquent aux lots 1 et 3\./);
    expect(section(text, 'Fin de vie des équipements')).toMatch(/^Ces dispositions s’appliquent aux lots 1, 2 et 3\./);
  });

  it('keeps the maintenance clause of a maintenance-only file, which has no equipment to take back', async () => {
    const request = structuredClone(example('commune'));
    request.lots = [{ title: 'Maintenance du parc', items: [{ itemId: 'maintenance', quantity: 1 }] }];
    // The model as the template writes it, whatever the rules would say of such a file.
    const text = (await pdfText(await renderPdf(await cctpModel(request, deps)))).replace(/\s+/g, ' ');
    expect(section(text, 'Garantie, maintenance et support')).toMatch(/^Le titulaire assure la maintenance des équipements/);
    expect(text).not.toContain('Fin de vie des équipements');
  });

  it('prints no data-protection or training clause for a supply-only file, and promises no annex nobody writes', async () => {
    const request = structuredClone(example('commune'));
    request.lots = [{ title: 'Postes enseignants', items: [{ itemId: 'teacher-laptop', quantity: 6 }] }];
    const text = await cctpText(request);
    expect(text).not.toContain('Protection des données personnelles');
    expect(text).not.toContain('Formation et accompagnement');
    expect(text).not.toContain('Ces dispositions s’appliquent');
    expect(text).not.toMatch(/accord de traitement des données joint/);
    expect(section(text, 'Fin de vie des équipements')).toBeDefined();
  });
});
