/**
 * A bid read from the files the bidder returned: the compliance matrix and the price schedule
 * Cahier generated for the tender, filled in. Each file is read by SafeWorkbook (bounded, nothing
 * evaluated), checked to carry this tender's hidden identity (its id and its request's
 * fingerprint, identity.ts), then compared cell by cell with the template regenerated from the
 * stored tender, so the import knows which locked cells, rows or formulas the bidder altered. Answers are mapped by the requirement reference written on their row (L1-TAB-03), not
 * by position, so a deleted row loses its own answer only.
 */
import { createHash } from 'node:crypto';
import type { ResolvedLot, ResolvedTender } from '#src/core/model/resolve-tender.ts';
import { alterations, cellAt, DATE_WHERE_VALUE, parseAmount, typedText, type Alteration, type SheetCells } from '#src/core/offers/cells.ts';
import type { Bid, BidFiles, DeclaredTotal, LotBid, PriceLine, RequirementAnswer } from '#src/core/offers/bid.ts';
import { vatRates } from '#src/core/offers/conformity.ts';
export type { BidFile, BidFiles } from '#src/core/offers/bid.ts';
import { bidFileError } from '#src/core/offers/errors.ts';
import { ANSWER_COLUMNS, COMPLIANCE_HEADER_ROW, lotSheetName, renderComplianceMatrix } from '#src/adapters/render/xlsx/compliance-matrix.ts';
import { PRICE_HEADER_ROW, priceSheetName, renderPriceSchedule } from '#src/adapters/render/xlsx/price-schedule.ts';
import { IDENTITY_ROWS, IDENTITY_SHEET } from '#src/adapters/render/xlsx/identity.ts';
import type { PublishedTender } from '#src/app/ports/bid-reader.ts';
import { DEFAULT_XLSX_LIMITS, SafeWorkbook, type XlsxLimits } from './safe-xlsx.ts';

/** Characters of one answer (value, proof reference): a cell of the matrix, not a technical memoir. */
export const MAX_ANSWER_CHARS = 2_000;

/** The tender's blank templates, read once for every bid of a tender. */
export interface BidTemplates {
  matrix: SafeWorkbook;
  prices: SafeWorkbook;
  /** Whether a returned file must carry the identity sheet: false for a file the tender published before workbooks carried one. */
  identityRequired: { matrix: boolean; prices: boolean };
}

/** `published`: the stored tender (PublishedTender); absent for a tender the CLI reads from its request. */
export async function bidTemplates(tender: ResolvedTender, published?: PublishedTender): Promise<BidTemplates> {
  const tenderId = published?.tenderId;
  const matrix = await renderComplianceMatrix(tender, tenderId);
  const prices = await renderPriceSchedule(tender, { tenderId });
  // A stored file is the regenerated template, identity included, unless it was published before the identity existed.
  const required = (stored: string | undefined, bytes: Uint8Array) => stored === undefined || stored === createHash('sha256').update(bytes).digest('hex');
  return {
    matrix: new SafeWorkbook(matrix, 'modèle'),
    prices: new SafeWorkbook(prices, 'modèle'),
    identityRequired: { matrix: required(published?.sha256?.matrix, matrix), prices: required(published?.sha256?.prices, prices) },
  };
}

export function readBid(tender: ResolvedTender, templates: BidTemplates, files: BidFiles, limits: XlsxLimits = DEFAULT_XLSX_LIMITS): Bid {
  const matrix = new SafeWorkbook(files.matrix.bytes, files.matrix.name, limits);
  const prices = new SafeWorkbook(files.prices.bytes, files.prices.name, limits);
  sameIdentity(matrix, templates.matrix, files.matrix.name, templates.identityRequired.matrix);
  sameIdentity(prices, templates.prices, files.prices.name, templates.identityRequired.prices);
  const framework = tender.request.contract.form === 'framework-agreement';
  const lots: LotBid[] = [];
  for (const lot of tender.lots) {
    const sheet = lotSheetName(lot);
    const template = templates.matrix.sheet(sheet)!;
    const returned = sameTender(matrix, sheet, template, files.matrix.name);
    const last = COMPLIANCE_HEADER_ROW + lot.requirements.length;
    const isAnswer = (row: number, column: number) => row > COMPLIANCE_HEADER_ROW && row <= last && Object.values(ANSWER_COLUMNS).includes(column as 6);
    const changed = alterations(sheet, template, returned, isAnswer);
    const answers = readAnswers(lot, sheet, returned, changed);
    const priced = readPrices(lot, framework, templates.prices, prices, files.prices.name, changed);
    const empty = answers.every((a) => a.conform === undefined && a.conformText === undefined && a.value === undefined && a.proof === undefined);
    if (empty && priced.prices.every((p) => p.unitPrice === undefined && p.unreadable === undefined)) continue;
    lots.push({ lot: lot.number, answers, ...priced, alterations: changed });
  }
  return {
    bidder: files.bidder,
    files: [files.matrix, files.prices].map((f) => ({ name: f.name, bytes: f.bytes.length, sha256: createHash('sha256').update(f.bytes).digest('hex') })),
    lots,
  };
}

