import ExcelJS from 'exceljs';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnOf, CRITERIA_IDENTITY_SHEET, CRITERIA_SHEET, type ColumnKey } from '#src/core/model/criteria-sheet.ts';
import { declareSize } from '../offers/support/zip.ts';
import { expectProblemShape, startApiStack, type ApiStack } from './support/api-stack.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const FRAMEWORK = 'carmo-education';
const REASON = encodeURIComponent('Relecture du référentiel par la DNE');

let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function exportSheet(token = stack.tokens.editor): Promise<Buffer> {
  const res = await fetch(`${stack.url}/frameworks/${FRAMEWORK}/criteria.xlsx`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe(XLSX);
  return Buffer.from(await res.arrayBuffer());
}

function importSheet(bytes: Uint8Array, options: { reason?: string; type?: string; token?: string } = {}) {
  const query = options.reason === undefined ? `?reason=${REASON}` : options.reason === '' ? '' : `?reason=${options.reason}`;
  return stack.call('POST', `/frameworks/${FRAMEWORK}/criteria-import${query}`, {
    token: options.token ?? stack.tokens.editor,
    body: Buffer.from(bytes),
    headers: { 'content-type': options.type ?? XLSX },
  });
}

/** The exported workbook with some cells changed, as a reviewer's spreadsheet saves it. */
async function edited(bytes: Buffer, edits: Array<{ id: string; column: ColumnKey; value: string | number }>, identity?: { row: number; value: string }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet(CRITERIA_SHEET)!;
  for (const edit of edits) {
    let line = 0;
    sheet.eachRow((row, n) => {
      if (row.getCell(1).value === edit.id) line = n;
    });
    if (line === 0) throw new Error(`no row for ${edit.id}`);
    sheet.getRow(line).getCell(columnOf(edit.column)).value = edit.value;
  }
  if (identity) workbook.getWorksheet(CRITERIA_IDENTITY_SHEET)!.getRow(identity.row).getCell(2).value = identity.value;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function rowOf(bytes: Buffer, id: string): Promise<number> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  let line = 0;
  workbook.getWorksheet(CRITERIA_SHEET)!.eachRow((row, n) => {
    if (row.getCell(1).value === id) line = n;
  });
  return line;
}

describe('GET /frameworks/{id}/criteria.xlsx', () => {
  it('lists every criterion the framework pins at its latest version, with lists on the enumerated columns, the id locked and a very hidden identity sheet', async () => {
    const framework = (await stack.call('GET', `/frameworks/${FRAMEWORK}`, { token: stack.tokens.buyer })).json;

    const bytes = await exportSheet(stack.tokens.buyer);
    const again = await exportSheet();

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet(CRITERIA_SHEET)!;
    const ids: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) ids.push(String(row.getCell(1).value));
    });
    expect(ids).toEqual(framework.criteria.map((c: { id: string }) => c.id));
    expect(workbook.getWorksheet(CRITERIA_IDENTITY_SHEET)!.state).toBe('veryHidden');
    expect(workbook.getWorksheet(CRITERIA_IDENTITY_SHEET)!.getRow(1).getCell(2).value).toBe(FRAMEWORK);
    expect(sheet.getRow(2).getCell(1).protection?.locked ?? true).toBe(true);
    expect(sheet.getRow(2).getCell(columnOf('seuil')).protection?.locked).toBe(false);
    expect(sheet.getCell(`L2`).dataValidation?.formulae?.[0]).toContain('Go');
    expect(Buffer.compare(bytes, again)).toBe(0);
  });
});

