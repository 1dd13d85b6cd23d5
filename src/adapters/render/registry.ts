import { createOutputRegistry } from '#src/app/outputs.ts';
import type { Audience, OutputAdapter, OutputRegistry, RenderInput } from '#src/app/ports/outputs.ts';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import { DEFAULT_FORMATS, FORMATS, JSON_MEDIA_TYPE, OUTPUTS, PDF, type DceFileName, type OutputFileName } from './formats.ts';
import type { FileRenderer, Generation } from './generation.ts';
import type { OcdsSource } from './ocds/ocds.ts';
import { renderPdf, type PdfAttachment } from './pdf-engine.ts';

/*
 * Each file's renderer, loaded on first use: a CLI run or a Lambda request that asks for the
 * PDF never loads the Word or Excel writers, and the routes that render nothing never load PDFKit
 * (the PDF engine, src/adapters/render/pdf-engine.ts, loads it on its first PDF, or in Lambda
 * invokes the pdf-renderer function).
 * Every PDF goes through the generation's `pdf`, so it is archival and carries the release.
 */
/**
 * A module imported on first use, its promise kept: `import()` of a module already loaded still
 * resolves it again on every call, ≈ 0.4 ms each under tsx's loader (the CLI and the benchmarks),
 * twice per PDF generation (the renderer and the release every PDF carries).
 */
function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let module: Promise<T> | undefined;
  return () => (module ??= load());
}

/*
 * `process.env.CAHIER_OFFICE_BUNDLED` is the string 'false' in the bundles of the Lambda functions
 * that never write a Word or Excel file (esbuild's `define`, infra/bundling/bundling.ts), which
 * makes each `import()` of an Office renderer below dead code that esbuild leaves out, sources and
 * all; everywhere else (CLI, local server, tests, the documents function) it is not set.
 */
function officeUnavailable(): Promise<never> {
  return Promise.reject(new Error('The Word and Excel renderers are left out of this Lambda bundle: the documents function renders those formats (infra/bundling/bundling.ts).'));
}
const ocdsRenderer = lazy(() => import('./ocds/ocds.ts'));

const RENDERERS: Record<OutputFileName, FileRenderer> = {
  'cctp.pdf': (input, generation) => generation.pdf(input.document('cctp')),
  'rc.pdf': (input, generation) => generation.pdf(input.document('rc')),
  'rc.docx': (input, generation) => generation.docx(input.document('rc')),
  'cctp.docx': (input, generation) => generation.docx(input.document('cctp')),
  'cadre-de-reponse.xlsx': async (input) =>
    (await (process.env.CAHIER_OFFICE_BUNDLED === 'false' ? officeUnavailable() : import('./xlsx/compliance-matrix.ts'))).renderComplianceMatrix(input.tender, input.publication?.tenderId),
  'bordereau-des-prix.xlsx': async (input) =>
    (await (process.env.CAHIER_OFFICE_BUNDLED === 'false' ? officeUnavailable() : import('./xlsx/price-schedule.ts'))).renderPriceSchedule(input.tender, { tenderId: input.publication?.tenderId }),
  'tender.ocds.json': (input, generation) => ocdsJson(input, generation),
  'note-interne.pdf': (input, generation) => generation.pdf(input.document('note-interne'), 'buyer'),
};

/**
 * Each file of a generation rendered once, and each document model's PDF once: the OCDS release
 * lists the other pieces with their hashes, every PDF carries the release and the DCE packs the
 * PDFs the generation also writes alone, so a file may be asked for before its turn.
 */
