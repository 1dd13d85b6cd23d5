import { CriterionIdSchema } from '#src/core/model/criterion.ts';
import { issuesFromZod, ValidationError, type Issue } from '#src/core/model/errors.ts';
import type { CatalogueSnapshot } from '#src/core/model/resolve-tender.ts';
import { readDeclared } from './declared-value.ts';
import { isBundle, ProductSchema, type Product } from './product.ts';
import { CsvReader, FileLimitError, PRODUCT_FILE_LIMITS, readJson, type CsvRecord, type ProductFileLimits, type SheetTable } from './read-table.ts';

/**
 * Product files in: a CSV (one line per product) or a JSON catalogue, read against a pinned
 * framework version so that each declared value is checked against the criterion it is for. All
 * problems come back together as one ValidationError whose paths name the line and the column
 * (`rows.12.tablet.storage.user`, line 1 being the header) or the JSON field
 * (`products.3.attributes.tablet.ram`); nothing is returned from a refused file.
 */

export type ProductFileFormat = 'csv' | 'json' | 'xlsx';

/** The fixed columns of a CSV product file, in French or English. */
const COLUMNS: Record<string, 'reference' | 'supplier' | 'brand' | 'model' | 'item' | 'offer' | 'components'> = {
  reference: 'reference', référence: 'reference', ref: 'reference',
  fournisseur: 'supplier', supplier: 'supplier', titulaire: 'supplier',
  marque: 'brand', brand: 'brand',
  modèle: 'model', modele: 'model', model: 'model',
  article: 'item', item: 'item',
  offre: 'offer', offer: 'offer',
  composants: 'components', components: 'components',
};

/** Column headers the importer reads and drops (kept for the supplier's own use). */
const IGNORED = new Set(['prix', 'price', 'prix ht', 'ean', 'gtin', 'commentaire', 'comment', 'remarque']);

export interface ImportOptions {
  /** Asked now and then while reading; true stops the import (a time bound). */
  outOfTime?: () => boolean;
  limits?: ProductFileLimits;
  /** Told the number of products read so far, every thousand. */
  onProgress?: (rows: number) => void;
}

/** Reads and validates a product file; ValidationError with every issue, FileLimitError when a bound is passed. */
export function importProducts(text: string, format: 'csv' | 'json', snapshot: CatalogueSnapshot, options: ImportOptions = {}): Product[] {
  const limits = options.limits ?? PRODUCT_FILE_LIMITS;
  if (text.length > limits.bytes) throw new FileLimitError('bytes', `the file exceeds ${limits.bytes} bytes`);
  const reader = new ProductFileReader(snapshot, format, options);
  const products = format === 'csv' ? [...reader.csv(text), ...reader.csvEnd()] : [...reader.json(text)];
  reader.refuseIfInvalid();
  return products;
}

/** Reads and validates the rows of an .xlsx product sheet (its cells read by an adapter), as importProducts does a CSV. */
export function importProductSheet(table: SheetTable, snapshot: CatalogueSnapshot, options: ImportOptions = {}): Product[] {
  const reader = new ProductFileReader(snapshot, 'xlsx', options);
  const products = [...reader.sheet(table)];
  reader.refuseIfInvalid();
  return products;
}

/** Where a CSV file's columns go: the product fields, and the criteria with the unit their header gives. */
interface CsvColumns {
  fixed: Map<string, number>;
  criteria: Array<{ index: number; id: string; unit?: string; header: string }>;
  /** The header of each criterion's column, for issue paths. */
  headerOf: Map<string, string>;
}

/**
 * A product file read piece by piece (a CSV in chunks, or a JSON text), each product validated as
 * it comes: the valid products are yielded, the issues kept (at most `limits.issues`, the first
 * ones). What spans products (unique references, a bundle's components) is checked by `issues()`
 * at the end, from the references and bundles met, not from the products: a caller that only
 * counts or writes each product holds nothing in proportion to the file but those.
 */
