import * as z from 'zod';
import { ChangeReasonSchema } from '#src/core/audit/audit-entry.ts';
import type { Framework } from '#src/core/model/catalogue.ts';
import type { Criterion } from '#src/core/model/criterion.ts';
import { CRITERIA_COLUMNS, CRITERIA_DOCUMENT, CRITERIA_SHEET, criterionOfRow, sameCriterion, type ColumnKey, type SheetRow } from '#src/core/model/criteria-sheet.ts';
import { NotFoundError, ValidationError, type Issue } from '#src/core/model/errors.ts';
import type { AuditLog } from '#src/app/ports/audit-log.ts';
import type { CriteriaRepository } from '#src/app/ports/criteria-repository.ts';
import type { Clock } from '#src/app/ports/system.ts';
import { updateCriterion, type Editor } from './criteria-admin.ts';
import { StaleRowsError } from './errors.ts';

/**
 * The criteria of a framework exported for review and imported back as the next versions of the
 * criteria that changed (issue #18). The sheet's layout is src/core/model/criteria-sheet.ts; the
 * workbook is written by the documents function (src/adapters/render/xlsx/) and read by the bounded reader
 * (src/adapters/files/criteria-workbook.ts), which hands this module plain rows.
 *
 * "Applied as one draft": the writes are criterion versions, never a framework version, so the
 * published framework keeps pinning what it pinned until an editor publishes (POST
 * /frameworks/{id}/versions), and the publication preview lists the imported changes meanwhile.
 */

/** The rows of a returned workbook, as the reader hands them over. */
export interface CriteriaSheetFile {
  /** The identity sheet's values; undefined when the file has none. */
  identity: { framework: string; version: string; document: string } | undefined;
  /** Row 1, the headers as written. */
  header: string[];
  rows: Array<{ line: number; cells: SheetRow }>;
}

export const CriteriaImportResultSchema = z
  .object({
    framework: z.object({ id: z.string(), version: z.number().int().positive() }).describe('The latest published version: it does not change until an editor publishes'),
    written: z.array(z.object({ id: z.string(), from: z.number().int().positive(), to: z.number().int().positive(), line: z.number().int() })).describe('The criteria written as their next version, one audit entry each'),
    alreadyApplied: z.array(z.object({ id: z.string(), version: z.number().int().positive(), line: z.number().int() })).describe('Rows whose change is already the latest version (a retry of an interrupted import): nothing written'),
    unchanged: z.number().int().nonnegative().describe('Rows identical to the version they name'),
  })
  .describe('What an import of the criteria sheet wrote; nothing written at all answers 200 with `written` empty');
export type CriteriaImportResult = z.infer<typeof CriteriaImportResultSchema>;

const at = (line: number) => (key: ColumnKey) => `${CRITERIA_SHEET}!rows.${line}.${key}`;

/**
 * Checks a returned criteria sheet against framework `frameworkId` and writes the criteria that
 * changed, each as its next version with an audit entry carrying `reason`.
 *
 * Nothing is written unless every row is right: the file must be this framework's sheet (its
 * identity), every cell must fit the criterion schema and a current version's rules (422 naming
 * each cell), and every changed row must still name its criterion's latest version (409 naming
 * each stale row). Only then are the versions written, one conditional write each (DynamoDB
 * Local has no transactions, and a transaction would cap an import at 33 criteria). A write can
 * still lose a race in the milliseconds between the check and the write: the import stops there
 * with a 409, and sending the same file again completes it, since a row whose content already is
 * the latest version is counted as already applied, never written twice.
 */
