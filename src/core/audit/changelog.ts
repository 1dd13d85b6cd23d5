import * as z from 'zod';
import type { Framework } from '#src/core/model/catalogue.ts';
import type { Criterion } from '#src/core/model/criterion.ts';
import { formatThreshold } from '#src/core/model/metric.ts';
import { renderRequirementText } from '#src/core/model/requirement-text.ts';
import { changeLabels, LEVEL_LABELS, PROOF_LABELS } from '#src/core/documents/labels.ts';
import { frameworkDiff, type CriterionChange } from '#src/core/products/framework-diff.ts';
import type { AuditEntry } from './audit-entry.ts';

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

export type PublicationPreview = z.infer<typeof PublicationPreviewSchema>;
export const PublicationPreviewSchema = z
  .object({
    framework: z.object({ id: z.string(), version: z.number().int().positive() }).describe('The latest published version, the base of the comparison'),
    changes: z.array(PublicationChangeSchema).describe('Each pinned criterion whose latest version differs, before → after as the CCTP prints it; empty: nothing to publish'),
  })
  .describe('What publishing the next version would change');

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
export function changelogMarkdown(framework: Framework, previous: Framework | undefined, entry: AuditEntry | undefined, changes: readonly PublicationChange[]): string {
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
  return `${lines.join('\n').trimEnd()}\n`;
}