export class ProductFileReader {
  private readonly limits: ProductFileLimits;
  /** Issues of the file's shape (CsvReader), then of its products: reported in that order. */
  private readonly tableIssues: Issue[] = [];
  private readonly rowIssues: Issue[] = [];
  private readonly csvReader: CsvReader;
  private columns: CsvColumns | undefined;
  private headerRead = false;
  /** The first product of each reference: where it is and what it is (an item, or a bundle). */
  private readonly references = new Map<string, { at: string; item?: string }>();
  private readonly duplicates: Issue[] = [];
  /** « Produits! » while a workbook's sheet is read, so that every path names the sheet; empty for a CSV. */
  private prefix = '';
  private readonly outOfTime: () => boolean;
  private readonly onProgress: (rows: number) => void;
  private readonly bundles: Array<{ product: Product & { offer: string; components: NonNullable<Product['components']> }; field: (name: string) => string }> = [];

  constructor(
    private readonly snapshot: CatalogueSnapshot,
    private readonly format: ProductFileFormat,
    options: ImportOptions = {},
  ) {
    this.limits = options.limits ?? PRODUCT_FILE_LIMITS;
    this.outOfTime = options.outOfTime ?? (() => false);
    this.onProgress = options.onProgress ?? (() => {});
    this.csvReader = new CsvReader(this.tableIssues, options.outOfTime, this.limits, options.onProgress);
  }

  /** The valid products of a piece of CSV text. */
  *csv(piece: string): Generator<Product> {
    yield* this.csvRecords(this.csvReader.push(piece));
  }

  /** The last product of a CSV file, once every piece is given. */
  *csvEnd(): Generator<Product> {
    yield* this.csvRecords(this.csvReader.end());
  }

  /**
   * The valid products of a workbook's sheet (an .xlsx product file, its cells read by an adapter
   * as text): the same columns as a CSV, the header first, each record numbered by its row, and
   * every issue path naming the sheet as well (`Produits!rows.12.tablet.ram`).
   */
  *sheet(table: SheetTable): Generator<Product> {
    this.prefix = `${table.sheet}!`;
    if (table.records.length === 0) this.tableIssues.push({ path: `${this.prefix}rows.1`, message: 'the sheet is empty: expected a header row, then one row per product' });
    if (table.records.length > this.limits.rows + 1) throw new FileLimitError('rows', `more than ${this.limits.rows} products`);
    const width = table.records[0]?.cells.length ?? 0;
    for (const [index, record] of table.records.entries()) {
      if (index > 0 && index % 1000 === 0) {
        if (this.outOfTime()) throw new FileLimitError('time', `reading stopped at row ${record.line}: the file takes too long to read`);
        this.onProgress(index);
      }
      if (record.cells.length > width && record.cells.slice(width).some((c) => c !== '')) {
        this.tableIssues.push({ path: `${this.prefix}rows.${record.line}`, message: `a value beyond the ${width} columns of the header` });
      }
      yield* this.csvRecords([record]);
    }
  }

  /** The valid products of a whole JSON file. */
  *json(text: string): Generator<Product> {
    const data = readJson(text, this.tableIssues, this.limits);
    if (data === undefined) return;
    const products = Array.isArray(data) ? data : typeof data === 'object' && data !== null && Array.isArray((data as { products?: unknown }).products) ? (data as { products: unknown[] }).products : undefined;
    if (products === undefined) {
      this.tableIssues.push({ path: '', message: 'expected an array of products, or an object with a products array' });
      return;
    }
    if (products.length > this.limits.rows) throw new FileLimitError('rows', `more than ${this.limits.rows} products`);
    for (const [index, raw] of products.entries()) {
      const product = this.validated(raw, (name) => `products.${index}${name === '' ? '' : `.${name}`}`);
      if (product) yield this.located(product, `products.${index}`, (name) => `products.${index}.${name}`);
    }
  }

  /** Every issue of the file, the first `limits.issues`; cross-product checks only when each product reads. */
  issues(): Issue[] {
    const issues = [...this.tableIssues, ...this.rowIssues];
    if (issues.length === 0) issues.push(...this.duplicates, ...this.componentIssues());
    return issues.slice(0, this.limits.issues);
  }

  /** Throws the file's issues as one ValidationError, if it has any. */
  refuseIfInvalid(): void {
    const issues = this.issues();
    if (issues.length > 0) throw new ValidationError(issues);
  }

  /** The references that bundles name as components (the products a check must keep at hand). */
  componentReferences(): Set<string> {
    return new Set(this.bundles.flatMap((b) => b.product.components.map((c) => c.reference)));
  }

