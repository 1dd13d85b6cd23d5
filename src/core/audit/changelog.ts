import * as z from 'zod';
import { ITEM_FIELDS, OFFER_FIELDS } from './entry-fields.ts';
import type { EntryRef, Framework } from '#src/core/model/catalogue.ts';
import type { Criterion } from '#src/core/model/criterion.ts';
import { formatThreshold } from '#src/core/model/metric.ts';
import { renderRequirementText } from '#src/core/model/requirement-text.ts';
import { changeLabels, LEVEL_LABELS, PROOF_LABELS } from '#src/core/documents/labels.ts';
import { frameworkDiff, type CriterionChange } from '#src/core/products/framework-diff.ts';
import { FieldChangeSchema, type AuditEntry, type FieldChange } from './audit-entry.ts';

/**
 * What a framework publication changes, criterion by criterion, as the CCTP prints it: the
 * publication preview (pinned version against the latest criterion versions) and the changelog
 * of a published version (against the previous one). The classification (tightened, loosened,
 * level raised…) is the catalogue impact's (frameworkDiff); the excerpt is the CCTP's text.
 */

/** One side of a criterion change: the version, and the fields the CCTP prints, worded as printed. */
export const CriterionExcerptSchema = z.object({
  version: z.number().int().positive(),
  label: z.string(),
  text: z.string().describe('The requirement text with its threshold, as the CCTP prints it'),
  threshold: z.string(),
  level: z.string().describe('As printed: « Exigence minimale » or « Appréciée »'),
  proof: z.string().describe('The proofs asked, as printed'),
});
export type CriterionExcerpt = z.infer<typeof CriterionExcerptSchema>;

const CRITERION_CHANGES = ['added', 'removed', 'tightened', 'loosened', 'level-raised', 'level-lowered', 'rewritten'] as const satisfies readonly CriterionChange[];

export const PublicationChangeSchema = z.object({
  criterionId: z.string(),
  label: z.string(),
  changes: z.array(z.enum(CRITERION_CHANGES)),
  before: CriterionExcerptSchema.optional(),
  after: CriterionExcerptSchema.optional(),
});
export type PublicationChange = z.infer<typeof PublicationChangeSchema>;

/** An item or offer whose pinned version changes: the versions, and what differs field by field. */
export const EntryChangeSchema = z.object({
  id: z.string(),
  label: z.string().describe('The label of the version pinned after (before, for an entry the new version no longer pins)'),
  before: z.number().int().positive().optional().describe('The version pinned before; absent for an entry added'),
  after: z.number().int().positive().optional().describe('The version pinned after; absent for an entry removed'),
  fields: z.array(FieldChangeSchema).describe('Each field that differs, before → after (an offer’s composition as `item × quantity, …`)'),
});
export type EntryChange = z.infer<typeof EntryChangeSchema>;

export type PublicationPreview = z.infer<typeof PublicationPreviewSchema>;
export const PublicationPreviewSchema = z
  .object({
    framework: z.object({ id: z.string(), version: z.number().int().positive() }).describe('The latest published version, the base of the comparison'),
    changes: z.array(PublicationChangeSchema).describe('Each pinned criterion whose latest version differs, before → after as the CCTP prints it'),
    items: z.array(EntryChangeSchema).describe('Each catalogue item whose latest version differs from the one pinned (a framework published before items were versioned pins version 1 of each)'),
    offers: z.array(EntryChangeSchema).describe('Each offer whose latest version differs from the one pinned'),
  })
  .describe('What publishing the next version would change; `changes`, `items` and `offers` all empty: nothing to publish');

/** The changes of a publication besides its criteria. */
export interface EntryPublicationChanges {
  items: EntryChange[];
  offers: EntryChange[];
}

/**
 * The entries whose pinned version differs between two lists of pins, each version looked up in
 * `versions` (any order), with `diff` telling the fields apart.
 */
export function entryChanges<T extends { id: string; version: number; label: string }>(
  before: readonly EntryRef[],
  after: readonly EntryRef[],
  versions: readonly T[],
  diff: (before: T | undefined, after: T) => FieldChange[],
): EntryChange[] {
  const byRef = new Map(versions.map((v) => [`${v.id}@${v.version}`, v]));
  const b = new Map(before.map((ref) => [ref.id, byRef.get(`${ref.id}@${ref.version}`)]));
  const a = new Map(after.map((ref) => [ref.id, byRef.get(`${ref.id}@${ref.version}`)]));
  const changes: EntryChange[] = [];
  for (const id of new Set([...b.keys(), ...a.keys()])) {
    const was = b.get(id);
    const is = a.get(id);
    if (was?.version === is?.version) continue;
    const label = is?.label ?? was?.label ?? id;
    changes.push({ id, label, ...(was ? { before: was.version } : {}), ...(is ? { after: is.version } : {}), fields: is ? diff(was, is) : [] });
  }
  return changes;
}

export function criterionExcerpt(c: Criterion): CriterionExcerpt {
  return {
    version: c.version,
    label: c.label,
    text: renderRequirementText(c.requirement, c.metric),
    threshold: formatThreshold(c.metric),
    level: LEVEL_LABELS[c.level],
    proof: c.proof.map((p) => PROOF_LABELS[p]).join(', '),
  };
}