export async function importCriteria(
  frameworkId: string,
  file: CriteriaSheetFile,
  reasonInput: unknown,
  deps: { criteria: CriteriaRepository; audit: AuditLog; clock: Clock },
  editor: Editor,
): Promise<CriteriaImportResult> {
  const reason = ChangeReasonSchema.safeParse(reasonInput);
  if (!reason.success) throw new ValidationError([{ path: 'reason', message: reason.error.issues[0]?.message ?? 'say why' }]);
  const framework = await deps.criteria.getLatestFramework(frameworkId);
  checkIdentity(file, frameworkId);
  const pinned = new Set(framework.criteria.map((c) => c.id));

  // Every row first: its id and version, then the version it names, then its cells.
  const issues: Issue[] = [];
  const refs: Array<{ line: number; id: string; version: number; cells: SheetRow }> = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of file.rows) {
    const cell = at(line);
    const id = String(cells.id ?? '').trim();
    const version = Number(String(cells.version ?? '').trim());
    if (!pinned.has(id)) {
      issues.push({ path: cell('id'), message: id === '' ? 'the row has no criterion id' : `${id.slice(0, 80)} is not a criterion of ${frameworkId}: the sheet edits the framework’s criteria, a new one is created with PUT /criteria/{id}` });
      continue;
    }
    if (seen.has(id)) {
      issues.push({ path: cell('id'), message: `${id} is already on row ${seen.get(id)}` });
      continue;
    }
    seen.set(id, line);
    if (!Number.isInteger(version) || version < 1) {
      issues.push({ path: cell('version'), message: 'expected the version number Cahier wrote (the column is read-only)' });
      continue;
    }
    refs.push({ line, id, version, cells });
  }
  if (file.rows.length === 0) issues.push({ path: `${CRITERIA_SHEET}!rows.2`, message: 'the sheet lists no criterion' });
  const bases = await deps.criteria.batchGetVersions(refs.map((r) => ({ id: r.id, version: r.version }))).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  const rows: Array<{ line: number; base: Criterion; criterion: Criterion }> = [];
  if (bases === undefined) {
    // One of the versions named does not exist: find which, for its cell.
    for (const r of refs) {
      const found = await deps.criteria.getVersion(r.id, r.version).then(() => true, () => false);
      if (!found) issues.push({ path: at(r.line)('version'), message: `${r.id} has no version ${r.version}: the column is read-only, export the sheet again` });
    }
    if (issues.length === 0) throw new ValidationError([{ path: `${CRITERIA_SHEET}!rows`, message: 'a version named by the sheet does not exist' }]);
  } else {
    refs.forEach((r, i) => {
      const base = bases[i]!;
      const row = criterionOfRow(r.cells, base, at(r.line));
      issues.push(...row.issues);
      if (row.criterion) rows.push({ line: r.line, base, criterion: row.criterion });
    });
  }
  if (issues.length > 0) throw new ValidationError(issues);

  // Then the versions: a changed row must name the latest one.
  const changed = rows.filter((r) => !sameCriterion(r.base, r.criterion));
  const latest = await Promise.all(changed.map((r) => deps.criteria.getLatest(r.base.id)));
  const stale: Issue[] = [];
  const alreadyApplied: CriteriaImportResult['alreadyApplied'] = [];
  const toWrite: typeof changed = [];
  changed.forEach((r, i) => {
    const current = latest[i]!;
    if (current.version === r.base.version) toWrite.push(r);
    else if (sameCriterion(current, r.criterion)) alreadyApplied.push({ id: current.id, version: current.version, line: r.line });
    else stale.push({ path: at(r.line)('version'), message: `${r.base.id} is at version ${current.version} since the export (the row names ${r.base.version}): export the sheet again and reapply the change` });
  });
  if (stale.length > 0) throw new StaleRowsError(stale);

  const written: CriteriaImportResult['written'] = [];
  for (const r of toWrite) {
    const { version: _version, ...draft } = r.criterion;
    const next = await updateCriterion(r.base.id, { ...draft, reason: reason.data }, r.base.version, deps, editor);
    written.push({ id: next.id, from: r.base.version, to: next.version, line: r.line });
  }
  return { framework: { id: framework.id, version: framework.version }, written, alreadyApplied, unchanged: rows.length - changed.length };
}

/**
 * What the export lists: the criteria a framework version pins (the latest version by default),
 * each at its latest version, the state an editor edits and « Publier » would pin.
 */
export async function exportableCriteria(frameworkId: string, version: number | undefined, deps: { criteria: CriteriaRepository }): Promise<{ framework: Framework; criteria: Criterion[] }> {
  const framework = version === undefined ? await deps.criteria.getLatestFramework(frameworkId) : await deps.criteria.getFramework(frameworkId, version);
  const criteria = await Promise.all(framework.criteria.map((ref) => deps.criteria.getLatest(ref.id)));
  return { framework, criteria };
}

/** A file of another framework, or not a criteria sheet Cahier wrote, is refused before any row is read. */
function checkIdentity(file: CriteriaSheetFile, frameworkId: string): void {
  const path = `${CRITERIA_SHEET}`;
  if (file.identity === undefined || file.identity.document !== CRITERIA_DOCUMENT) {
    throw new ValidationError([{ path: 'Cahier', message: 'not a criteria sheet Cahier exported (its hidden identification is missing): export the sheet from the framework and edit that file' }]);
  }
  if (file.identity.framework !== frameworkId) {
    throw new ValidationError([{ path: 'Cahier', message: `the sheet lists the criteria of framework ${file.identity.framework.slice(0, 60)}, not of ${frameworkId}: import it into its own framework` }]);
  }
  const expected = CRITERIA_COLUMNS.map((c) => c.header);
  const differs = expected.findIndex((header, i) => (file.header[i] ?? '').trim() !== header);
  if (differs >= 0 || file.header.length > expected.length) {
    const i = differs >= 0 ? differs : expected.length;
    throw new ValidationError([{ path: `${path}!rows.1`, message: `column ${i + 1} should be « ${expected[i] ?? '(none)'} »: the columns of the exported sheet must stay as they are` }]);
  }
}
