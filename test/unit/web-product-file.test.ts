/**
 * A refused product file, as the « Catalogues » page explains it: the place of each problem as the
 * spreadsheet user reads it (sheet, row, column), the reader's reasons in French, read here from
 * the real workbook reader's refusals rather than from copies of its messages.
 */
import { describe, expect, it } from 'vitest';
import { readProductWorkbook } from '#src/adapters/files/product-workbook.ts';
import { DATE_WHERE_VALUE } from '#src/core/offers/cells.ts';
import { BidFileError } from '#src/core/offers/errors.ts';
import { ApiError } from '../../web/src/api.ts';
import { productFileFormat, productFileRefusal, productIssueMessage, productPlace } from '../../web/src/product-file.ts';
import { productWorkbook, withMacros } from '../support/product-workbook.ts';

const CSV = 'reference;fournisseur;marque;modele;article;tablet.storage.user (Go)\nA;S;B;M;tablet;64\nB;S;B;M;tablet;128\n';

function refusal(bytes: Uint8Array): BidFileError {
  try {
    readProductWorkbook(bytes, 'catalogue.xlsx');
  } catch (error) {
    if (error instanceof BidFileError) return error;
    throw error;
  }
  throw new Error('the workbook was accepted');
}

const ENGLISH = /\b(the|where|expected|is|are|not|workbook)\b/;

describe('productPlace', () => {
  it('names the sheet, the row and the column of a workbook, the row and column of a CSV, a header cell, the file itself', () => {
    expect(productPlace('Produits!rows.12.tablet.storage.user (Go)')).toBe('feuille Produits, ligne 12, colonne tablet.storage.user (Go)');
    expect(productPlace('Produits!rows.1.C1')).toBe('feuille Produits, cellule C1');
    expect(productPlace('Produits!rows.7')).toBe('feuille Produits, ligne 7');
    expect(productPlace('rows.4.tablet.ram')).toBe('ligne 4, colonne tablet.ram');
    expect(productPlace('rows.4')).toBe('ligne 4');
    expect(productPlace('catalogue.xlsx')).toBe('le fichier');
    expect(productPlace('catalogue.xlsx:xl/worksheets/sheet1.xml')).toBe('le fichier');
    expect(productPlace('body')).toBe('le fichier');
  });
});

describe('productIssueMessage', () => {
  it('reads the workbook reader’s own refusals in French', async () => {
    const formula = refusal(await productWorkbook(CSV, { formula: 'B:tablet.storage.user (Go)' }));
    expect(formula.issues.map((i) => `${productPlace(i.path)} : ${productIssueMessage(i.message)}`)).toEqual([
      'feuille Produits, ligne 3, colonne tablet.storage.user (Go) : une formule (=4*16) là où une valeur est attendue : saisissez la valeur elle-même.',
    ]);
    const date = refusal(await productWorkbook(CSV, { date: 'A:tablet.storage.user (Go)' }));
    expect(date.issues[0]!.message).toBe(DATE_WHERE_VALUE);
    const macros = refusal(withMacros(await productWorkbook(CSV)));
    expect(macros.problem).toBe('unsupported');
    for (const issue of [...date.issues, ...macros.issues]) expect(productIssueMessage(issue.message)).not.toMatch(ENGLISH);
  });
});

describe('productFileRefusal', () => {
  const problem = (status: number, errors?: Array<{ path: string; message: string }>) => new ApiError(status, { type: `urn:cahier:problem:x`, title: 'x', status, ...(errors ? { errors } : {}) });

  it('explains a file too large, of a refused kind or with invalid cells; leaves other refusals to the page', () => {
    expect(productFileRefusal(problem(413))?.summary).toMatch(/^le fichier dépasse 256\u00a0Kio, la limite de cette page/);
    expect(productFileRefusal(problem(415, [{ path: 'catalogue.xlsx', message: 'the workbook contains macros; send the .xlsx file' }]))).toEqual({
      summary: 'ce format n’est pas accepté : envoyez un classeur .xlsx (sans macros), un fichier CSV ou un fichier JSON.',
      issues: [{ place: 'le fichier', message: 'les classeurs avec macros (.xlsm) ne sont pas acceptés : enregistrez le fichier au format .xlsx.' }],
    });
    const two = productFileRefusal(problem(422, [
      { path: 'rows.3.reference', message: 'reference A already used at rows.2' },
      { path: 'rows.1', message: 'column modele is missing' },
    ]));
    expect(two?.summary).toBe('le fichier a été refusé, rien n’a été enregistré ; 2\u00a0problèmes, détaillés sous le champ.');
    expect(two?.issues.map((i) => i.message)).toEqual(['la référence A figure déjà (ligne 2).', 'la colonne modele manque.']);
    expect(productFileRefusal(problem(422, [{ path: 'framework', message: 'unknown framework x' }]))).toBeUndefined();
    expect(productFileRefusal(problem(503))).toBeUndefined();
    expect(productFileRefusal(new Error('x'))).toBeUndefined();
  });

  it('sends a file by its name’s extension', () => {
    expect(['Catalogue.XLSX', 'c.json', 'c.csv', 'c.txt'].map(productFileFormat)).toEqual(['xlsx', 'json', 'csv', 'csv']);
  });
});