describe('POST /frameworks/{id}/criteria-import', () => {
  it('writes nothing for a sheet returned unchanged, and says so', async () => {
    const bytes = await exportSheet();
    const before = await stack.counts();

    const res = await importSheet(await edited(bytes, []));

    expect(res.status).toBe(200);
    expect(res.json.written).toEqual([]);
    expect(res.json.unchanged).toBeGreaterThan(70);
    expect(await stack.counts()).toEqual(before);
  });

  it('writes a changed threshold as the criterion’s next version with the reason in its audit entry, leaving the published framework as it was', async () => {
    const bytes = await exportSheet();
    const published = (await stack.call('GET', `/frameworks/${FRAMEWORK}`, { token: stack.tokens.editor })).json;
    const criterion = (await stack.call('GET', '/criteria/tablet.storage.user', { token: stack.tokens.editor })).json;

    const res = await importSheet(await edited(bytes, [{ id: 'tablet.storage.user', column: 'seuil', value: 64 }]));

    expect(res.status).toBe(200);
    expect(res.json.written).toEqual([{ id: 'tablet.storage.user', from: criterion.version, to: criterion.version + 1, line: await rowOf(bytes, 'tablet.storage.user') }]);
    const after = (await stack.call('GET', '/criteria/tablet.storage.user', { token: stack.tokens.editor })).json;
    expect(after.metric).toEqual({ ...criterion.metric, value: 64 });
    expect(after.requirement).toBe(criterion.requirement);
    const audit = (await stack.call('GET', '/audit?kind=criterion&id=tablet.storage.user', { token: stack.tokens.editor })).json.items;
    expect(audit.at(-1)).toMatchObject({ target: { version: criterion.version + 1 }, actor: 'editor-1', reason: 'Relecture du référentiel par la DNE' });
    expect(audit.at(-1).changes).toContainEqual({ field: 'threshold', before: '≥\u00a032\u00a0Go', after: '≥\u00a064\u00a0Go' });
    expect((await stack.call('GET', `/frameworks/${FRAMEWORK}`, { token: stack.tokens.editor })).json).toEqual(published);
    const preview = (await stack.call('GET', `/frameworks/${FRAMEWORK}/publication`, { token: stack.tokens.editor })).json;
    expect(preview.changes.map((c: { criterionId: string }) => c.criterionId)).toContain('tablet.storage.user');
  });

  it('answers 422 naming each wrong cell (unit, threshold, a text stating a number instead of {seuil}) and writes nothing', async () => {
    const bytes = await exportSheet();
    const line = await rowOf(bytes, 'tablet.storage.user');
    const battery = await rowOf(bytes, 'tablet.screen.diagonal');
    const before = await stack.counts();

    const res = await importSheet(
      await edited(bytes, [
        { id: 'tablet.storage.user', column: 'unite', value: 'gigas' },
        { id: 'tablet.storage.user', column: 'exigence', value: 'La tablette dispose d’au moins 64 Go de stockage utilisateur.' },
        { id: 'tablet.screen.diagonal', column: 'seuil', value: 'dix pouces' },
        { id: 'tablet.cameras', column: 'seuil', value: 'oui' },
      ]),
    );

    expectProblemShape(res, 422);
    const paths = res.json.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain(`${CRITERIA_SHEET}!rows.${line}.unite`);
    expect(paths).toContain(`${CRITERIA_SHEET}!rows.${battery}.seuil`);
    expect(res.json.errors).toContainEqual({ path: `${CRITERIA_SHEET}!rows.${battery}.seuil`, message: 'expected a number, found « dix pouces »' });
    expect(await stack.counts()).toEqual(before);

    const text = await importSheet(await edited(bytes, [{ id: 'tablet.storage.user', column: 'exigence', value: 'La tablette dispose d’au moins 64 Go de stockage utilisateur.' }]));
    expectProblemShape(text, 422);
    expect(text.json.errors.map((e: { path: string }) => e.path)).toEqual([`${CRITERIA_SHEET}!rows.${line}.exigence`, `${CRITERIA_SHEET}!rows.${line}.exigence`]);
    expect(text.json.errors[1].message).toMatch(/states 64, a number its metric holds/);
    expect(await stack.counts()).toEqual(before);
  });

  it('refuses the sheet of another framework, and a workbook Cahier did not export, before reading a row', async () => {
    const bytes = await exportSheet();
    const before = await stack.counts();
    const plain = new ExcelJS.Workbook();
    plain.addWorksheet(CRITERIA_SHEET).getRow(1).values = ['Identifiant', 'Version'];

    const other = await importSheet(await edited(bytes, [{ id: 'tablet.storage.user', column: 'seuil', value: 128 }], { row: 1, value: 'autre-referentiel' }));
    const foreign = await importSheet(new Uint8Array(await plain.xlsx.writeBuffer()));

    expectProblemShape(other, 422);
    expect(other.json.errors).toEqual([{ path: 'Cahier', message: expect.stringMatching(/criteria of framework autre-referentiel, not of carmo-education/) }]);
    expectProblemShape(foreign, 422);
    expect(foreign.json.errors[0].message).toMatch(/hidden identification is missing/);
    expect(await stack.counts()).toEqual(before);
  });

  it('answers 409 naming a row whose criterion another editor changed since the export, and writes none of the rows', async () => {
    const bytes = await exportSheet();
    const current = (await stack.call('GET', '/criteria/tablet.cameras', { token: stack.tokens.editor }));
    const { version: _v, ...draft } = current.json;
    const meanwhile = await stack.call('PUT', '/criteria/tablet.cameras', { token: stack.tokens.editor, body: { ...draft, note: 'Modifié entre-temps.', reason: 'Correction' }, headers: { 'if-match': current.headers.get('etag')! } });
    expect(meanwhile.status).toBe(200);
    const before = await stack.counts();

    const res = await importSheet(
      await edited(bytes, [
        { id: 'tablet.screen.diagonal', column: 'intitule', value: 'Diagonale de l’écran (relue)' },
        { id: 'tablet.cameras', column: 'intitule', value: 'Caméras (relu)' },
      ]),
    );

    expectProblemShape(res, 409);
    expect(res.json.errors).toEqual([{ path: `${CRITERIA_SHEET}!rows.${await rowOf(bytes, 'tablet.cameras')}.version`, message: expect.stringMatching(/tablet.cameras is at version \d+ since the export/) }]);
    expect(await stack.counts()).toEqual(before);
  });

  it('counts a row already written as applied when the same file comes again (a retry after an interrupted import), writing nothing twice', async () => {
    const bytes = await exportSheet();
    const file = await edited(bytes, [{ id: 'laptop.ram', column: 'intitule', value: 'Mémoire vive de l’ordinateur portable (relue)' }]);
    const first = await importSheet(file);
    expect(first.status).toBe(200);
    expect(first.json.written).toHaveLength(1);
    const before = await stack.counts();

    const again = await importSheet(file);

    expect(again.status).toBe(200);
    expect(again.json.written).toEqual([]);
    expect(again.json.alreadyApplied).toEqual([{ id: 'laptop.ram', version: first.json.written[0].to, line: first.json.written[0].line }]);
    expect(await stack.counts()).toEqual(before);
  });

  it('refuses a zip bomb (413), a file over 256 KiB (413), a macro-enabled type (415) and a request without a reason (422); a buyer may export but not import (403)', async () => {
    const bytes = await exportSheet();
    const bomb = declareSize(zipSync(unzipSync(new Uint8Array(bytes))), 'xl/worksheets/sheet1.xml', 1024 * 1024 * 1024);
    const before = await stack.counts();

    const bombed = await importSheet(bomb);
    const large = await importSheet(new Uint8Array(300 * 1024));
    const macro = await importSheet(bytes, { type: 'application/vnd.ms-excel.sheet.macroEnabled.12' });
    const noReason = await importSheet(bytes, { reason: '' });
    const buyer = await importSheet(bytes, { token: stack.tokens.buyer });

    expectProblemShape(bombed, 413);
    expect(bombed.json.type).toBe('urn:cahier:problem:criteria-file-too-large');
    expect(bombed.json.errors[0].message).toMatch(/expands to 1073741824 bytes/);
    expectProblemShape(large, 413);
    expectProblemShape(macro, 415);
    expectProblemShape(noReason, 422);
    expect(noReason.json.errors[0].path).toBe('reason');
    expectProblemShape(buyer, 403);
    expect(await stack.counts()).toEqual(before);
  });
});
