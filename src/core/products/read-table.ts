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

/** Thrown when a file breaks a bound: the caller answers 413 (size) or 422 (shape), writing nothing. */
export class FileLimitError extends Error {
  constructor(readonly limit: keyof ProductFileLimits | 'time', message: string) {
    super(message);
    this.name = 'FileLimitError';
  }
}

/** The separator of a CSV file, from its header line: French spreadsheets write « ; » (the comma is the decimal mark), others « , »; a tab for pasted tables. */
function separatorOf(first: string): string {
  const counts = [';', ',', '\t'].map((s) => ({ s, n: first.split(s).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0]!.n > 0 ? counts[0]!.s : ';';
}

/** One record of a CSV file with its line number (1-based, the header is line 1). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/** The rows of a workbook's sheet as text records (an .xlsx product file, read by an adapter), `line` being the row number. */
export interface SheetTable {
  sheet: string;
  records: CsvRecord[];
}

/**
 * Reads a CSV text given in pieces (RFC 4180 quoting, CRLF or LF, UTF-8 with or without BOM), so
 * that a large file is read without holding it: `push` returns the records its piece completed,
 * `end` the last one. The header is the first record. The bounds are checked as it goes:
 * `outOfTime` is asked every thousand records, so a caller can bound the time spent, and
 * `onProgress` told how many products were read. Malformed lines (an unclosed quote, a record
 * longer than the header) are issues with their line and column; too many rows, columns or
 * characters in a cell stop the reading with a FileLimitError.
 */
export class CsvReader {
  private separator: string | undefined;
  /** Text before the end of the header line, kept until the separator can be chosen. */
  private waiting = '';
  private started = false;
  private cells: string[] = [];
  private cell = '';
  private quoted = false;
  /** A quote seen inside a quoted cell: a doubled quote or the end of the cell, told by the next character. */
  private quoteSeen = false;
  private wasQuoted = false;
  private line = 1;
  private rowLine = 1;
  private records = 0;
  private headerLength: number | undefined;
  private out: CsvRecord[] = [];

  constructor(
    private readonly issues: Issue[],
    private readonly outOfTime: () => boolean = () => false,
    private readonly limits: ProductFileLimits = PRODUCT_FILE_LIMITS,
    private readonly onProgress: (rows: number) => void = () => {},
  ) {}

  push(piece: string): CsvRecord[] {
    let text = piece;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.separator === undefined) {
      this.waiting += text;
      const end = this.waiting.indexOf('\n');
      if (end === -1) return [];
      this.separator = separatorOf(this.waiting.slice(0, end));
      text = this.waiting;
      this.waiting = '';
    }
    this.scan(text);
    return this.take();
  }

  /** The last record, and the issues of a file that ends inside a quote or has no header. */
  end(): CsvRecord[] {
    if (this.separator === undefined) {
      this.separator = separatorOf(this.waiting);
      const text = this.waiting;
      this.waiting = '';
      this.scan(text);
    }
    if (this.quoteSeen) {
      this.quoted = false;
      this.quoteSeen = false;
    }
    if (this.quoted) this.issues.push({ path: `rows.${this.rowLine}`, message: 'a quoted cell is never closed' });
    this.pushRow();
    if (this.records === 0) this.issues.push({ path: 'rows.1', message: 'the file is empty: expected a header line, then one line per product' });
    return this.take();
  }

  private take(): CsvRecord[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private tooLong(): FileLimitError {
    return new FileLimitError('cellChars', `line ${this.rowLine}, column ${this.cells.length + 1}: a cell holds more than ${this.limits.cellChars} characters`);
  }

  private pushCell(): void {
    if (this.cell.length > this.limits.cellChars) throw this.tooLong();
    this.cells.push(this.wasQuoted ? this.cell : this.cell.trim());
    if (this.cells.length > this.limits.columns) throw new FileLimitError('columns', `line ${this.rowLine}: more than ${this.limits.columns} columns`);
    this.cell = '';
    this.wasQuoted = false;
  }

  private pushRow(): void {
    this.pushCell();
    const cells = this.cells;
    this.cells = [];
    if (cells.length === 1 && cells[0] === '') return;
    this.records++;
    if (this.records > this.limits.rows + 1) throw new FileLimitError('rows', `more than ${this.limits.rows} products`);
    // Every thousand products (the header is not one).
    const products = this.records - 1;
    if (products > 0 && products % 1000 === 0) {
      if (this.outOfTime()) throw new FileLimitError('time', `reading stopped at line ${this.rowLine}: the file takes too long to read`);
      this.onProgress(products);
    }
    if (this.headerLength === undefined) this.headerLength = cells.length;
    else if (cells.length > this.headerLength) this.issues.push({ path: `rows.${this.rowLine}`, message: `${cells.length} cells for ${this.headerLength} columns` });
    this.out.push({ line: this.rowLine, cells });
  }

  private scan(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (this.quoteSeen) {
        this.quoteSeen = false;
        if (c === '"') {
          this.cell += '"';
          continue;
        }
        this.quoted = false;
      }
      if (this.quoted) {
        if (c === '"') this.quoteSeen = true;
        else {
          if (c === '\n') this.line++;
          this.cell += c;
          if (this.cell.length > this.limits.cellChars) throw this.tooLong();
        }
        continue;
      }
      if (c === '"' && this.cell.trim() === '') {
        this.quoted = true;
        this.wasQuoted = true;
        this.cell = '';
      } else if (c === this.separator) this.pushCell();
      else if (c === '\n') {
        this.pushRow();
        this.line++;
        this.rowLine = this.line;
      } else if (c !== '\r') this.cell += c;
    }
  }
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
