import { CATALOGUE_DIR, TEMPLATES_DIR } from '#src/entry/paths.ts';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { loadCatalogue } from '#src/adapters/files/load-catalogue.ts';
import { FileCatalogueReader } from '#src/adapters/files/file-catalogue-reader.ts';
import { DomainError, RulesBlockedError, ValidationError } from '#src/core/model/errors.ts';
import { formatCount, formatDecimal, formatMoney } from '#src/core/model/format.ts';
import type { GenerationReport } from '#src/core/model/report.ts';
import { TemplateEngine } from '#src/adapters/handlebars/template-engine.ts';
import { DEFAULT_FORMATS, DOCX, FORMATS, OUTPUTS, XLSX } from '#src/adapters/render/formats.ts';
import { ocdsTenderId } from '#src/adapters/render/ocds/ocds.ts';
import { cahierOutputRegistry } from '#src/adapters/render/registry.ts';
import { generateDocuments, parseTenderRequest, type GenerateDocumentsDeps } from '#src/app/generate-documents.ts';
import { selectFormats } from '#src/app/outputs.ts';

import { type CliIo, writeFilesAtomically } from './cli-io.ts';
import { collectAbove } from './heap.ts';
export type { CliIo };

export const EXIT_OK = 0;
export const EXIT_BLOCKED = 1;
export const EXIT_INVALID = 2;

/**
 * Over several requests, RSS above which a full garbage collection starts between two generations
 * (heap.ts). The memory goal of issue #19 is a steady RSS under 256 MB; collections cost CPU
 * (marking the shaping caches again each time), so the limit sits as high as the goal allows.
 */
const FOLDER_RSS_LIMIT_BYTES = 224 * 1024 * 1024;
/**
 * The fewest generations between two such collections. Over 1 000 tenders RSS stays above the
 * limit in the second half even right after a collection (part of it is not V8's heap), so
 * without this bound the run would collect after every tender and pay for it each time.
 */
const FOLDER_COLLECTION_EVERY = 8;

const FORMAT_NAMES = FORMATS.map((f) => f.name);
const FORMAT_WIDTH = Math.max(...FORMAT_NAMES.map((f) => f.length)) + 2;

const USAGE = `Utilisation :
  cahier generate <demande.json | dossier>... [--out DOSSIER] [--catalogue DOSSIER]
                  [--format ${FORMAT_NAMES.join(',')}]

Génère les documents demandés et le rapport (report.json) de chaque demande.
Plusieurs demandes, ou un dossier de demandes : un sous-dossier par demande.

--format choisit les documents (liste séparée par des virgules, ${DEFAULT_FORMATS.join(',')} par défaut) :
${FORMATS.map((f) => `  ${f.name.padEnd(FORMAT_WIDTH)}${f.label} (${OUTPUTS.filter((o) => o.format === f.name).map((o) => o.fileName).join(', ')})`).join('\n')}

  cahier dce <demande.json | dossier>... [--out DOSSIER] [--catalogue DOSSIER]

Écrit le dossier de consultation complet (dce.zip : toutes les pièces remises aux candidats,
jamais la note interne) et son bordereau lisible par machine (dce-manifest.json).

Codes de sortie : 0 succès, 1 génération bloquée par une erreur réglementaire,
2 demande invalide ou mauvaise utilisation.

  cahier analyse --tender demande.json --bids offres.json --marks notation.json [--out DOSSIER]
                          analyse les offres reçues (cahier analyse --help).
  cahier gc [--dry-run]   nettoie les données (cahier gc --help).
  cahier conformity <produits.csv> --framework carmo-education@2 [--out DOSSIER]
                          vérifie un catalogue de produits (cahier conformity --help).`;

type Outcome =
  | { status: 'generated'; report: GenerationReport; dir: string; files: string[]; warnings: string[] }
  | { status: 'blocked'; messages: string[] }
  | { status: 'invalid'; messages: string[] };

