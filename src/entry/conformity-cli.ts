import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalogue } from '#src/adapters/files/load-catalogue.ts';
import { FileCatalogueReader } from '#src/adapters/files/file-catalogue-reader.ts';
import { readProductWorkbook } from '#src/adapters/files/product-workbook.ts';
import { writeCatalogueReportXlsx } from '#src/adapters/render/xlsx/catalogue-report.ts';
import { renderPdf } from '#src/adapters/render/pdf/render-pdf.ts';
import { renderProductTemplateXlsx } from '#src/adapters/render/xlsx/product-template.ts';
import { systemClock } from '#src/adapters/system.ts';
import { checkCatalogueStream, parseFrameworkRef, type ProductSource } from '#src/app/check-catalogue.ts';
import { ValidationError } from '#src/core/model/errors.ts';
import { formatCount, formatInteger, formatPercent } from '#src/core/model/format.ts';
import { REPORT_JSON, type ReportEntry, type ReportSummary } from '#src/core/products/catalogue-report.ts';
import { PRODUCT_FILE_LIMITS } from '#src/core/products/read-table.ts';
import { CSV_BOM, csvLine, FIXED_COLUMNS, tableRow } from '#src/core/products/report-table.ts';
import { productTemplate } from '#src/core/products/template.ts';
import { catalogueSummaryDocument } from '#src/core/products/summary-document.ts';
import type { CliIo } from './cli-io.ts';
import { CATALOGUE_DIR } from './paths.ts';

const USAGE = `Utilisation :
  cahier conformity <produits.xlsx | produits.csv | produits.json> --framework carmo-education@2
                    [--out DOSSIER] [--catalogue DOSSIER]
  cahier conformity --template tablet --framework carmo-education@2 [--out DOSSIER]

Vérifie chaque produit d’un catalogue (fiches produits d’un fournisseur ou de la centrale
d’achat) au regard d’une version du référentiel, et écrit dans DOSSIER (out par défaut) :
  conformity.json   le rapport complet (verdict et motifs de chaque produit)
  conformity.csv    une ligne par produit, une colonne par critère (séparateur « ; »)
  conformity.xlsx   la synthèse et le tableau coloré par verdict
  conformity.pdf    la synthèse, avec une barre par catégorie (conformes, non conformes,
                    non déclarés, justificatifs attendus)

CSV : une ligne d’en-tête (reference ; fournisseur ; marque ; modele ; article, puis une colonne
par critère, son identifiant suivi de l’unité entre parenthèses si les cellules n’en portent pas,
par exemple « tablet.storage.user (Go) »). Une valeur absente n’est jamais supposée.
XLSX : les mêmes colonnes sur la première feuille ; les valeurs sont lues telles que saisies (une
formule, une macro ou un lien vers un autre classeur fait refuser le fichier).

--template écrit la fiche produit d’un article : modele-<article>.csv et modele-<article>.xlsx
(l’en-tête à remplir, une colonne par critère avec son unité ; le classeur propose les valeurs
permises) et modele-<article>.md (ce que chaque colonne exige et accepte).

Codes de sortie : 0 rapport écrit, 2 fichier refusé ou mauvaise utilisation (rien n’est écrit).`;


