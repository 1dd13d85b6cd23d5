import { canonicalJson } from './canonical-json.ts';
import {
  AuthorityTypeSchema,
  CATEGORIES,
  ComparatorSchema,
  CriterionKindSchema,
  CriterionSchema,
  LevelSchema,
  ProofSchema,
  type Criterion,
} from './criterion.ts';
import { uniqueIssues, type Issue } from './errors.ts';
import { currentCriterionIssues } from './requirement-text.ts';
import { UNIT_NAMES } from './units.ts';

/**
 * The criteria of a framework as one sheet, for the ministry's review circuits: one row per
 * criterion (its latest version), one column per field an editor may change, the id and the
 * version read-only. The same column list drives the workbook Cahier writes (src/adapters/render/xlsx/,
 * the documents function) and the reading of a returned file (the bounded reader, criteria-write),
 * so the two cannot disagree on a column. Pure: no workbook library here.
 */

export const CRITERIA_SHEET = 'Critères';

/** What the identity sheet says about the file: which framework it lists, exported from which version. */
export const CRITERIA_DOCUMENT = 'criteres';

/** The very hidden identity sheet (as the bid workbooks have): label in column A, value in column B. */
export const CRITERIA_IDENTITY_SHEET = 'Cahier';
export const CRITERIA_IDENTITY_ROWS = { framework: 1, version: 2, document: 3 } as const;

export const METRIC_TYPES = ['numeric', 'range', 'boolean', 'enum', 'text'] as const;

/** Separators of the list cells: options of an enumerated metric, proofs. */
export const OPTION_SEPARATOR = ';';
export const PROOF_SEPARATOR = ',';

export interface SheetColumn {
  /** The column's name in issue paths (`Critères!rows.5.seuil`). */
  key: string;
  /** The header printed on row 1. */
  header: string;
  width: number;
  /** The id and the version: written by Cahier, locked. */
  readOnly?: true;
  /** The values a list validation offers. */
  list?: readonly string[];
}

export const CRITERIA_COLUMNS = [
  { key: 'id', header: 'Identifiant', width: 28, readOnly: true },
  { key: 'version', header: 'Version', width: 9, readOnly: true },
  { key: 'categorie', header: 'Catégorie', width: 18, list: CATEGORIES },
  { key: 'nature', header: 'Nature', width: 14, list: CriterionKindSchema.options },
  { key: 'intitule', header: 'Intitulé', width: 32 },
  { key: 'niveau', header: 'Niveau', width: 12, list: LevelSchema.options },
  { key: 'autorite', header: 'Autorité', width: 18, list: AuthorityTypeSchema.options },
  { key: 'reference', header: 'Référence', width: 26 },
  { key: 'source', header: 'Source', width: 26 },
  { key: 'exigence', header: 'Exigence (texte du CCTP, {seuil} à la place du seuil)', width: 60 },
  { key: 'metrique', header: 'Métrique', width: 12, list: METRIC_TYPES },
  { key: 'unite', header: 'Unité', width: 14, list: UNIT_NAMES },
  { key: 'operateur', header: 'Opérateur', width: 11, list: ComparatorSchema.options },
  { key: 'seuil', header: 'Seuil (minimum d’un intervalle ; oui ou non)', width: 16 },
  { key: 'seuil-max', header: 'Maximum (intervalle)', width: 14 },
  { key: 'options', header: 'Options (liste, de la plus faible à la plus forte, séparées par « ; »)', width: 30 },
  { key: 'justificatifs', header: 'Justificatifs (séparés par « , »)', width: 26 },
] as const satisfies readonly SheetColumn[];

export type ColumnKey = (typeof CRITERIA_COLUMNS)[number]['key'];

/** 1-based column of a key. */
export function columnOf(key: ColumnKey): number {
  return CRITERIA_COLUMNS.findIndex((c) => c.key === key) + 1;
}

/** A row as the sheet holds it: a text or a number per column key (absent: empty cell). */
export type SheetRow = Partial<Record<ColumnKey, string | number>>;

/** The cells of a criterion's row, as Cahier writes them. */
export function criterionRow(c: Criterion): SheetRow {
  const m = c.metric;
  const row: SheetRow = {
    id: c.id,
    version: c.version,
    categorie: c.category,
    nature: c.kind,
    intitule: c.label,
    niveau: c.level,
    autorite: c.authority.type,
    reference: c.authority.reference,
    exigence: c.requirement,
    metrique: m.type,
    justificatifs: c.proof.join(`${PROOF_SEPARATOR} `),
  };
  if (c.authority.source !== undefined) row.source = c.authority.source;
  if (m.type === 'numeric') Object.assign(row, { unite: m.unit, operateur: m.comparator, seuil: m.value });
  if (m.type === 'range') Object.assign(row, { unite: m.unit, seuil: m.min, 'seuil-max': m.max });
  if (m.type === 'boolean') row.seuil = m.expected ? 'oui' : 'non';
  if (m.type === 'enum') Object.assign(row, { operateur: m.comparator, seuil: m.value, options: m.options.join(`${OPTION_SEPARATOR} `) });
  return row;
}

