/**
 * `cahier analyse`: the offers of a tender, from the files bidders returned, to the RAO and the
 * award data. Reads the tender request, a list of bids (bidder, SIRET, compliance matrix and price
 * schedule of each) and the buyer's marks; writes every output whole or not at all.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { loadCatalogue } from '#src/adapters/files/load-catalogue.ts';
import { FileCatalogueReader } from '#src/adapters/files/file-catalogue-reader.ts';
import { ANALYSIS_RENDERERS } from '#src/adapters/offers/analysis-renderers.ts';
import { bidTemplates, readBid } from '#src/adapters/offers/read-bid.ts';
import { DEFAULT_XLSX_LIMITS } from '#src/adapters/offers/safe-xlsx.ts';
import { evaluateTender, parseTenderRequest } from '#src/app/generate-documents.ts';
import { parseAnalysisInput, runAnalysis } from '#src/app/analyse-offers.ts';
import { DomainError, issuesFromZod, ValidationError } from '#src/core/model/errors.ts';
import { formatCount, formatMoney } from '#src/core/model/format.ts';
import { BidderSchema } from '#src/core/offers/bid.ts';
import { bidFileError } from '#src/core/offers/errors.ts';
import { type CliIo, writeFilesAtomically } from './cli-io.ts';
import { CATALOGUE_DIR } from './paths.ts';

export const ANALYSE_USAGE = `Utilisation :
  cahier analyse --tender demande.json --bids offres.json --marks notation.json [--out DOSSIER]

Analyse les offres reçues : conformité de chaque offre aux exigences minimales, prix
rectifiés, offres anormalement basses, notation selon le règlement de la consultation,
rapport d’analyse des offres par lot (PDF et Word), si notation.json donne « letters »
(date d’envoi) les lettres aux candidats dont l’offre n’est pas retenue (PDF et Word) et,
si elle donne « award », les données d’attribution (DECP et OCDS).

offres.json : { "bids": [ { "id": "acme", "name": "ACME", "siret": "…",
                "matrix": "acme/cadre-de-reponse.xlsx", "prices": "acme/bordereau-des-prix.xlsx" } ] }
(chemins relatifs au fichier offres.json).`;

const BidsFileSchema = z.strictObject({
  bids: z.array(BidderSchema.extend({ matrix: z.string().min(1).max(500), prices: z.string().min(1).max(500) })).min(1).max(200),
});

async function readJson(path: string, label: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ValidationError([{ path: label, message: `unreadable JSON file ${path}: ${(error as Error).message}` }]);
  }
}

/** A bidder's file, refused by its size before it is read into memory. */
async function readBidFile(path: string): Promise<Uint8Array> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new ValidationError([{ path, message: 'file not found' }]);
  if (info.size > DEFAULT_XLSX_LIMITS.maxFileBytes) throw bidFileError('too-large', path, `the file is ${info.size} bytes; at most ${DEFAULT_XLSX_LIMITS.maxFileBytes} are accepted`);
  return new Uint8Array(await readFile(path));
}

export async function runAnalyse(argv: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        tender: { type: 'string' },
        bids: { type: 'string' },
        marks: { type: 'string' },
        out: { type: 'string', default: 'analyse' },
        catalogue: { type: 'string', default: CATALOGUE_DIR },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${ANALYSE_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(ANALYSE_USAGE);
    return 0;
  }
  if (!values.tender || !values.bids || !values.marks) {
    io.stderr(ANALYSE_USAGE);
    return 2;
  }
  try {
    const catalogue = new FileCatalogueReader(await loadCatalogue(resolve(values.catalogue)));
    const { tender } = await evaluateTender(parseTenderRequest(await readJson(values.tender, '--tender')), catalogue);
    const list = BidsFileSchema.safeParse(await readJson(values.bids, '--bids'));
    if (!list.success) throw new ValidationError(issuesFromZod(list.error, 'bids-file'));
    const input = parseAnalysisInput(await readJson(values.marks, '--marks'));
    const templates = await bidTemplates(tender);
    const base = dirname(resolve(values.bids));
    const bids = [];
    for (const entry of list.data.bids) {
      const { matrix, prices, ...bidder } = entry;
      bids.push(
        readBid(tender, templates, {
          bidder,
          matrix: { name: matrix, bytes: await readBidFile(join(base, matrix)) },
          prices: { name: prices, bytes: await readBidFile(join(base, prices)) },
        }),
      );
    }
    const { analysis, files } = await runAnalysis(tender, bids, input, ANALYSIS_RENDERERS);
    await writeFilesAtomically(resolve(values.out), files, (path) => io.stdout(`Écrit : ${path}`));
    for (const lot of analysis.lots) {
      const counts = ['conforming', 'regularisable', 'irregular'].map((s) => lot.offers.filter((o) => o.conformity.status === s).length);
      const eliminated = lot.offers.filter((o) => o.conformity.status === 'unacceptable' || o.conformity.status === 'inappropriate').length;
      const proposal = lot.proposed
        ? `proposé : ${lot.proposed.name} (${formatMoney(lot.ranking[0]!.amount)} HT)`
        : lot.tieForFirst
          ? 'égalité au premier rang : décision de l’acheteur'
          : 'aucune offre classée';
      io.stdout(
        `Lot ${lot.lot.number} : ${formatCount(lot.offers.length, 'offre', 'offres')}, ${formatCount(counts[0]!, 'conforme', 'conformes')}, ` +
          `${formatCount(counts[1]!, 'à régulariser', 'à régulariser')}, ${formatCount(counts[2]!, 'irrégulière', 'irrégulières')}` +
          `${eliminated > 0 ? `, ${formatCount(eliminated, 'inacceptable ou inappropriée', 'inacceptables ou inappropriées')}` : ''} ; ${proposal}`,
      );
    }
    if (!input.letters) io.stdout('Lettres aux candidats non retenus : ajoutez « letters » (date d’envoi) à la notation une fois l’attribution décidée.');
    if (!input.award) io.stdout('Données d’attribution (DECP, OCDS) : ajoutez « award » à la notation une fois le marché notifié.');
    return 0;
  } catch (error) {
    if (error instanceof ValidationError) {
      io.stderr('Analyse impossible, rien n’a été écrit :');
      for (const issue of error.issues) io.stderr(`${issue.path || '(racine)'} : ${issue.message}`);
      return 2;
    }
    if (error instanceof DomainError) {
      io.stderr(error.message);
      return 2;
    }
    throw error;
  }
}