  private *csvRecords(records: readonly CsvRecord[]): Generator<Product> {
    for (const { line, cells } of records) {
      if (!this.headerRead) {
        this.headerRead = true;
        this.columns = this.csvColumns(cells, line);
        continue;
      }
      if (this.columns === undefined) continue;
      const product = this.csvProduct(line, cells, this.columns);
      if (product) yield this.located(product, `${this.prefix}rows.${line}`, (name) => `${this.prefix}rows.${line}.${name}`);
    }
  }

  private csvColumns(header: readonly string[], line: number): CsvColumns | undefined {
    const issues: Issue[] = [];
    // The header's line: 1 in a CSV, the first row written in a workbook's sheet (a title may come first).
    const at = `${this.prefix}rows.${line}`;
    const fixed = new Map<string, number>();
    const criteria: CsvColumns['criteria'] = [];
    const snapshot = this.snapshot;
    header.forEach((raw, index) => {
      const header = raw.trim();
      const name = COLUMNS[header.toLowerCase()];
      if (name !== undefined) {
        if (fixed.has(name)) issues.push({ path: `${at}.${header}`, message: `column ${name} appears twice` });
        fixed.set(name, index);
        return;
      }
      if (IGNORED.has(header.toLowerCase()) || header === '') return;
      const match = /^([^\s(]+)\s*(?:\(([^)]{1,30})\))?$/.exec(header);
      const id = match?.[1] ?? header;
      if (!CriterionIdSchema.safeParse(id).success || !snapshot.criteria.has(id)) {
        issues.push({ path: `${at}.${header}`, message: `unknown column: neither a product field (${[...new Set(Object.values(COLUMNS))].join(', ')}) nor a criterion of ${snapshot.framework.id} v${snapshot.framework.version}` });
        return;
      }
      if (criteria.some((c) => c.id === id)) issues.push({ path: `${at}.${header}`, message: `criterion ${id} has two columns` });
      criteria.push(match?.[2] === undefined ? { index, id, header } : { index, id, unit: match[2], header });
    });
    for (const required of ['reference', 'supplier', 'brand', 'model'] as const) {
      if (!fixed.has(required)) issues.push({ path: at, message: `column ${required} is missing` });
    }
    if (!fixed.has('item') && !fixed.has('offer')) issues.push({ path: at, message: 'column item (article) is missing' });
    this.report(issues);
    return issues.length > 0 ? undefined : { fixed, criteria, headerOf: new Map(criteria.map((c) => [c.id, c.header])) };
  }

  private csvProduct(line: number, cells: readonly string[], { fixed, criteria, headerOf }: CsvColumns): Product | undefined {
    const cell = (name: string) => {
      const index = fixed.get(name);
      const value = index === undefined ? '' : (cells[index] ?? '');
      return value === '' ? undefined : value;
    };
    const raw: Record<string, unknown> = {
      reference: cell('reference'),
      supplier: cell('supplier'),
      brand: cell('brand'),
      model: cell('model'),
    };
    for (const name of ['item', 'offer'] as const) if (cell(name) !== undefined) raw[name] = cell(name);
    const components = cell('components');
    if (components !== undefined) {
      const parsed = parseComponents(components);
      if (typeof parsed === 'string') this.report([{ path: `${this.prefix}rows.${line}.composants`, message: parsed }]);
      else raw.components = parsed;
    }
    const attributes: Record<string, unknown> = {};
    for (const column of criteria) {
      const value = cells[column.index] ?? '';
      if (value !== '') attributes[column.id] = column.unit === undefined ? value : { value, unit: column.unit };
    }
    raw.attributes = attributes;
    return this.validated(raw, (name) => `${this.prefix}rows.${line}.${name.startsWith('attributes.') ? (headerOf.get(name.slice('attributes.'.length)) ?? name) : name}`);
  }

  private validated(raw: unknown, path: (name: string) => string): Product | undefined {
    const issues: Issue[] = [];
    const product = validate(raw, this.snapshot, issues, path);
    this.report(issues);
    return product;
  }

  /** Keeps issues up to the bound: the file is refused either way, and the first ones are the useful ones. */
  private report(issues: readonly Issue[]): void {
    for (const issue of issues) if (this.rowIssues.length < this.limits.issues) this.rowIssues.push(issue);
  }

