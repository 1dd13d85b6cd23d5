import type { Criterion } from '#src/core/model/criterion.ts';
import { compareMetric, formatThreshold } from '#src/core/model/metric.ts';
import type { CatalogueSnapshot } from '#src/core/model/catalogue-snapshot.ts';

/**
 * How the criteria of two framework snapshots differ, apart from the catalogue impact (impact.ts)
 * so that the changelog (catalogue-read) classifies changes without bundling the product checks.
 */

export type CriterionChange = 'added' | 'removed' | 'tightened' | 'loosened' | 'level-raised' | 'level-lowered' | 'rewritten';

export interface CriterionDiff {
  criterionId: string;
  label: string;
  changes: CriterionChange[];
  before?: { version: number; threshold: string; level: string };
  after?: { version: number; threshold: string; level: string };
}

/** The criteria that differ between two snapshots, in the candidate's order then the removed ones. */
export function frameworkDiff(base: CatalogueSnapshot, candidate: CatalogueSnapshot): CriterionDiff[] {
  const side = (c: Criterion) => ({ version: c.version, threshold: formatThreshold(c.metric), level: c.level });
  const diffs: CriterionDiff[] = [];
  const ids = [...candidate.framework.criteria.map((c) => c.id), ...base.framework.criteria.map((c) => c.id).filter((id) => !candidate.criteria.has(id))];
  for (const id of [...new Set(ids)]) {
    const before = base.criteria.get(id);
    const after = candidate.criteria.get(id);
    if (!before && after) diffs.push({ criterionId: id, label: after.label, changes: ['added'], after: side(after) });
    else if (before && !after) diffs.push({ criterionId: id, label: before.label, changes: ['removed'], before: side(before) });
    else if (before && after && before.version !== after.version) {
      const changes: CriterionChange[] = [];
      const metric = compareMetric(before.metric, after.metric);
      if (metric === 'tightened' || metric === 'loosened') changes.push(metric);
      if (before.level !== after.level) changes.push(after.level === 'minimum' ? 'level-raised' : 'level-lowered');
      if (changes.length === 0) changes.push('rewritten');
      diffs.push({ criterionId: id, label: after.label, changes, before: side(before), after: side(after) });
    }
  }
  return diffs;
}