/** Runs the command line; returns the exit code instead of exiting, so tests can call it. */
export async function runCli(
  argv: string[],
  io: CliIo,
  env: Record<string, string | undefined> = process.env,
  dirs: { templates?: string } = {},
): Promise<number> {
  if (argv[0] === 'gc') {
    const { runGc } = await import('./gc.ts');
    return runGc(argv.slice(1), io, env);
  }
  if (argv[0] === 'conformity') {
    const { runConformity } = await import('./conformity-cli.ts');
    return runConformity(argv.slice(1), io);
  }
  if (argv[0] === 'analyse') {
    const { runAnalyse } = await import('./analyse.ts');
    return runAnalyse(argv.slice(1), io);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string', default: 'out' },
        catalogue: { type: 'string', default: CATALOGUE_DIR },
        format: { type: 'string', default: DEFAULT_FORMATS.join(',') },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}`);
    return EXIT_INVALID;
  }
  const [command, ...inputs] = parsed.positionals;
  if (parsed.values.help || command === undefined) {
    io.stdout(USAGE);
    return parsed.values.help ? EXIT_OK : EXIT_INVALID;
  }
  if ((command !== 'generate' && command !== 'dce') || inputs.length === 0) {
    io.stderr(USAGE);
    return EXIT_INVALID;
  }

  const formats = command === 'dce' ? ['dce'] : parseFormats(parsed.values.format);
  if (typeof formats === 'string') {
    io.stderr(`${formats}\n\n${USAGE}`);
    return EXIT_INVALID;
  }

  let files: string[];
  try {
    files = await expandInputs(inputs);
  } catch (error) {
    io.stderr((error as Error).message);
    return EXIT_INVALID;
  }
  let deps: GenerateDocumentsDeps;
  try {
    deps = {
      catalogue: new FileCatalogueReader(await loadCatalogue(resolve(parsed.values.catalogue))),
      templates: new TemplateEngine(dirs.templates ?? TEMPLATES_DIR),
      outputs: cahierOutputRegistry(),
    };
  } catch (error) {
    io.stderr(`Catalogue invalide (${parsed.values.catalogue}) :\n${(error as Error).message}`);
    return EXIT_INVALID;
  }

  const outDir = resolve(parsed.values.out);
  const single = files.length === 1;
  // Over a folder only each request's summary row is kept, not its report: a run over thousands
  // of requests holds what it prints, not every generation's data.
  const rows: SummaryRow[] = [];
  // One process for every request: the catalogue, templates, fonts and renderers load once.
  const started = performance.now();
  let documents = 0;
  let lastCollection = -FOLDER_COLLECTION_EVERY;
  for (const [index, file] of files.entries()) {
    io.progress?.(progressLine(index, files.length, basename(file), documents, performance.now() - started));
    const target = single ? outDir : join(outDir, basename(file, extname(file)));
    const outcome = await generateOne(file, target, deps, formats);
    rows.push(summaryRow(file, outcome));
    if (outcome.status === 'generated') documents += outcome.files.length;
    if (single || outcome.status !== 'generated') printOutcome(file, outcome, io);
    if (outcome.status === 'generated') for (const warning of outcome.warnings) io.stderr(`${file} : ${warning}`);
    // Between two generations of a long run, a full collection once RSS passes the limit (heap.ts),
    // at most once every FOLDER_COLLECTION_EVERY generations.
    if (!single && index - lastCollection >= FOLDER_COLLECTION_EVERY && collectAbove(FOLDER_RSS_LIMIT_BYTES)) lastCollection = index;
  }
  if (!single) {
    printSummary(rows, io);
    io.stdout(throughputLine(documents, performance.now() - started));
  }
  const codes = rows.map(({ status }) => (status === 'invalid' ? EXIT_INVALID : status === 'blocked' ? EXIT_BLOCKED : EXIT_OK));
  return Math.max(...codes);
}

/** The formats of a comma-separated list (checked by selectFormats), or the French message that refuses it. */
export function parseFormats(list: string): string[] | string {
  const names = list
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter((f) => f !== '');
  const selection = selectFormats({ formats: FORMATS, defaultFormats: DEFAULT_FORMATS }, names);
  if ('formats' in selection) return selection.formats;
  const possible = `(formats possibles : ${FORMAT_NAMES.join(', ')})`;
  const { problem } = selection;
  if (problem.kind === 'empty') return `--format : aucun format indiqué ${possible}.`;
  return `--format : format inconnu ${problem.names.map((f) => `« ${f} »`).join(', ')} ${possible}.`;
}

async function expandInputs(inputs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined);
    if (!info) throw new Error(`${input}: fichier introuvable`);
    if (info.isDirectory()) {
      const entries = (await readdir(input)).filter((f) => f.endsWith('.json')).sort();
      if (entries.length === 0) throw new Error(`${input}: aucun fichier .json dans ce dossier`);
      files.push(...entries.map((f) => join(input, f)));
    } else {
      files.push(input);
    }
  }
  return files;
}

async function generateOne(file: string, target: string, deps: GenerateDocumentsDeps, formats: readonly string[]): Promise<Outcome> {
  let input: unknown;
  try {
    input = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    return { status: 'invalid', messages: [`(fichier): JSON illisible — ${(error as Error).message}`] };
  }
  try {
    const request = parseTenderRequest(input);
    const { documents, report } = await generateDocuments(request, deps, formats);
    // The report comes last and vouches for the others.
    await writeFilesAtomically(target, [...documents.map((d) => ({ name: d.name, content: d.content })), { name: 'report.json', content: `${JSON.stringify(report, null, 2)}\n` }]);
    // Every PDF, the OCDS file and the zip carry the release, whose ocid a request without a reference cannot keep.
    const carriesRelease = documents.some((d) => d.mediaType !== DOCX && d.mediaType !== XLSX);
    const warnings = carriesRelease && !ocdsTenderId(request).stable ? [OCID_WARNING] : [];
    return { status: 'generated', report, dir: target, files: documents.map((d) => d.name), warnings };
  } catch (error) {
    if (error instanceof ValidationError) {
      return { status: 'invalid', messages: error.issues.map((i) => `${i.path || '(racine)'}: ${i.message}`) };
    }
    if (error instanceof RulesBlockedError) {
      return {
        status: 'blocked',
        messages: error.findings.filter((f) => f.severity === 'error').map((f) => `${f.path ?? f.code}: ${f.message} (${f.reference})`),
      };
    }
    if (error instanceof DomainError) return { status: 'invalid', messages: [error.message] };
    throw error;
  }
}

const OCID_WARNING =
  'Avertissement : la demande n’a pas de référence (« reference ») ; l’identifiant des données ouvertes (ocid) est tiré de son contenu et changera à chaque correction. Donnez-lui la référence de la consultation pour le stabiliser.';

function printOutcome(file: string, outcome: Outcome, io: CliIo): void {
  if (outcome.status === 'invalid') {
    io.stderr(`${file} : demande invalide, rien n’a été écrit.`);
    for (const line of outcome.messages) io.stderr(line);
    return;
  }
  if (outcome.status === 'blocked') {
    io.stderr(`${file} : génération bloquée par des erreurs réglementaires, rien n’a été écrit.`);
    for (const line of outcome.messages) io.stderr(line);
    return;
  }
  const { report, dir, files } = outcome;
  const count = (severity: string) => report.findings.filter((f) => f.severity === severity).length;
  for (const name of files) io.stdout(`${name === 'cctp.pdf' ? 'CCTP généré' : 'Document   '} : ${join(dir, name)}`);
  io.stdout(`Rapport     : ${join(dir, 'report.json')}`);
  if (report.conformity) io.stdout(`Référentiel : ${conformityWord(report)} (${report.conformity.framework})`);
  if (report.funding) io.stdout(`Cofinancement (estimation interne à l’acheteur) : ${report.funding.statement}`);
  io.stdout(`Points de vigilance : ${formatCount(count('warning'), 'avertissement', 'avertissements')}, ${formatCount(count('info'), 'information', 'informations')}`);
  for (const f of report.findings.filter((f) => f.severity === 'warning')) io.stdout(`  ! ${f.message} (${f.reference})`);
  io.stdout(`Empreinte : ${report.contentHash}`);
}

const PROGRESS_WIDTH = 24;

/** `[█████░░░░░] 3/12 · ville.json · 4,2 documents/s` while request `index` is generated. */
export function progressLine(index: number, total: number, name: string, documents: number, elapsedMs: number): string {
  const filled = Math.round((index / total) * PROGRESS_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(PROGRESS_WIDTH - filled)}`;
  const rate = documents > 0 && elapsedMs > 0 ? ` · ${formatDecimal(documents / (elapsedMs / 1000))} documents/s` : '';
  return `[${bar}] ${index + 1}/${total} · ${name}${rate}`;
}

