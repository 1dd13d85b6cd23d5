import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderComplianceMatrix } from '#src/adapters/render/xlsx/compliance-matrix.ts';
import { evaluatedExample } from '../exports/support/models.ts';
import { declareSize } from './support/zip.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const MB = 1024 * 1024;

type Parts = Record<string, Uint8Array>;
interface Outcome {
  file: string;
  outcome: 'read' | 'too-large' | 'unsupported' | 'invalid';
  path?: string;
  message?: string;
}

/** A zip whose sheet entry is `deflated` as is (method 8), declaring `declared` bytes. */
function zipWithRawEntry(parts: Parts, entry: string, deflated: Uint8Array, declared: number): Uint8Array {
  const placeholder = new Uint8Array(deflated.length);
  const zip = zipSync({ ...parts, [entry]: [placeholder, { level: 0 }] });
  // Stored placeholder of the same length: swap in the deflate stream and mark the method as deflate.
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const name = strToU8(entry);
  for (let i = 0; i + 30 < out.length; i++) {
    const signature = view.getUint32(i, true);
    if (signature === 0x04034b50) {
      const length = view.getUint16(i + 26, true);
      if (length !== name.length || !out.subarray(i + 30, i + 30 + length).every((b, k) => b === name[k])) continue;
      view.setUint16(i + 8, 8, true);
      view.setUint32(i + 22, declared, true);
      out.set(deflated, i + 30 + length + view.getUint16(i + 28, true));
    } else if (signature === 0x02014b50) {
      const length = view.getUint16(i + 28, true);
      if (length !== name.length || !out.subarray(i + 46, i + 46 + length).every((b, k) => b === name[k])) continue;
      view.setUint16(i + 10, 8, true);
      view.setUint32(i + 24, declared, true);
    }
  }
  return out;
}

function rowsSheet(rows: number): Uint8Array {
  const body: string[] = [];
  for (let r = 1; r <= rows; r++) body.push(`<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>ligne ${r}</t></is></c><c r="F${r}"><v>${r}</v></c></row>`);
  return strToU8(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body.join('')}</sheetData></worksheet>`);
}

describe('hostile bid files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cahier-hostile-'));
  let results: Outcome[];
  let maxRssBytes: number;

  beforeAll(async () => {
    const { tender } = await evaluatedExample('commune');
    const matrix = await renderComplianceMatrix(tender);
    const parts: Parts = unzipSync(matrix);
    const types = new TextDecoder().decode(parts['[Content_Types].xml']);
    const rels = new TextDecoder().decode(parts['xl/_rels/workbook.xml.rels']);
    const files: Record<string, Uint8Array> = {
      'plain.xlsx': matrix,
      'renamed.xlsm': matrix,
      'macros.xlsx': zipSync({
        ...parts,
        '[Content_Types].xml': strToU8(types.replace('sheet.main+xml', 'sheet.main+xml').replace('spreadsheetml.sheet.main+xml', 'ms-excel.sheet.macroEnabled.main+xml')),
        'xl/vbaProject.bin': new Uint8Array(512),
      }),
      'external-link.xlsx': zipSync({
        ...parts,
        'xl/externalLinks/externalLink1.xml': strToU8('<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'),
        'xl/_rels/workbook.xml.rels': strToU8(
          rels.replace(
            '</Relationships>',
            '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>',
          ),
        ),
      }),
      // 1 KB on disk, 1 GB declared: refused from the central directory, nothing inflated.
      'bomb-1gb-declared.xlsx': declareSize(zipSync({ ...parts, 'xl/worksheets/sheet1.xml': new Uint8Array(4096) }), 'xl/worksheets/sheet1.xml', 1024 * MB),
      // Declares 2 KB, inflates to 64 MB: stopped by the inflate cap at its declared size.
      'bomb-lying.xlsx': zipWithRawEntry(parts, 'xl/worksheets/sheet1.xml', deflateRawSync(Buffer.alloc(64 * MB, 32), { level: 1 }), 2048),
      'rows-200000.xlsx': zipSync({ ...parts, 'xl/worksheets/sheet1.xml': rowsSheet(200_000) }),
      'rows-6000.xlsx': zipSync({ ...parts, 'xl/worksheets/sheet1.xml': rowsSheet(6_000) }),
      'entities.xlsx': zipSync({
        ...parts,
        'xl/sharedStrings.xml': strToU8('<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><sst><si><t>&b;</t></si></sst>'),
      }),
      'not-a-zip.xlsx': strToU8('%PDF-1.7\n% a PDF renamed .xlsx\n'),
      'too-big.xlsx': new Uint8Array(6 * MB),
    };
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', TSX, join(ROOT, 'test/offers/support/read-hostile.ts'), ...Object.keys(files).map((f) => join(dir, f))],
        { cwd: ROOT, maxBuffer: 4 * MB },
        (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
      ),
    );
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    results = lines.filter((l) => 'file' in l);
    maxRssBytes = lines.find((l) => 'maxRssBytes' in l).maxRssBytes;
  }, 120_000);

  const outcome = (file: string) => results.find((r) => r.file === file)!;

  it('reads the workbook Cahier generated', () => {
    expect(outcome('plain.xlsx').outcome).toBe('read');
  });

  it.each([
    ['renamed.xlsm', 'unsupported', /macro-enabled/],
    ['macros.xlsx', 'unsupported', /macros/],
    ['external-link.xlsx', 'invalid', /external links/],
    ['bomb-1gb-declared.xlsx', 'too-large', /expands to 1073741824 bytes/],
    ['bomb-lying.xlsx', 'too-large', /zip bomb/],
    ['rows-200000.xlsx', 'too-large', /expands to \d+ bytes/],
    ['rows-6000.xlsx', 'invalid', /beyond row 5000/],
    ['entities.xlsx', 'invalid', /DTD/],
    ['not-a-zip.xlsx', 'unsupported', /not an \.xlsx/],
    ['too-big.xlsx', 'too-large', /at most 5242880/],
  ] as const)('refuses %s (%s) with a reason', (file, problem, reason) => {
    expect(outcome(file)).toMatchObject({ outcome: problem, message: expect.stringMatching(reason) });
  });

  it('stays under 256 MB of resident memory while refusing them all', () => {
    expect(maxRssBytes).toBeLessThan(256 * MB);
  });
});
