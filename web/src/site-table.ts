import type { DraftSite } from './draft.ts';
import { parseFrenchNumber } from './format.ts';

/** The UAI code's shape (unité administrative immatriculée), as the API checks it: 7 digits and a capital letter. */
export const UAI_PATTERN = /^\d{7}[A-Z]$/;

export type PastedSite = Omit<DraftSite, 'id'>;

type Column = 'name' | 'address' | 'uai' | 'pupils' | 'teachers' | 'deliveryPeriods';

/** Columns in this order when the table has no header row. */
export const SITE_COLUMNS: readonly Column[] = ['name', 'address', 'uai', 'pupils', 'teachers', 'deliveryPeriods'];

export const SITE_COLUMN_LABELS: Record<Column, string> = {
  name: 'nom',
  address: 'adresse',
  uai: 'UAI',
  pupils: 'élèves',
  teachers: 'enseignants',
  deliveryPeriods: 'périodes de livraison',
};

const HEADERS: Array<[RegExp, Column]> = [
  [/^(nom|établissement|etablissement|école|ecole|collège|college|lycée|lycee|site)/i, 'name'],
  [/^adresse/i, 'address'],
  [/^(uai|rne|code)/i, 'uai'],
  [/^(élève|eleve|effectif)/i, 'pupils'],
  [/^(enseignant|professeur)/i, 'teachers'],
  [/(livraison|période|periode|horaire|créneau|creneau)/i, 'deliveryPeriods'],
];

function headerOf(cells: readonly string[]): Column[] | undefined {
  const columns = cells.map((c) => HEADERS.find(([pattern]) => pattern.test(c.trim()))?.[1]);
  return columns.includes('name') && columns.filter(Boolean).length >= 2 ? (columns as Column[]) : undefined;
}

/**
 * A table copied from a spreadsheet (tab-separated rows): one establishment a row. A first row of
 * column names (« Nom », « UAI », « Élèves »…) sets the columns, in any order; without one they are
 * name, address, UAI, pupils, teachers, delivery periods. Rows with a problem are reported by
 * their number in the pasted text, and left out.
 */
export function parseSiteTable(text: string): { sites: PastedSite[]; problems: Array<{ row: number; message: string }> } {
  const rows = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line, i) => ({ row: i + 1, cells: line.split('\t') }))
    .filter((r) => r.cells.some((c) => c.trim() !== ''));
  const header = rows[0] ? headerOf(rows[0].cells) : undefined;
  const columns = header ?? SITE_COLUMNS;
  const sites: PastedSite[] = [];
  const problems: Array<{ row: number; message: string }> = [];
  for (const { row, cells } of header ? rows.slice(1) : rows) {
    const value = (column: Column) => {
      const i = columns.indexOf(column);
      return i < 0 ? '' : (cells[i] ?? '').trim();
    };
    const count = (column: Column): number | undefined | 'bad' => {
      const raw = value(column);
      if (raw === '') return undefined;
      const n = parseFrenchNumber(raw);
      return n !== undefined && Number.isInteger(n) && n >= 0 ? n : 'bad';
    };
    const site = { name: value('name'), address: value('address'), uai: value('uai').toUpperCase(), pupils: count('pupils'), teachers: count('teachers'), deliveryPeriods: value('deliveryPeriods') };
    if (site.name === '') problems.push({ row, message: 'nom manquant' });
    else if (site.uai !== '' && !UAI_PATTERN.test(site.uai)) problems.push({ row, message: `code UAI « ${site.uai} » invalide (7 chiffres puis une lettre)` });
    else if (site.pupils === 'bad' || site.teachers === 'bad') problems.push({ row, message: 'nombre d’élèves ou d’enseignants illisible' });
    else sites.push(site as PastedSite);
  }
  return { sites, problems };
}