/** Where a field of the criterion sits in the sheet, for the schema's issues. */
const FIELD_COLUMNS: Record<string, ColumnKey> = {
  id: 'id',
  version: 'version',
  category: 'categorie',
  kind: 'nature',
  label: 'intitule',
  level: 'niveau',
  'authority.type': 'autorite',
  'authority.reference': 'reference',
  'authority.source': 'source',
  requirement: 'exigence',
  'metric.type': 'metrique',
  'metric.unit': 'unite',
  'metric.comparator': 'operateur',
  'metric.value': 'seuil',
  'metric.expected': 'seuil',
  'metric.min': 'seuil',
  'metric.max': 'seuil-max',
  'metric.options': 'options',
  proof: 'justificatifs',
  lotScale: 'operateur',
};

function columnOfField(path: string): ColumnKey {
  for (let p = path; p !== ''; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const key = FIELD_COLUMNS[p];
    if (key) return key;
  }
  return 'metrique';
}

/** A number as a reviewer types it or a spreadsheet stores it: « 10,5 », « 10.5 », « 1 000 ». */
function parseNumber(text: string): number | undefined {
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, '');
  if (!/^-?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?$/.test(cleaned)) return undefined;
  const value = Number(cleaned.replace(',', '.'));
  return Number.isFinite(value) ? value : undefined;
}

/** What the cells of a metric column must hold, by metric type (absent: the cell stays empty). */
const METRIC_CELLS: Record<(typeof METRIC_TYPES)[number], ReadonlyArray<ColumnKey>> = {
  numeric: ['unite', 'operateur', 'seuil'],
  range: ['unite', 'seuil', 'seuil-max'],
  boolean: ['seuil'],
  enum: ['operateur', 'seuil', 'options'],
  text: [],
};
const METRIC_COLUMNS: readonly ColumnKey[] = ['unite', 'operateur', 'seuil', 'seuil-max', 'options'];

/**
 * The criterion a row describes: the row's cells over `base` (the version the row names, which
 * gives the fields the sheet does not show: CPV, note, lot scale, school levels), checked against
 * the criterion schema and the rules of a current version (`{seuil}` in the text, no number its
 * metric holds). Issues name the cell (`at(key)`); the criterion is returned only without any.
 */
export function criterionOfRow(row: SheetRow, base: Criterion, at: (key: ColumnKey) => string): { criterion?: Criterion; issues: Issue[] } {
  const issues: Issue[] = [];
  const text = (key: ColumnKey) => {
    const value = row[key];
    return value === undefined ? '' : String(value).trim();
  };
  const type = text('metrique');
  let metric: unknown;
  if (!(METRIC_TYPES as readonly string[]).includes(type)) {
    issues.push({ path: at('metrique'), message: `expected one of ${METRIC_TYPES.join(', ')}` });
  } else {
    const t = type as (typeof METRIC_TYPES)[number];
    for (const key of METRIC_COLUMNS) {
      if (!METRIC_CELLS[t].includes(key) && text(key) !== '') issues.push({ path: at(key), message: `a ${t} metric has no ${key}: leave the cell empty` });
    }
    for (const key of METRIC_CELLS[t]) if (text(key) === '') issues.push({ path: at(key), message: `required for a ${t} metric` });
    const number = (key: ColumnKey) => {
      const value = row[key];
      if (typeof value === 'number') return value;
      const parsed = parseNumber(text(key));
      if (parsed === undefined && text(key) !== '') issues.push({ path: at(key), message: `expected a number, found « ${text(key).slice(0, 40)} »` });
      return parsed;
    };
    if (t === 'numeric') metric = { type: t, unit: text('unite'), comparator: text('operateur'), value: number('seuil') };
    if (t === 'range') metric = { type: t, unit: text('unite'), min: number('seuil'), max: number('seuil-max') };
    if (t === 'boolean') {
      const yes = text('seuil').toLowerCase();
      if (yes !== '' && yes !== 'oui' && yes !== 'non') issues.push({ path: at('seuil'), message: 'expected oui or non' });
      metric = { type: t, expected: yes === 'oui' };
    }
    if (t === 'enum') {
      const options = text('options').split(OPTION_SEPARATOR).map((o) => o.trim()).filter((o) => o !== '');
      metric = { type: t, options, comparator: text('operateur'), value: text('seuil') };
    }
    if (t === 'text') metric = { type: t };
  }
  const proofs = text('justificatifs').split(PROOF_SEPARATOR).map((p) => p.trim()).filter((p) => p !== '');
  for (const proof of proofs) {
    if (!ProofSchema.safeParse(proof).success) issues.push({ path: at('justificatifs'), message: `unknown proof « ${proof.slice(0, 40)} »; expected among ${ProofSchema.options.join(', ')}` });
  }
  if (issues.length > 0) return { issues };
  const source = text('source');
  const candidate = {
    ...base,
    category: text('categorie'),
    kind: text('nature'),
    label: text('intitule'),
    level: text('niveau'),
    authority: { type: text('autorite'), reference: text('reference'), ...(source === '' ? {} : { source }) },
    requirement: text('exigence'),
    metric,
    proof: proofs,
  };
  const parsed = CriterionSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join('.');
      issues.push({ path: at(columnOfField(field)), message: issue.message });
    }
    return { issues: uniqueIssues(issues) };
  }
  for (const issue of currentCriterionIssues(parsed.data)) issues.push({ path: at(columnOfField(issue.path)), message: issue.message });
  return issues.length > 0 ? { issues } : { criterion: parsed.data, issues };
}

/** Whether two versions say the same thing (the version number aside). */
export function sameCriterion(a: Criterion, b: Criterion): boolean {
  const { version: _a, ...x } = a;
  const { version: _b, ...y } = b;
  return canonicalJson(x) === canonicalJson(y);
}