/** `cahier conformity`: the report of a product file, written to a folder. Returns the exit code. */
export async function runConformity(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        framework: { type: 'string' },
        template: { type: 'string' },
        out: { type: 'string', default: 'out' },
        catalogue: { type: 'string', default: CATALOGUE_DIR },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const [input, ...rest] = parsed.positionals;
  const framework = parseFrameworkRef(parsed.values.framework ?? '');
  if (parsed.values.template !== undefined && framework !== undefined) return writeTemplate(parsed.values.template, framework, resolve(parsed.values.out), resolve(parsed.values.catalogue), io);
  if (input === undefined || rest.length > 0 || framework === undefined) {
    io.stderr(`${framework === undefined ? '--framework : attendu sous la forme « carmo-education@2 ».\n\n' : ''}${USAGE}`);
    return 2;
  }
  const format = ({ '.json': 'json', '.csv': 'csv', '.xlsx': 'xlsx', '.xlsm': 'xlsx' } as const)[extname(input).toLowerCase()];
  if (format === undefined) {
    io.stderr(`${input} : seuls les fichiers .xlsx, .csv et .json sont lus.`);
    return 2;
  }
  const size = (await stat(input).catch(() => undefined))?.size;
  if (size === undefined) {
    io.stderr(`${input} : fichier introuvable.`);
    return 2;
  }
  if (size > PRODUCT_FILE_LIMITS.bytes) {
    io.stderr(`${input} : fichier trop volumineux (${size} octets, au plus ${PRODUCT_FILE_LIMITS.bytes}).`);
    return 2;
  }
  const out = resolve(parsed.values.out);
  const spool = join(out, `.conformity.${process.pid}.entries.tmp`);
  const temporaries = [spool, ...REPORT_FILES.map((name) => join(out, `.${name}.${process.pid}.tmp`))];
  try {
    let checked: Awaited<ReturnType<typeof checkCatalogueStream>>;
    // Opened on the first product, which comes only once the whole file is valid: a refused file leaves nothing.
    let entries: WriteStream | undefined;
    const openSpool = async () => {
      await mkdir(out, { recursive: true });
      return createWriteStream(spool, { encoding: 'utf8' });
    };
    try {
      const catalogue = new FileCatalogueReader(await loadCatalogue(resolve(parsed.values.catalogue)));
      io.progress?.(`Lecture de ${input}…`);
      // A workbook is read whole (its size is bounded above, its parts by the workbook reader); a text file in pieces.
      const source: ProductSource = format === 'xlsx'
        ? { format, table: readProductWorkbook(await readFile(input), basename(input)) }
        : { format, read: () => createReadStream(input, { encoding: 'utf8', highWaterMark: 64 * 1024 }) };
      checked = await checkCatalogueStream(
        source,
        framework,
        { catalogue, clock: systemClock },
        async (entry) => put((entries ??= await openSpool()), `${JSON.stringify(entry)}\n`),
        { read: (rows) => io.progress?.(`${formatCount(rows, 'produit lu', 'produits lus')}…`), checked: (rows) => io.progress?.(`${formatCount(rows, 'produit vérifié', 'produits vérifiés')}…`) },
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      io.stderr(`${input} : fichier refusé, rien n’a été écrit.`);
      for (const issue of error.issues) io.stderr(`${issue.path || '(fichier)'}: ${issue.message}`);
      return 2;
    }
    await close((entries ??= await openSpool()));
    io.progress?.('Écriture des rapports…');
    await writeReports(spool, checked, temporaries.slice(1));
    // Renamed only once all four are written: the folder never holds a report of another run's products.
    for (const [index, name] of REPORT_FILES.entries()) {
      await rename(temporaries[index + 1]!, join(out, name));
      io.stdout(`Écrit : ${join(out, name)}`);
    }
    printSummary(checked.summary, io);
    return 0;
  } finally {
    await Promise.all(temporaries.map((path) => rm(path, { force: true })));
  }
}

const REPORT_FILES = ['conformity.json', 'conformity.csv', 'conformity.xlsx', 'conformity.pdf'] as const;

/** Writes to a file stream, waiting while its buffer is full. */
async function put(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function close(stream: WriteStream): Promise<void> {
  await new Promise<void>((done, fail) => stream.once('error', fail).end(done));
}

/**
 * The report entries of the spool, one JSON per line, read again for each report. Pulled from the
 * stream's own iterator, which reads no further than the writer consumes (readline's iterator
 * would queue the lines a slower writer has not taken yet).
 */
async function* spooled(spool: string): AsyncGenerator<string> {
  let rest = '';
  for await (const piece of createReadStream(spool, { encoding: 'utf8' })) {
    const lines = `${rest}${piece as string}`.split('\n');
    rest = lines.pop()!;
    for (const line of lines) if (line !== '') yield line;
  }
  if (rest !== '') yield rest;
}

async function* parsed(spool: string): AsyncGenerator<ReportEntry> {
  for await (const line of spooled(spool)) yield JSON.parse(line) as ReportEntry;
}

/** The JSON, CSV and XLSX reports of the spooled entries, each to its path, a product at a time. */
async function writeReports(spool: string, { summary, columns }: Awaited<ReturnType<typeof checkCatalogueStream>>, [jsonPath, csvPath, xlsxPath, pdfPath]: string[]): Promise<void> {
  const json = createWriteStream(jsonPath!, { encoding: 'utf8' });
  await put(json, REPORT_JSON.head(summary));
  let count = 0;
  for await (const line of spooled(spool)) await put(json, REPORT_JSON.entry(line, count++ === 0));
  await put(json, REPORT_JSON.tail(count));
  await close(json);

  const ids = columns.map((c) => c.id);
  const csv = createWriteStream(csvPath!, { encoding: 'utf8' });
  await put(csv, `${CSV_BOM}${csvLine([...FIXED_COLUMNS, ...ids])}\r\n`);
  for await (const entry of parsed(spool)) await put(csv, `${csvLine(tableRow(entry, ids).cells)}\r\n`);
  await close(csv);

  const generatedAt = systemClock.now().toISOString();
  await writeCatalogueReportXlsx(createWriteStream(xlsxPath!), { summary, columns, entries: parsed(spool) }, generatedAt);
  // The summary only (counts per category and supplier): its size does not grow with the products.
  await writeFile(pdfPath!, await renderPdf(catalogueSummaryDocument(summary, generatedAt)));
}

/** `--template <item>`: the product sheet of one item (CSV header and a French guide to its columns). */
async function writeTemplate(itemId: string, framework: { id: string; version: number }, out: string, catalogueDir: string, io: CliIo): Promise<number> {
  const snapshot = await new FileCatalogueReader(await loadCatalogue(catalogueDir)).snapshot(framework.id, framework.version).catch(() => undefined);
  if (!snapshot) {
    io.stderr(`--framework : ${framework.id}@${framework.version} est inconnu.`);
    return 2;
  }
  const item = snapshot.items.get(itemId);
  if (!item) {
    io.stderr(`--template : article inconnu « ${itemId} » (articles : ${[...snapshot.items.keys()].join(', ')}).`);
    return 2;
  }
  const { csv, guide } = productTemplate(item, snapshot);
  const xlsx = await renderProductTemplateXlsx(item, snapshot);
  await mkdir(out, { recursive: true });
  for (const [name, content] of [[`modele-${item.id}.csv`, csv], [`modele-${item.id}.xlsx`, xlsx], [`modele-${item.id}.md`, guide]] as const) {
    await writeFile(join(out, name), content);
    io.stdout(`Écrit : ${join(out, name)}`);
  }
  return 0;
}

function printSummary(report: ReportSummary, io: CliIo): void {
  const t = report.totals;
  io.stdout(`Référentiel ${report.framework.id} v${report.framework.version} : ${formatCount(t.conform, 'produit conforme', 'produits conformes')} sur ${formatInteger(t.total)} (${formatPercent(t.shareConform)})`);
  io.stdout(`  ${formatCount(t['not-conform'], 'non conforme', 'non conformes')}, ${formatCount(t.undeclared, 'incomplet (valeur non déclarée)', 'incomplets (valeurs non déclarées)')}, ${formatCount(t['needs-evidence'], 'en attente de justificatif', 'en attente de justificatifs')}`);
  for (const group of report.byItem) io.stdout(`  ${group.label} : ${formatInteger(group.conform)}/${formatInteger(group.total)} conformes (${formatPercent(group.shareConform)})`);
}