/**
 * The criteria whose pinned version differs between `base` and `candidate`, each pinned version
 * looked up in `versions` (the two frameworks' criterion versions, any order).
 */
export function publicationChanges(base: Framework, candidate: Framework, versions: readonly Criterion[]): PublicationChange[] {
  const byRef = new Map(versions.map((c) => [`${c.id}@${c.version}`, c]));
  const pinned = (f: Framework) =>
    new Map(f.criteria.flatMap((ref) => {
      const c = byRef.get(`${ref.id}@${ref.version}`);
      return c ? [[ref.id, c] as const] : [];
    }));
  const snapshot = (f: Framework) => ({ framework: f, criteria: pinned(f), items: new Map(), offers: new Map() });
  const before = snapshot(base);
  const after = snapshot(candidate);
  return frameworkDiff(before, after).map((d) => {
    const change: PublicationChange = { criterionId: d.criterionId, label: d.label, changes: d.changes };
    const b = before.criteria.get(d.criterionId);
    const a = after.criteria.get(d.criterionId);
    if (b) change.before = criterionExcerpt(b);
    if (a) change.after = criterionExcerpt(a);
    return change;
  });
}

/** The fields of a criterion change each changelog shows, with their French names (Markdown and PDF alike). */
export const FIELDS: ReadonlyArray<[keyof CriterionExcerpt, string]> = [
  ['label', 'Intitulé'],
  ['threshold', 'Seuil'],
  ['level', 'Niveau'],
  ['proof', 'Justificatif'],
  ['text', 'Texte du CCTP'],
];

/** Markdown-safe inline text: user text is data, never markup. */
const md = (s: string) => s.replace(/[\\`*_[\]<>#|]/g, (ch) => `\\${ch}`).replace(/\s*\n\s*/g, ' ');

/**
 * The changelog of a published framework version, in Markdown: version, date, author and reason
 * (from the audit trail), then each changed criterion with before → after. Deterministic: the
 * same framework versions and entry give the same bytes.
 */
export function changelogMarkdown(
  framework: Framework,
  previous: Framework | undefined,
  entry: AuditEntry | undefined,
  changes: readonly PublicationChange[],
  entries: EntryPublicationChanges = { items: [], offers: [] },
): string {
  const lines = [
    `# ${md(framework.title)} — version ${framework.version}`,
    '',
    `- Référentiel : \`${framework.id}\` (${md(framework.reference)})`,
    `- Version : ${framework.version}${previous ? ` (remplace la version ${previous.version})` : ' (première version)'}`,
    `- Date de publication : ${framework.publishedAt ?? 'non renseignée'}`,
    `- Auteur : ${entry ? md(entry.actor) : 'non enregistré dans le journal'}`,
    `- Motif : ${entry ? md(entry.reason) : 'non enregistré dans le journal'}`,
    '',
    '## Critères modifiés',
    '',
  ];
  if (changes.length === 0) lines.push(previous ? 'Aucun critère ne change de version.' : `${framework.criteria.length} critères épinglés.`, '');
  for (const change of changes) {
    const versions = [change.before && `v${change.before.version}`, change.after && `v${change.after.version}`].filter(Boolean).join(' → ');
    lines.push(`### ${md(change.label)} (\`${change.criterionId}\`, ${versions})`, '', `Changement : ${changeLabels(change.changes)}.`, '');
    for (const [field, title] of FIELDS) {
      const b = change.before?.[field];
      const a = change.after?.[field];
      if (b === a) continue;
      lines.push(`- ${title} : ${b === undefined ? '(absent)' : md(String(b))} → ${a === undefined ? '(absent)' : md(String(a))}`);
    }
    lines.push('');
  }
  // Sections only when something changed, so that the changelog of a version that changed
  // criteria alone reads as it always did.
  entrySection(lines, 'Articles modifiés', entries.items, ITEM_FIELDS);
  entrySection(lines, 'Offres modifiées', entries.offers, OFFER_FIELDS);
  return `${lines.join('\n').trimEnd()}\n`;
}


/** What happened to an item or offer between two versions, in French. */
export function entryChangeKind(change: EntryChange): string {
  return change.before === undefined ? 'ajout' : change.after === undefined ? 'retrait' : 'nouvelle version';
}

function entrySection(lines: string[], title: string, changes: readonly EntryChange[], fields: Readonly<Record<string, string>>): void {
  if (changes.length === 0) return;
  lines.push(`## ${title}`, '');
  for (const change of changes) {
    const versions = [change.before && `v${change.before}`, change.after && `v${change.after}`].filter(Boolean).join(' → ');
    lines.push(`### ${md(change.label)} (\`${change.id}\`, ${versions})`, '', `Changement : ${entryChangeKind(change)}.`, '');
    for (const field of change.fields) {
      lines.push(`- ${fields[field.field] ?? field.field} : ${field.before === undefined ? '(absent)' : md(field.before)} → ${field.after === undefined ? '(absent)' : md(field.after)}`);
    }
    lines.push('');
  }
}
