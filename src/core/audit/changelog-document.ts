import type { Block, DocumentModel, Run } from '#src/core/documents/blocks.ts';
import { changeLabels } from '#src/core/documents/labels.ts';
import type { Framework } from '#src/core/model/catalogue.ts';
import { formatCount, formatDate } from '#src/core/model/format.ts';
import { frenchApostrophes } from '#src/core/model/typography.ts';
import type { AuditEntry } from './audit-entry.ts';
import { ITEM_FIELDS, OFFER_FIELDS } from './entry-fields.ts';
import { entryChangeKind, FIELDS, type EntryChange, type EntryPublicationChanges, type PublicationChange } from './changelog.ts';

const shown = (value: string | number | undefined) => (value === undefined ? '(absent)' : frenchApostrophes(String(value)));

function beforeAfterTable(rows: Run[][][]): Block {
  return { type: 'table', header: [[{ text: 'Champ' }], [{ text: 'Avant' }], [{ text: 'Après' }]], rows, align: ['left', 'left', 'left'] };
}

/** One numbered section of item or offer changes, each with its fields before → after. */
function entrySection(number: string, title: string, changes: readonly EntryChange[], fields: Readonly<Record<string, string>>): Block[] {
  const blocks: Block[] = [{ type: 'heading', level: 1, number, text: title, anchor: `sec-${number}` }];
  changes.forEach((change, i) => {
    const sub = `${number}.${i + 1}`;
    const versions = [change.before && `v${change.before}`, change.after && `v${change.after}`].filter(Boolean).join(' → ');
    blocks.push(
      { type: 'heading', level: 2, number: sub, text: `${frenchApostrophes(change.label)} (${change.id}, ${versions})`, anchor: `sec-${sub.replace('.', '-')}` },
      { type: 'paragraph', runs: [{ text: 'Changement\u00a0: ', bold: true }, { text: `${entryChangeKind(change)}.` }] },
    );
    const rows = change.fields.map((f): Run[][] => [[{ text: fields[f.field] ?? f.field, bold: true }], [{ text: shown(f.before) }], [{ text: shown(f.after) }]]);
    if (rows.length > 0) blocks.push(beforeAfterTable(rows));
  });
  return blocks;
}

/**
 * The changelog of a published framework version as a document, for the PDF anyone may download:
 * the same data as the Markdown (changelogMarkdown: the version, the audit entry, the publication
 * changes) laid out by the project's renderer, with a cover giving the version, its date, author
 * and reason, then one section per changed criterion and a table of its fields before → after.
 * User text (labels, reason, author) is data: the blocks never read it as markup. The same
 * version and entry give the same model, dated by the publication.
 */
export function changelogDocument(
  framework: Framework,
  previous: Framework | undefined,
  entry: AuditEntry | undefined,
  changes: readonly PublicationChange[],
  entries: EntryPublicationChanges = { items: [], offers: [] },
): DocumentModel {
  const title = `${frenchApostrophes(framework.title)} — version ${framework.version}`;
  const published = framework.publishedAt === undefined ? 'non renseignée' : formatDate(framework.publishedAt);
  const unknown = 'non enregistré dans le journal';
  const blocks: Block[] = [
    { type: 'heading', level: 1, number: '1', text: 'Critères modifiés', anchor: 'sec-1' },
    {
      type: 'paragraph',
      runs: [
        {
          text:
            changes.length === 0
              ? previous
                ? `Aucun critère ne change de version par rapport à la version\u00a0${previous.version}.`
                : `Première version\u00a0: ${formatCount(framework.criteria.length, 'critère épinglé', 'critères épinglés')}.`
              : `${formatCount(changes.length, 'critère change', 'critères changent')} de version${previous ? ` par rapport à la version\u00a0${previous.version}` : ''}.`,
        },
      ],
    },
  ];
  changes.forEach((change, i) => {
    const number = `1.${i + 1}`;
    const versions = [change.before && `v${change.before.version}`, change.after && `v${change.after.version}`].filter(Boolean).join(' → ');
    blocks.push(
      { type: 'heading', level: 2, number, text: `${frenchApostrophes(change.label)} (${change.criterionId}, ${versions})`, anchor: `sec-${number.replace('.', '-')}` },
      { type: 'paragraph', runs: [{ text: 'Changement\u00a0: ', bold: true }, { text: `${changeLabels(change.changes)}.` }] },
    );
    const rows: Run[][][] = [];
    for (const [field, name] of FIELDS) {
      const before = change.before?.[field];
      const after = change.after?.[field];
      if (before === after) continue;
      rows.push([[{ text: name, bold: true }], [{ text: shown(before) }], [{ text: shown(after) }]]);
    }
    if (rows.length > 0) blocks.push(beforeAfterTable(rows));
  });
  // As in the Markdown: a section only when items or offers changed.
  let section = 1;
  for (const [title, list, fields] of [
    ['Articles modifiés', entries.items, ITEM_FIELDS],
    ['Offres modifiées', entries.offers, OFFER_FIELDS],
  ] as const) {
    if (list.length > 0) blocks.push(...entrySection(String(++section), title, list, fields));
  }
  return {
    meta: {
      title: `Journal des modifications — ${title}`,
      subject: `Ce que change la version ${framework.version} du référentiel ${framework.id} (${frenchApostrophes(framework.reference)})`,
      author: 'Cahier',
      keywords: ['référentiel', 'journal des modifications', framework.id, `v${framework.version}`],
      language: 'fr-FR',
      createdAt: `${framework.publishedAt ?? '1980-01-01'}T00:00:00.000Z`,
    },
    cover: {
      kicker: 'Journal des modifications d’un référentiel',
      title,
      facts: [
        { label: 'Référentiel', value: `${frenchApostrophes(framework.reference)} (${framework.id})` },
        { label: 'Version', value: `${framework.version}${previous ? ` (remplace la version\u00a0${previous.version})` : ' (première version)'}` },
        { label: 'Date de publication', value: published },
        { label: 'Auteur', value: entry ? entry.actor : unknown },
        { label: 'Motif', value: entry ? frenchApostrophes(entry.reason) : unknown },
      ],
      footnote: 'Chaque critère est cité tel que le CCTP l’imprime, avant et après la publication.',
    },
    footerText: `Journal des modifications — ${framework.id} v${framework.version}`,
    blocks,
  };
}
