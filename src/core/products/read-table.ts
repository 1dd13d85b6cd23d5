import type { Issue } from '#src/core/model/errors.ts';

/**
 * Bounds on an uploaded product file. A catalogue comes from outside (a supplier, the purchasing
 * centre): its size, shape and the time spent on it are capped before anything is believed.
 * 20 000 rows holds the purchasing centre's whole digital-education catalogue twice over.
 */
export const PRODUCT_FILE_LIMITS = {
  bytes: 16 * 1024 * 1024,
  rows: 20_000,
  columns: 150,
  cellChars: 500,
  /** JSON nesting: a product is an object of objects, three or four levels deep. */
  depth: 8,
  /** Issues reported before giving up on a file (the first ones are the useful ones). */
  issues: 100,
} as const;

export type ProductFileLimits = { readonly [K in keyof typeof PRODUCT_FILE_LIMITS]: number };

/** A table read from a CSV file: the header cells, then each record with its line number (1-based, header is line 1). */
export interface Table {
  header: string[];
  records: Array<{ line: number; cells: string[] }>;
}

/** Thrown when a file breaks a bound: the caller answers 413 (size) or 422 (shape), writing nothing. */
export class FileLimitError extends Error {
  constructor(readonly limit: keyof ProductFileLimits | 'time', message: string) {
    super(message);
    this.name = 'FileLimitError';
  }
}

/**
 * The separator of a CSV file, from its header line: French spreadsheets write « ; » (the comma
 * is the decimal mark), others « , »; a tab for pasted tables.
 */
function separatorOf(text: string): string {
  const end = text.indexOf('\n');
  const first = end === -1 ? text : text.slice(0, end);
  const counts = [';', ',', '\t'].map((s) => ({ s, n: first.split(s).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0]!.n > 0 ? counts[0]!.s : ';';
}

/**
 * Reads a CSV text (RFC 4180 quoting, CRLF or LF, UTF-8 with or without BOM) into a table, in one
 * pass, checking the bounds as it goes: `outOfTime` is asked every thousand records, so a caller
 * can bound the time spent, and `onProgress` told how many products were read. Malformed lines (an unclosed quote, a record longer than the header)
 * are issues with their line and column; too many rows, columns or characters in a cell stop the
 * reading with a FileLimitError.
 */
export function readCsv(
  input: string,
  issues: Issue[],
  outOfTime: () => boolean = () => false,
  limits: ProductFileLimits = PRODUCT_FILE_LIMITS,
  onProgress: (rows: number) => void = () => {},
): Table {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const separator = separatorOf(text);
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let wasQuoted = false;
  const pushCell = () => {
    if (cell.length > limits.cellChars) {
      throw new FileLimitError('cellChars', `line ${rowLine}, column ${cells.length + 1}: a cell holds more than ${limits.cellChars} characters`);
    }
    cells.push(wasQuoted ? cell : cell.trim());
    if (cells.length > limits.columns) throw new FileLimitError('columns', `line ${rowLine}: more than ${limits.columns} columns`);
    cell = '';
    wasQuoted = false;
  };
  const pushRow = () => {
    pushCell();
    if (!(cells.length === 1 && cells[0] === '')) {
      rows.push({ line: rowLine, cells });
      if (rows.length > limits.rows + 1) throw new FileLimitError('rows', `more than ${limits.rows} products`);
      if (rows.length % 1000 === 0) {
        if (outOfTime()) throw new FileLimitError('time', `reading stopped at line ${rowLine}: the file takes too long to read`);
        onProgress(rows.length - 1);
      }
    }
    cells = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        cell += c;
        if (cell.length > limits.cellChars) {
          throw new FileLimitError('cellChars', `line ${rowLine}, column ${cells.length + 1}: a cell holds more than ${limits.cellChars} characters`);
        }
      }
      continue;
    }
    if (c === '"' && cell.trim() === '') {
      quoted = true;
      wasQuoted = true;
      cell = '';
    } else if (c === separator) pushCell();
    else if (c === '\n') {
      pushRow();
      line++;
      rowLine = line;
    } else if (c !== '\r') cell += c;
  }
  if (quoted) issues.push({ path: `rows.${rowLine}`, message: 'a quoted cell is never closed' });
  pushRow();
  const [head, ...records] = rows;
  if (!head) {
    issues.push({ path: 'rows.1', message: 'the file is empty: expected a header line, then one line per product' });
    return { header: [], records: [] };
  }
  for (const record of records) {
    if (record.cells.length > head.cells.length) {
      issues.push({ path: `rows.${record.line}`, message: `${record.cells.length} cells for ${head.cells.length} columns` });
    }
  }
  return { header: head.cells, records };
}

/**
 * Parses a JSON text after checking that its nesting stays within `limits.depth` (a linear scan,
 * so a hostile « [[[[… » never reaches the recursive parser). A syntax error is an issue at the root.
 */
export function readJson(text: string, issues: Issue[], limits: ProductFileLimits = PRODUCT_FILE_LIMITS): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      depth++;
      if (depth > limits.depth) throw new FileLimitError('depth', `JSON nested deeper than ${limits.depth} levels`);
    } else if (c === '}' || c === ']') depth--;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    issues.push({ path: '', message: `malformed JSON: ${(error as Error).message}` });
    return undefined;
  }
}