const generations = new WeakMap<RenderInput, Generation>();
function generationOf(input: RenderInput): Generation {
  const known = generations.get(input);
  if (known) return known;
  const files = new Map<string, Promise<Uint8Array>>();
  const pdfs = new WeakMap<DocumentModel, Map<Audience, Promise<Uint8Array>>>();
  const docxs = new WeakMap<DocumentModel, Promise<Uint8Array>>();
  const generation: Generation = {
    file(fileName) {
      let bytes = files.get(fileName);
      if (!bytes) {
        bytes =
          fileName in RENDERERS
            ? RENDERERS[fileName as OutputFileName](input, generation)
            : (process.env.CAHIER_OFFICE_BUNDLED === 'false' ? officeUnavailable() : import('./dce/renderers.ts')).then((m) => m.DCE_RENDERERS[fileName as DceFileName](input, generation));
        files.set(fileName, bytes);
      }
      return bytes;
    },
    pdf(model, audience = 'bidder') {
      let byAudience = pdfs.get(model);
      if (!byAudience) {
        byAudience = new Map();
        pdfs.set(model, byAudience);
      }
      let bytes = byAudience.get(audience);
      if (!bytes) {
        bytes = archivalPdf(input, generation, model, audience);
        byAudience.set(audience, bytes);
      }
      return bytes;
    },
    docx(model) {
      let bytes = docxs.get(model);
      if (!bytes) {
        bytes = (process.env.CAHIER_OFFICE_BUNDLED === 'false' ? officeUnavailable() : import('./docx/render-docx.ts')).then((m) => m.renderDocx(model));
        docxs.set(model, bytes);
      }
      return bytes;
    },
  };
  generations.set(input, generation);
  return generation;
}

/**
 * The release of this generation. It lists the consultation file's pieces when the DCE is asked
 * for (the zip holds them under the names buyers use, and this very release as
 * 08_Donnees_OCDS.json), else the bidder files this generation writes.
 */
async function ocdsJson(input: RenderInput, generation: Generation): Promise<Uint8Array> {
  const { ocdsOptionsFor, renderOcdsJson } = await ocdsRenderer();
  const sources: OcdsSource[] = input.outputs.some((o) => o.format === 'dce')
    ? (await (process.env.CAHIER_OFFICE_BUNDLED === 'false' ? officeUnavailable() : import('./dce/dce-package.ts'))).dceDocuments(input, generation)
    : input.outputs
        .filter((o) => o.audience === 'bidder' && o.mediaType !== JSON_MEDIA_TYPE)
        .map((o) => ({ fileName: o.fileName, mediaType: o.mediaType, title: o.title, ...(o.mediaType === PDF ? {} : { render: () => generation.file(o.fileName as OutputFileName) }) }));
  return renderOcdsJson(input.tender, await ocdsOptionsFor(input, sources));
}

/**
 * A PDF/A-3 document carrying its data: every PDF embeds the OCDS release, byte for byte the
 * `tender.ocds.json` of the same generation (AFRelationship Data). The buyer's note interne also
 * embeds the request it was generated from (Source); a bidder document does not, since the request
 * holds the buyer's estimated prices and reasons, which bidders never receive.
 */
async function archivalPdf(input: RenderInput, generation: Generation, model: DocumentModel, audience: Audience): Promise<Uint8Array> {
  const attachments: PdfAttachment[] = [
    { name: 'tender.ocds.json', mediaType: JSON_MEDIA_TYPE, description: 'Données ouvertes de la consultation (OCDS 1.1)', relationship: 'Data', bytes: await generation.file('tender.ocds.json') },
  ];
  if (audience === 'buyer') {
    const request = new TextEncoder().encode(`${JSON.stringify(input.tender.source, null, 2)}\n`);
    attachments.push({ name: 'demande.json', mediaType: JSON_MEDIA_TYPE, description: 'Demande de l’acheteur dont les documents sont issus', relationship: 'Source', bytes: request });
  }
  return renderPdf(model, { attachments });
}

/** Cahier's outputs, every descriptor of formats.ts with its renderer. */
export const CAHIER_OUTPUTS: readonly OutputAdapter[] = OUTPUTS.map((o) => ({ ...o, render: (input: RenderInput) => generationOf(input).file(o.fileName) }));

/** The registry the CLI, the local stack and the Lambdas generate with. */
export function cahierOutputRegistry(): OutputRegistry {
  return createOutputRegistry(FORMATS, CAHIER_OUTPUTS, DEFAULT_FORMATS);
}