/**
 * Refuses (422) a workbook whose hidden identity sheet (identity.ts) is missing (unless `required`
 * is false: a file published before the identity) or does not name this tender, this request and
 * this document, before any of its cells is compared.
 */
function sameIdentity(workbook: SafeWorkbook, template: SafeWorkbook, file: string, required: boolean): void {
  const path = `${file}!${IDENTITY_SHEET}`;
  const returned = workbook.sheet(IDENTITY_SHEET);
  if (returned === undefined && !required) return;
  if (returned === undefined) {
    throw bidFileError('invalid', path, 'the workbook has lost the hidden identification Cahier writes in the files it generates: send the file as downloaded from the consultation, filled in');
  }
  const expected = template.sheet(IDENTITY_SHEET)!;
  const value = (cells: SheetCells, row: number) => cellAt(cells, row, 2)?.text.trim() ?? '';
  const found = (row: number) => value(returned, row);
  const wanted = (row: number) => value(expected, row);
  if (found(IDENTITY_ROWS.document) !== wanted(IDENTITY_ROWS.document)) {
    const document = wanted(IDENTITY_ROWS.document) === 'cadre-de-reponse' ? 'compliance matrix (cadre de réponse)' : 'price schedule (bordereau des prix)';
    throw bidFileError('invalid', path, `this is not the ${document} Cahier generated: send each file in its place`);
  }
  if (found(IDENTITY_ROWS.tenderId) !== wanted(IDENTITY_ROWS.tenderId)) {
    const other = found(IDENTITY_ROWS.tenderId);
    throw bidFileError('invalid', path, `the workbook was generated for ${other === '' ? 'a consultation Cahier did not store' : `the consultation ${other.slice(0, 64)}`}, not for this one: send the file of this consultation`);
  }
  if (found(IDENTITY_ROWS.fingerprint) !== wanted(IDENTITY_ROWS.fingerprint)) {
    throw bidFileError('invalid', path, 'the workbook was generated from another version of the consultation (its fingerprint differs): send the file of this consultation as published');
  }
}

/** The returned sheet, when the file is this tender's: same sheet and same title lines as generated (422 otherwise). */
function sameTender(workbook: SafeWorkbook, sheet: string, template: SheetCells, file: string): SheetCells {
  const returned = workbook.sheet(sheet);
  if (returned === undefined) throw bidFileError('invalid', file, `no sheet « ${sheet} »: this is not the file Cahier generated for this tender`);
  for (const row of [1, 2]) {
    if (cellAt(returned, row, 1)?.text.trim() !== cellAt(template, row, 1)?.text.trim()) {
      throw bidFileError('invalid', `${file}!${sheet}!A${row}`, 'the title lines name another consultation: this is not the file Cahier generated for this tender');
    }
  }
  return returned;
}

function answerText(cells: SheetCells, row: number, column: number, sheet: string): string | undefined {
  const cell = cellAt(cells, row, column);
  if (cell === undefined) return undefined;
  if (cell.formula !== undefined) throw bidFileError('invalid', `${sheet}!${cell.ref}`, 'a formula where a value is expected: type the answer itself');
  if (cell.kind === 'error') throw bidFileError('invalid', `${sheet}!${cell.ref}`, `an error value (${cell.text}) where an answer is expected`);
  // A value typed « 95 % » is stored 0.95 and shown as a percentage: read as typed, or a 90 % threshold would find it far below.
  const text = typedText(cell);
  if (text === undefined) throw bidFileError('invalid', `${sheet}!${cell.ref}`, DATE_WHERE_VALUE);
  if (text.length > MAX_ANSWER_CHARS) throw bidFileError('invalid', `${sheet}!${cell.ref}`, `the answer holds ${text.length} characters; at most ${MAX_ANSWER_CHARS}`);
  return text === '' ? undefined : text;
}

