import * as z from 'zod';
import { CriterionIdSchema, LevelSchema, MetricSchema, type Criterion } from '#src/core/model/criterion.ts';
import { ValidationError, type Issue } from '#src/core/model/errors.ts';
import type { CatalogueSnapshot } from '#src/core/model/resolve-tender.ts';
import { convertible, convertibleUnits } from '#src/core/model/units.ts';
import { countVerdicts, severity, type VerdictCounts } from './catalogue-report.ts';
import { checkProducts } from './catalogue-report.ts';
import type { CriterionCheck, ProductCheck, Verdict } from './check-product.ts';
import type { Product } from './product.ts';
import { frameworkDiff, type CriterionDiff } from './framework-diff.ts';

export { frameworkDiff, type CriterionChange, type CriterionDiff } from './framework-diff.ts';

/**
 * The impact of a framework change on a catalogue, before the ministry publishes it: what changes
 * in the criteria (added, removed, tightened, loosened, level raised or lowered), and which
 * products lose or gain conformity, with the reason. The change is either a version already
 * written (compare two snapshots) or a draft: edits of thresholds and levels on top of a version.
 */

export const DraftChangeSchema = z.strictObject({
  id: CriterionIdSchema,
  metric: MetricSchema.optional(),
  level: LevelSchema.optional(),
});
export type DraftChange = z.infer<typeof DraftChangeSchema>;

export const DraftChangesSchema = z.array(DraftChangeSchema).min(1).max(200);

/**
 * The snapshot with the draft's edits: each edited criterion becomes its next version (not
 * stored), so the checks and the diff name the version it would be published as.
 */
export function applyDraft(base: CatalogueSnapshot, changes: readonly DraftChange[]): CatalogueSnapshot {
  const issues: Issue[] = [];
  const criteria = new Map(base.criteria);
  changes.forEach((change, index) => {
    const current = criteria.get(change.id);
    if (!current) {
      issues.push({ path: `changes.${index}.id`, message: `${change.id} is not a criterion of ${base.framework.id} v${base.framework.version}` });
      return;
    }
    if (change.metric && change.metric.type !== current.metric.type) {
      issues.push({ path: `changes.${index}.metric.type`, message: `the metric of ${change.id} is ${current.metric.type}` });
      return;
    }
    if (change.metric && 'unit' in change.metric && 'unit' in current.metric && !convertible(change.metric.unit, current.metric.unit)) {
      issues.push({ path: `changes.${index}.metric.unit`, message: `expected one of ${convertibleUnits(current.metric.unit)}` });
      return;
    }
    const next: Criterion = { ...current, version: current.version + 1 };
    if (change.metric) next.metric = change.metric;
    if (change.level) next.level = change.level;
    criteria.set(change.id, next);
  });
  if (issues.length > 0) throw new ValidationError(issues);
  return { ...base, criteria };
}

/** A product whose verdict changes: its identity as the check reports it, both verdicts. */
export interface VerdictChange extends Pick<ProductCheck, 'reference' | 'supplier' | 'brand' | 'model' | 'item' | 'offer'> {
  before: Verdict;
  after: Verdict;
  /** What decides the new verdict (the first reason), when it is not conform. */
  reason?: CriterionCheck;
}

export interface CatalogueImpact {
  from: { id: string; version: number };
  /** The candidate: a published version, or `draft` for unpublished edits. */
  to: { id: string; version: number | 'draft' };
  criteria: CriterionDiff[];
  before: VerdictCounts;
  after: VerdictCounts;
  /** Products conform before and not after. */
  losing: VerdictChange[];
  /** Products conform after and not before. */
  gaining: VerdictChange[];
  /** Other changes of verdict (undeclared becoming not conform…). */
  otherChanges: VerdictChange[];
}

export function catalogueImpact(products: readonly Product[], base: CatalogueSnapshot, candidate: CatalogueSnapshot, draft: boolean): CatalogueImpact {
  const before = checkProducts(products, base);
  const after = checkProducts(products, candidate);
  const losing: VerdictChange[] = [];
  const gaining: VerdictChange[] = [];
  const otherChanges: VerdictChange[] = [];
  before.forEach((b, i) => {
    const a = after[i]!;
    if (a.verdict === b.verdict) return;
    const change: VerdictChange = { reference: a.reference, supplier: a.supplier, brand: a.brand, model: a.model, before: b.verdict, after: a.verdict };
    if (a.item !== undefined) change.item = a.item;
    if (a.offer !== undefined) change.offer = a.offer;
    if (a.reasons[0]) change.reason = a.reasons[0];
    if (b.verdict === 'conform') losing.push(change);
    else if (a.verdict === 'conform') gaining.push(change);
    else otherChanges.push(change);
  });
  otherChanges.sort((x, y) => severity(x.after) - severity(y.after));
  return {
    from: { id: base.framework.id, version: base.framework.version },
    to: { id: candidate.framework.id, version: draft ? 'draft' : candidate.framework.version },
    criteria: frameworkDiff(base, candidate),
    before: countVerdicts(before.map((c) => c.verdict)),
    after: countVerdicts(after.map((c) => c.verdict)),
    losing,
    gaining,
    otherChanges,
  };
}
