import { SCHOOL_LEVEL_LABELS } from '../../src/core/model/school-levels.ts';
import type { Category, Criterion, Metric } from '../../src/core/model/criterion.ts';
import { allPages, type ApiClient } from './api.ts';
import { formatQuantity, formatThreshold } from './format.ts';
import { AUTHORITY_LABELS, CATEGORY_LABELS, CATEGORY_ORDER, COMPARATOR_LABELS, KIND_LABELS, LEVEL_LABELS, METRIC_TYPE_LABELS, PROOF_LABELS } from './labels.ts';

/** The catalogue's categories, in the documents' order (a value import of the zod schemas would pull zod into the bundle). */
export const CATEGORIES = CATEGORY_ORDER.filter((c): c is Category => c !== 'buyer');

/** Latest versions of every criterion, category by category (the API lists criteria per category). */
export async function loadAllCriteria(api: ApiClient, categories: readonly string[] = CATEGORIES): Promise<Criterion[]> {
  const pages = await Promise.all(categories.map((c) => allPages<Criterion>(api, `/criteria?category=${encodeURIComponent(c)}`)));
  return pages.flat();
}

/** A criterion as the editor reads it, field by field, to compare two versions. */
export function criterionFields(c: Omit<Criterion, 'version'>): Array<{ key: string; label: string; value: string }> {
  return [
    { key: 'label', label: 'Intitulé', value: c.label },
    { key: 'requirement', label: 'Texte de l’exigence', value: c.requirement },
    { key: 'category', label: 'Catégorie', value: CATEGORY_LABELS[c.category] },
    { key: 'kind', label: 'Nature', value: KIND_LABELS[c.kind] },
    { key: 'level', label: 'Niveau', value: LEVEL_LABELS[c.level] },
    { key: 'metric.type', label: 'Type de seuil', value: METRIC_TYPE_LABELS[c.metric.type] },
    { key: 'metric', label: 'Seuil', value: metricText(c.metric) },
    { key: 'authority.type', label: 'Source', value: AUTHORITY_LABELS[c.authority.type] },
    { key: 'authority.reference', label: 'Référence de la source', value: c.authority.reference },
    { key: 'authority.source', label: 'Publication de la source', value: c.authority.source ?? '' },
    { key: 'proof', label: 'Justificatifs', value: c.proof.map((p) => PROOF_LABELS[p]).join(', ') },
    { key: 'cpv', label: 'Code CPV', value: c.cpv ?? '' },
    { key: 'note', label: 'Note aux acheteurs', value: c.note ?? '' },
    { key: 'schoolLevels', label: 'Établissements concernés', value: c.schoolLevels ? c.schoolLevels.map((l) => SCHOOL_LEVEL_LABELS[l]).join(', ') : 'tous' },
  ];
}

function metricText(m: Metric): string {
  switch (m.type) {
    case 'numeric':
      return `${COMPARATOR_LABELS[m.comparator]} ${formatQuantity(m.value, m.unit)}`;
    case 'enum':
      return `${formatThreshold(m)} (options : ${m.options.join(' < ')})`;
    default:
      return formatThreshold(m);
  }
}

/** The fields that differ between two versions. */
export function diffCriteria(before: Omit<Criterion, 'version'>, after: Omit<Criterion, 'version'>): Array<{ key: string; label: string; before: string; after: string }> {
  const a = criterionFields(before);
  const b = criterionFields(after);
  return a.flatMap((field, i) => (field.value !== b[i]!.value ? [{ key: field.key, label: field.label, before: field.value, after: b[i]!.value }] : []));
}
