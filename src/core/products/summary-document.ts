import type { BarBlock, Block, DocumentModel, Run } from '#src/core/documents/blocks.ts';
import { formatCount, formatInteger, formatPercent } from '#src/core/model/format.ts';
import { frenchApostrophes } from '#src/core/model/typography.ts';
import type { ReportSummary, VerdictCounts } from './catalogue-report.ts';

/**
 * The catalogue report's summary as a document (the PDF a catalogue manager forwards): the share
 * of conforming products overall, per category and per supplier, each category with a stacked bar
 * (conforme, non conforme, non déclaré, justificatif attendu) whose figures are written above it.
 * Built from the tally's counts only, so its size depends on the number of categories and
 * suppliers, never on the number of products. The same summary and date give the same model.
 */
export function catalogueSummaryDocument(summary: ReportSummary, generatedAt: string): DocumentModel {
  const { framework, totals } = summary;
  const title = `Conformité d’un catalogue au référentiel ${framework.id} v${framework.version}`;
  let chapter = 0;
  const heading = (text: string): Block => {
    chapter++;
    return { type: 'heading', level: 1, number: String(chapter), text, anchor: `sec-${chapter}` };
  };
  const blocks: Block[] = [
    heading('Synthèse'),
    {
      type: 'paragraph',
      runs: [
        { text: `Sur ${formatCount(totals.total, 'produit vérifié', 'produits vérifiés')} au regard du référentiel «\u00a0${framework.reference}\u00a0» (${framework.id}, version ${framework.version}), ` },
        { text: `${formatCount(totals.conform, 'est conforme', 'sont conformes')} (${formatPercent(totals.shareConform)})`, bold: true },
        { text: `\u00a0: ${breakdown(totals)}.` },
      ],
    },
    bar([{ text: 'Ensemble du catalogue\u00a0: ', bold: true }, ...figures(totals)], totals),
    {
      type: 'paragraph',
      runs: [{ text: 'Chaque barre se lit de gauche à droite\u00a0: en vert les produits conformes, en rouge les non conformes, en gris ceux dont une valeur n’est pas déclarée, en orange ceux dont un justificatif est attendu. Un produit est conforme quand chaque critère minimal de sa catégorie est respecté.' }],
    },
    heading('Par catégorie'),
    ...(summary.byItem.length === 0
      ? [{ type: 'paragraph', runs: [{ text: 'Aucun produit isolé dans ce catalogue.' }] } satisfies Block]
      : summary.byItem.map((group) => bar([{ text: `${frenchApostrophes(group.label)}\u00a0: `, bold: true }, ...figures(group)], group))),
    heading('Par fournisseur'),
    {
      type: 'table',
      header: [['Fournisseur'], ['Produits'], ['Conformes'], ['Non conformes'], ['Non déclarés'], ['Justificatif attendu'], ['Part conforme']].map((h) => h.map((text) => ({ text }))),
      rows: summary.bySupplier.map((s) => [frenchApostrophes(s.supplier), formatInteger(s.total), formatInteger(s.conform), formatInteger(s['not-conform']), formatInteger(s.undeclared), formatInteger(s['needs-evidence']), formatPercent(s.shareConform)].map((text) => [{ text }])),
      align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    },
  ];
  return {
    meta: {
      title,
      subject: `Part des produits conformes, par catégorie et par fournisseur (${framework.reference})`,
      author: 'Cahier',
      keywords: ['conformité', 'catalogue', framework.id, `v${framework.version}`],
      language: 'fr-FR',
      createdAt: generatedAt,
    },
    cover: {
      kicker: 'Rapport de conformité d’un catalogue',
      title,
      facts: [
        { label: 'Référentiel', value: `${framework.reference} (${framework.id}, version ${framework.version})` },
        { label: 'Produits vérifiés', value: formatInteger(totals.total) },
        { label: 'Produits conformes', value: `${formatInteger(totals.conform)} (${formatPercent(totals.shareConform)})` },
      ],
      footnote: 'Le verdict de chaque produit, critère par critère, figure dans le rapport détaillé (conformity.xlsx, conformity.json).',
    },
    footerText: `Conformité du catalogue — ${framework.id} v${framework.version}`,
    blocks,
  };
}

/** « 3 non conformes, 2 non déclarés et 0 en attente de justificatif » */
function breakdown(c: VerdictCounts): string {
  return `${formatCount(c['not-conform'], 'non conforme', 'non conformes')}, ${formatCount(c.undeclared, 'incomplet (valeur non déclarée)', 'incomplets (valeurs non déclarées)')} et ${formatCount(c['needs-evidence'], 'en attente de justificatif', 'en attente de justificatifs')}`;
}

/** The figures a bar shows, in words. */
function figures(c: VerdictCounts): Run[] {
  return [
    { text: `${formatCount(c.conform, 'conforme', 'conformes')} sur ${formatInteger(c.total)} (${formatPercent(c.shareConform)})\u00a0; ` },
    { text: `${formatCount(c['not-conform'], 'non conforme', 'non conformes')}\u00a0; ${formatCount(c.undeclared, 'non déclaré', 'non déclarés')}\u00a0; ${formatCount(c['needs-evidence'], 'justificatif attendu', 'justificatifs attendus')}.` },
  ];
}

function bar(caption: Run[], c: VerdictCounts): BarBlock {
  return {
    type: 'bar',
    caption,
    segments: [
      { value: c.conform, tone: 'positive' },
      { value: c['not-conform'], tone: 'negative' },
      { value: c.undeclared, tone: 'missing' },
      { value: c['needs-evidence'], tone: 'pending' },
    ],
  };
}
