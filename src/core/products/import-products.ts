import { CriterionIdSchema } from '#src/core/model/criterion.ts';
import { issuesFromZod, ValidationError, type Issue } from '#src/core/model/errors.ts';
import type { CatalogueSnapshot } from '#src/core/model/resolve-tender.ts';
import { readDeclared } from './declared-value.ts';
import { isBundle, ProductSchema, type Product } from './product.ts';
import { FileLimitError, PRODUCT_FILE_LIMITS, readCsv, readJson, type ProductFileLimits, type Table } from './read-table.ts';

/**
 * Product files in: a CSV (one line per product) or a JSON catalogue, read against a pinned
 * framework version so that each declared value is checked against the criterion it is for. All
 * problems come back together as one ValidationError whose paths name the line and the column
 * (`rows.12.tablet.storage.user`, line 1 being the header) or the JSON field
 * (`products.3.attributes.tablet.ram`); nothing is returned from a refused file.
 */

export type ProductFileFormat = 'csv' | 'json';

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
export function importProducts(text: string, format: ProductFileFormat, snapshot: CatalogueSnapshot, options: ImportOptions = {}): Product[] {
  const limits = options.limits ?? PRODUCT_FILE_LIMITS;
  if (text.length > limits.bytes) throw new FileLimitError('bytes', `the file exceeds ${limits.bytes} bytes`);
  const issues: Issue[] = [];
  const products = format === 'csv' ? fromCsv(readCsv(text, issues, options.outOfTime, limits, options.onProgress), snapshot, issues) : fromJson(readJson(text, issues, limits), snapshot, issues, limits);
  if (issues.length === 0) crossCheck(products, snapshot, format, issues);
  if (issues.length > 0) throw new ValidationError(issues.slice(0, limits.issues));
  return products.map((p) => p.product);
}

interface Located {
  product: Product;
  /** Path prefix of this product's issues. */
  at: string;
  /** Path of a field of this product. */
  field: (name: string) => string;
}

function fromCsv(table: Table, snapshot: CatalogueSnapshot, issues: Issue[]): Located[] {
  if (table.header.length === 0) return [];
  const fixed = new Map<string, number>();
  const criteria: Array<{ index: number; id: string; unit?: string; header: string }> = [];
  table.header.forEach((raw, index) => {
    const header = raw.trim();
    const name = COLUMNS[header.toLowerCase()];
    if (name !== undefined) {
      if (fixed.has(name)) issues.push({ path: `rows.1.${header}`, message: `column ${name} appears twice` });
      fixed.set(name, index);
      return;
    }
    if (IGNORED.has(header.toLowerCase()) || header === '') return;
    const match = /^([^\s(]+)\s*(?:\(([^)]{1,30})\))?$/.exec(header);
    const id = match?.[1] ?? header;
    if (!CriterionIdSchema.safeParse(id).success || !snapshot.criteria.has(id)) {
      issues.push({ path: `rows.1.${header}`, message: `unknown column: neither a product field (${[...new Set(Object.values(COLUMNS))].join(', ')}) nor a criterion of ${snapshot.framework.id} v${snapshot.framework.version}` });
      return;
    }
    if (criteria.some((c) => c.id === id)) issues.push({ path: `rows.1.${header}`, message: `criterion ${id} has two columns` });
    criteria.push(match?.[2] === undefined ? { index, id, header } : { index, id, unit: match[2], header });
  });
  for (const required of ['reference', 'supplier', 'brand', 'model'] as const) {
    if (!fixed.has(required)) issues.push({ path: 'rows.1', message: `column ${required} is missing` });
  }
  if (!fixed.has('item') && !fixed.has('offer')) issues.push({ path: 'rows.1', message: 'column item (article) is missing' });
  if (issues.length > 0) return [];

  const located: Located[] = [];
  for (const { line, cells } of table.records) {
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
      if (typeof parsed === 'string') issues.push({ path: `rows.${line}.composants`, message: parsed });
      else raw.components = parsed;
    }
    const attributes: Record<string, unknown> = {};
    for (const column of criteria) {
      const value = cells[column.index] ?? '';
      if (value !== '') attributes[column.id] = column.unit === undefined ? value : { value, unit: column.unit };
    }
    raw.attributes = attributes;
    const columnOf = new Map(criteria.map((c) => [c.id, c.header]));
    const product = validate(raw, snapshot, issues, (name) => `rows.${line}.${name.startsWith('attributes.') ? (columnOf.get(name.slice('attributes.'.length)) ?? name) : name}`);
    if (product) located.push({ product, at: `rows.${line}`, field: (name) => `rows.${line}.${name}` });
  }
  return located;
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

function fromJson(data: unknown, snapshot: CatalogueSnapshot, issues: Issue[], limits: ProductFileLimits): Located[] {
  if (data === undefined) return [];
  const products = Array.isArray(data) ? data : typeof data === 'object' && data !== null && Array.isArray((data as { products?: unknown }).products) ? (data as { products: unknown[] }).products : undefined;
  if (products === undefined) {
    issues.push({ path: '', message: 'expected an array of products, or an object with a products array' });
    return [];
  }
  if (products.length > limits.rows) throw new FileLimitError('rows', `more than ${limits.rows} products`);
  const located: Located[] = [];
  products.forEach((raw, index) => {
    const product = validate(raw, snapshot, issues, (name) => `products.${index}${name === '' ? '' : `.${name}`}`);
    if (product) located.push({ product, at: `products.${index}`, field: (name) => `products.${index}.${name}` });
  });
  return located;
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

/** Across products: references are unique, and a bundle's components exist, are not bundles and belong to its offer. */
function crossCheck(products: Located[], snapshot: CatalogueSnapshot, format: ProductFileFormat, issues: Issue[]): void {
  const byReference = new Map<string, Located>();
  for (const located of products) {
    const { reference } = located.product;
    if (byReference.has(reference)) issues.push({ path: located.field('reference'), message: `reference ${reference} already used at ${byReference.get(reference)!.at}` });
    else byReference.set(reference, located);
  }
  for (const located of products) {
    const { product } = located;
    if (!isBundle(product)) continue;
    const offerItems = new Set(snapshot.offers.get(product.offer)!.items.map((i) => i.itemId));
    product.components.forEach((component, index) => {
      const at = located.field(format === 'csv' ? 'composants' : `components.${index}.reference`);
      const target = byReference.get(component.reference)?.product;
      if (!target) issues.push({ path: at, message: `no product ${component.reference} in this catalogue` });
      else if (isBundle(target)) issues.push({ path: at, message: `${component.reference} is itself a bundle` });
      else if (!offerItems.has(target.item!)) issues.push({ path: at, message: `${component.reference} is a ${target.item}, which offer ${product.offer} does not hold` });
    });
  }
}