/** `18 documents en 2,1 s, soit 8,6 documents par seconde.` after a run over several requests. */
export function throughputLine(documents: number, elapsedMs: number): string {
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? formatDecimal(documents / seconds) : '—';
  return `${formatCount(documents, 'document', 'documents')} en ${formatDecimal(seconds)}\u00a0s, soit ${rate}\u00a0document${documents / seconds >= 2 ? 's' : ''} par seconde.`;
}

function conformityWord(report: GenerationReport): string {
  return report.conformity === undefined ? '—' : report.conformity.conforming ? 'conforme' : 'non conforme';
}

/** The estimated aid summed over the open programmes, or plainly that none is open. */
function fundingCell(report: GenerationReport): string {
  const estimates = report.funding?.estimates ?? [];
  return estimates.length === 0 ? 'aucun programme ouvert' : formatMoney(estimates.reduce((sum, e) => sum + e.total, 0));
}

interface SummaryRow {
  status: Outcome['status'];
  cells: string[];
}

function summaryRow(file: string, outcome: Outcome): SummaryRow {
  const name = basename(file);
  if (outcome.status !== 'generated') return { status: outcome.status, cells: [name, outcome.status === 'invalid' ? 'invalide' : 'bloqué', '—', '—', '—'] };
  const { report } = outcome;
  const warnings = String(report.findings.filter((f) => f.severity === 'warning').length);
  return { status: outcome.status, cells: [name, 'généré', conformityWord(report), fundingCell(report), warnings] };
}

function printSummary(summary: readonly SummaryRow[], io: CliIo): void {
  const rows = summary.map((r) => r.cells);
  const header = ['Demande', 'Statut', 'Référentiel', 'Aide estimée', 'Avertissements'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  io.stdout('');
  io.stdout(line(header));
  io.stdout(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of rows) io.stdout(line(row));
  const generated = summary.filter((r) => r.status === 'generated').length;
  io.stdout(`\n${generated}/${summary.length} ${generated < 2 ? 'demande générée' : 'demandes générées'}.`);
}