function readAnswers(lot: ResolvedLot, sheet: string, returned: SheetCells, changed: Alteration[]): RequirementAnswer[] {
  // Rows by the reference written on them; a reference seen twice keeps its first row.
  const rows = new Map<string, number>();
  for (const [row, cells] of [...returned].sort(([a], [b]) => a - b)) {
    const reference = cells.get(1)?.text.trim();
    if (row > COMPLIANCE_HEADER_ROW && reference && !rows.has(reference)) rows.set(reference, row);
  }
  return lot.requirements.map((requirement, i) => {
    const row = rows.get(requirement.reference);
    const expectedRow = COMPLIANCE_HEADER_ROW + 1 + i;
    if (row === undefined) {
      changed.push({ path: `${sheet}!A${expectedRow}`, expected: `ligne de l’exigence ${requirement.reference}`, found: 'ligne supprimée' });
      return { reference: requirement.reference, cell: `${sheet}!F${expectedRow}` };
    }
    const conformText = answerText(returned, row, ANSWER_COLUMNS.conform, sheet);
    const word = conformText?.toLowerCase();
    const conform = word === 'oui' ? 'yes' : word === 'non' ? 'no' : undefined;
    const answer: RequirementAnswer = { reference: requirement.reference, cell: `${sheet}!F${row}` };
    if (conform) answer.conform = conform;
    else if (conformText !== undefined) answer.conformText = conformText;
    const value = answerText(returned, row, ANSWER_COLUMNS.value, sheet);
    if (value !== undefined) answer.value = value;
    const proof = answerText(returned, row, ANSWER_COLUMNS.proof, sheet);
    if (proof !== undefined) answer.proof = proof;
    return answer;
  });
}

/**
 * The prices of one lot: unit prices from the DPGF (column E) or the BPU (column D); quantities
 * and stated amounts from the DPGF or the DQE (columns D and F), whose locked cells and formulas
 * are compared with the template like the matrix's.
 */
function readPrices(
  lot: ResolvedLot,
  framework: boolean,
  templates: SafeWorkbook,
  workbook: SafeWorkbook,
  file: string,
  changed: Alteration[],
): Pick<LotBid, 'prices' | 'declaredTotal' | 'declaredVat' | 'declaredTotalInclVat'> {
  const first = PRICE_HEADER_ROW + 1;
  const last = PRICE_HEADER_ROW + lot.lines.length;
  const amountSheet = priceSheetName(framework ? 'DQE' : 'DPGF', lot);
  const priceSheet = framework ? priceSheetName('BPU', lot) : amountSheet;
  const priceColumn = framework ? 4 : 5;
  const sheet = (name: string) => {
    const template = templates.sheet(name)!;
    const returned = sameTender(workbook, name, template, file);
    const isAnswer = (row: number, column: number) => name === priceSheet && column === priceColumn && row >= first && row <= last;
    changed.push(...alterations(name, template, returned, isAnswer));
    return returned;
  };
  const amounts = sheet(amountSheet);
  const unitPrices = framework ? sheet(priceSheet) : amounts;
  const prices = lot.lines.map((line, i): PriceLine => {
    const row = first + i;
    const cell = cellAt(unitPrices, row, priceColumn);
    const ref = `${priceSheet}!${cell?.ref ?? `${framework ? 'D' : 'E'}${row}`}`;
    // A lump-sum line's quantity is 1, as the schedule's locked quantity cell states (price-schedule.ts).
    const quantity = line.pricing === 'lump-sum' ? 1 : line.quantity;
    const out: PriceLine = { number: `${lot.number}.${i + 1}`, designation: line.item.label, quantity, cell: ref, amountCell: `${amountSheet}!F${row}` };
    if (cell !== undefined) {
      if (cell.formula !== undefined) throw bidFileError('invalid', ref, 'a formula in a price cell: type the unit price itself');
      const value = cell.kind === 'number' || cell.kind === 'string' ? parseAmount(cell.text) : undefined;
      if (value !== undefined && value >= 0) out.unitPrice = value;
      else if (cell.text.trim() !== '') out.unreadable = cell.text.trim().slice(0, 60);
    }
    const declared = cellAt(amounts, row, 6);
    const declaredAmount = declared?.kind === 'number' ? parseAmount(declared.text) : undefined;
    if (declaredAmount !== undefined) out.declaredAmount = declaredAmount;
    return out;
  });
  const declared = (row: number) => {
    const cell = cellAt(amounts, row, 6);
    return cell?.kind === 'number' ? parseAmount(cell.text) : undefined;
  };
  const out: ReturnType<typeof readPrices> = { prices };
  const declaredTotal = declared(last + 1);
  if (declaredTotal !== undefined) out.declaredTotal = declaredTotal;
  // Below the total excl. VAT, one VAT row per rate the lines use, then the total incl. VAT (price-schedule.ts), each labelled in column A.
  const rates = vatRates(lot);
  const totalRow = (row: number, label: string, rate?: number): DeclaredTotal[] => {
    const amount = declared(row);
    return amount === undefined ? [] : [{ label, ...(rate === undefined ? {} : { rate }), amount, cell: `${amountSheet}!F${row}` }];
  };
  const vat = rates.flatMap((rate, k) => totalRow(last + 2 + k, cellAt(amounts, last + 2 + k, 1)?.text.trim() ?? `TVA ${rate} %`, rate));
  if (vat.length > 0) out.declaredVat = vat;
  const inclVat = totalRow(last + 2 + rates.length, cellAt(amounts, last + 2 + rates.length, 1)?.text.trim() ?? 'Total TTC')[0];
  if (inclVat) out.declaredTotalInclVat = inclVat;
  return out;
}