  /** Records a valid product's reference (and a bundle's components) for the checks across products. */
  private located(product: Product, at: string, field: (name: string) => string): Product {
    const first = this.references.get(product.reference);
    if (first) {
      if (this.duplicates.length < this.limits.issues) this.duplicates.push({ path: field('reference'), message: `reference ${product.reference} already used at ${first.at}` });
    } else this.references.set(product.reference, isBundle(product) ? { at } : { at, item: product.item! });
    if (isBundle(product)) this.bundles.push({ product, field });
    return product;
  }

  /** A bundle's components exist, are not bundles and belong to its offer. */
  private componentIssues(): Issue[] {
    const issues: Issue[] = [];
    for (const { product, field } of this.bundles) {
      const offerItems = new Set(this.snapshot.offers.get(product.offer)!.items.map((i) => i.itemId));
      product.components.forEach((component, index) => {
        const at = field(this.format !== 'json' ? 'composants' : `components.${index}.reference`);
        const target = this.references.get(component.reference);
        if (!target) issues.push({ path: at, message: `no product ${component.reference} in this catalogue` });
        else if (target.item === undefined) issues.push({ path: at, message: `${component.reference} is itself a bundle` });
        else if (!offerItems.has(target.item)) issues.push({ path: at, message: `${component.reference} is a ${target.item}, which offer ${product.offer} does not hold` });
      });
    }
    return issues;
  }
}

/** « TAB-001 x16 ; CART-02 x1 » (or « 16 × TAB-001 ») into components; a message when it does not read. */
function parseComponents(text: string): Array<{ reference: string; quantity: number }> | string {
  const parts = text.split(/[;|+]/).map((p) => p.trim()).filter((p) => p !== '');
  const components: Array<{ reference: string; quantity: number }> = [];
  for (const part of parts) {
    const match = /^(.+?)\s*[x×*]\s*(\d{1,5})$/iu.exec(part) ?? /^(\d{1,5})\s*[x×*]\s*(.+)$/iu.exec(part);
    if (!match) {
      components.push({ reference: part, quantity: 1 });
      continue;
    }
    const [reference, quantity] = /^\d/.test(match[1]!) ? [match[2]!, match[1]!] : [match[1]!, match[2]!];
    components.push({ reference: reference.trim(), quantity: Number(quantity) });
  }
  return components.length === 0 ? 'expected components such as « TAB-001 x16 ; CART-02 x1 »' : components;
}

/**
 * One product against the schema, then each declared value against its criterion: the product
 * with its values read (numbers with canonical units, booleans, options), or undefined after
 * adding its issues. `path` turns a field name into the issue path the caller's format uses.
 */
function validate(raw: unknown, snapshot: CatalogueSnapshot, issues: Issue[], path: (name: string) => string): Product | undefined {
  const before = issues.length;
  const rawAttributes = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as { attributes?: unknown }).attributes : undefined;
  const attributes: Record<string, unknown> = {};
  if (rawAttributes !== undefined && (typeof rawAttributes !== 'object' || rawAttributes === null || Array.isArray(rawAttributes))) {
    issues.push({ path: path('attributes'), message: 'expected an object of declared values by criterion id' });
    return undefined;
  }
  for (const [id, value] of Object.entries((rawAttributes ?? {}) as Record<string, unknown>)) {
    const criterion = snapshot.criteria.get(id);
    if (!criterion) {
      issues.push({ path: path(`attributes.${id}`), message: `not a criterion of ${snapshot.framework.id} v${snapshot.framework.version}` });
      continue;
    }
    const read = readDeclared(criterion, value);
    if ('problem' in read) issues.push({ path: path(`attributes.${id}`), message: read.problem });
    else attributes[id] = read.value;
  }
  const parsed = ProductSchema.safeParse({ ...(raw as object), attributes });
  if (!parsed.success) {
    for (const issue of issuesFromZod(parsed.error)) issues.push({ path: path(issue.path), message: issue.message });
    return undefined;
  }
  const product = parsed.data;
  if (product.item !== undefined && !snapshot.items.has(product.item)) {
    issues.push({ path: path('item'), message: `unknown item « ${product.item} » (expected one of: ${[...snapshot.items.keys()].join(', ')})` });
  }
  if (product.offer !== undefined && !snapshot.offers.has(product.offer)) {
    issues.push({ path: path('offer'), message: `unknown offer « ${product.offer} » (expected one of: ${[...snapshot.offers.keys()].join(', ')})` });
  }
  return issues.length === before ? product : undefined;
}
