import { ApiError } from './api.ts';
import { fieldMessage } from './messages.ts';

/** What the « Catalogues » page sends at most: the API's body bound (a larger file goes through `cahier conformity`). */
export const PRODUCT_UPLOAD_BYTES = 256 * 1024;

/** The media type of an .xlsx workbook, as the API expects it. */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type ProductFileFormat = 'xlsx' | 'csv' | 'json';

/** The format a chosen file is sent as, from its name (browsers often leave `File.type` empty for CSV). */
export function productFileFormat(name: string): ProductFileFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  return lower.endsWith('.json') ? 'json' : 'csv';
}

export const PRODUCT_CONTENT_TYPES: Record<ProductFileFormat, string> = {
  xlsx: XLSX_TYPE,
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
};

/** A refused product file, in French: the summary, then each problem where the user finds it. */
export interface ProductFileRefusal {
  summary: string;
  issues: Array<{ place: string; message: string }>;
}

/**
 * Where a problem sits, as the spreadsheet user reads it: `Produits!rows.12.tablet.storage.user`
 * is « feuille Produits, ligne 12, colonne tablet.storage.user », `rows.4` of a CSV « ligne 4 »,
 * a header cell « cellule C1 »; the file itself (its name, a part of the package, the body) « le fichier ».
 */
export function productPlace(path: string): string {
  const bang = path.indexOf('!');
  const sheet = bang > 0 ? path.slice(0, bang) : undefined;
  const rest = bang > 0 ? path.slice(bang + 1) : path;
  const row = /^rows\.(\d+)(?:\.(.+))?$/.exec(rest);
  if (!row) {
    if (sheet !== undefined) return `feuille ${sheet}`;
    return path === '' || path === 'body' || /\.xls[xm]?(?::|$)/i.test(path) ? 'le fichier' : path;
  }
  const parts = sheet !== undefined ? [`feuille ${sheet}`] : [];
  const [, line, column] = row;
  if (column !== undefined && new RegExp(`^[A-Z]{1,3}${line}$`).test(column)) parts.push(`cellule ${column}`);
  else {
    parts.push(`ligne ${line}`);
    if (column !== undefined) parts.push(`colonne ${column}`);
  }
  return parts.join(', ');
}

/** The reader's and the importer's reasons (English, in the API) in French; anything else as the forms say it. */
export function productIssueMessage(message: string): string {
  let m: RegExpExecArray | null;
  if ((m = /^a formula \(=(.*)\) where a value is expected/.exec(message))) return `une formule (=${m[1]}) là où une valeur est attendue : saisissez la valeur elle-même.`;
  if ((m = /^an error value \((.*)\) where a value is expected/.exec(message))) return `une valeur d’erreur (${m[1]}) là où une valeur est attendue.`;
  if (/^a date where a value is expected/.test(message)) return 'une date là où une valeur est attendue : saisissez la valeur comme texte (« 36 mois », « 2031 »).';
  if (/macro/.test(message)) return 'les classeurs avec macros (.xlsm) ne sont pas acceptés : enregistrez le fichier au format .xlsx.';
  if (/^not an \.xlsx workbook/.test(message)) return 'ce fichier n’est pas un classeur .xlsx.';
  if ((m = /^the sheet goes beyond row (\d+)/.exec(message))) return `la feuille dépasse la ligne ${m[1]}.`;
  if (/^the (sheet|file) is empty/.test(message)) return 'le fichier est vide : une ligne d’en-tête est attendue, puis une ligne par produit.';
  if (/^unknown column/.test(message)) return 'colonne inconnue : ni un champ du produit, ni un critère de cette version du référentiel.';
  if ((m = /^column (\S+) .*is missing/.exec(message))) return `la colonne ${m[1]} manque.`;
  if ((m = /^column (\S+) appears twice/.exec(message))) return `la colonne ${m[1]} figure deux fois.`;
  if ((m = /^reference (.+) already used at (.+)$/.exec(message))) return `la référence ${m[1]} figure déjà (${productPlace(m[2]!)}).`;
  if ((m = /^unknown item « (.+?) »/.exec(message))) return `article inconnu « ${m[1]} ».`;
  if ((m = /^(\d+) cells for (\d+) columns/.exec(message))) return `${m[1]} cellules pour ${m[2]} colonnes.`;
  return fieldMessage(message);
}

/**
 * The French reading of a refusal of `POST /catalogues/check`, or undefined when the refusal is
 * not about the file (network, rights, an unknown framework: the page's general message).
 */
export function productFileRefusal(error: unknown): ProductFileRefusal | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const issues = (error.problem.errors ?? []).map((i) => ({ place: productPlace(i.path), message: productIssueMessage(i.message) }));
  if (error.status === 413) {
    return { summary: `le fichier dépasse ${PRODUCT_UPLOAD_BYTES / 1024}\u00a0Kio, la limite de cette page : découpez-le, ou vérifiez-le avec la commande cahier conformity.`, issues };
  }
  if (error.status === 415) return { summary: 'ce format n’est pas accepté : envoyez un classeur .xlsx (sans macros), un fichier CSV ou un fichier JSON.', issues };
  const fileIssues = (error.problem.errors ?? []).filter((i) => i.path !== 'framework' && i.path !== 'version');
  if (error.status !== 422 || fileIssues.length === 0) return undefined;
  const summary = issues.length === 1 ? `${issues[0]!.place} : ${issues[0]!.message}` : `${issues.length}\u00a0problèmes, détaillés sous le champ.`;
  return { summary: `le fichier a été refusé, rien n’a été enregistré ; ${summary}`, issues };
}
