import { createOutputRegistry } from '#src/app/outputs.ts';
import type { Audience, OutputAdapter, OutputRegistry, RenderInput } from '#src/app/ports/outputs.ts';
import type { DocumentName } from '#src/core/documents/document-models.ts';
import { DEFAULT_FORMATS, FORMATS, JSON_MEDIA_TYPE, OUTPUTS, type DceFileName, type OutputFileName } from './formats.ts';
import type { PdfAttachment } from './pdf/archival.ts';

/*
 * Each file's renderer, loaded on first use: a CLI run or a Lambda request that asks for the
 * PDF never loads the Word or Excel writers, and the routes that render nothing never load PDFKit.
 */
const RENDERERS: Record<OutputFileName, (input: RenderInput) => Promise<Uint8Array>> = {
  'cctp.pdf': (input) => archivalPdf(input, 'cctp', 'bidder'),
  'rc.pdf': (input) => archivalPdf(input, 'rc', 'bidder'),
  'rc.docx': async (input) => (await import('./docx/render-docx.ts')).renderDocx(input.document('rc')),
  'cctp.docx': async (input) => (await import('./docx/render-docx.ts')).renderDocx(input.document('cctp')),
  'cadre-de-reponse.xlsx': async (input) => (await import('./xlsx/compliance-matrix.ts')).renderComplianceMatrix(input.tender),
  'bordereau-des-prix.xlsx': async (input) => (await import('./xlsx/price-schedule.ts')).renderPriceSchedule(input.tender),
  'tender.ocds.json': (input) => ocdsJson(input),
  'note-interne.pdf': (input) => archivalPdf(input, 'note-interne', 'buyer'),
};

/**
 * Each file of a generation rendered once: the OCDS release lists the other pieces with their
 * hashes and every PDF carries the release, so a file may be asked for before its turn.
 */
const renderedByInput = new WeakMap<RenderInput, Map<string, Promise<Uint8Array>>>();
function renderOnce(input: RenderInput, fileName: OutputFileName | DceFileName): Promise<Uint8Array> {
  let files = renderedByInput.get(input);
  if (!files) {
    files = new Map();
    renderedByInput.set(input, files);
  }
  let bytes = files.get(fileName);
  if (!bytes) {
    bytes = fileName in RENDERERS ? RENDERERS[fileName as OutputFileName](input) : import('./dce/renderers.ts').then((m) => m.DCE_RENDERERS[fileName as DceFileName](input));
    files.set(fileName, bytes);
  }
  return bytes;
}

async function ocdsJson(input: RenderInput): Promise<Uint8Array> {
  const { ocdsOptionsFor, renderOcdsJson } = await import('./ocds/ocds.ts');
  return renderOcdsJson(input.tender, await ocdsOptionsFor(input, (name) => renderOnce(input, name as OutputFileName)));
}

/**
 * A PDF/A-3 document carrying its data: every PDF embeds the OCDS release, byte for byte the
 * `tender.ocds.json` of the same generation (AFRelationship Data). The buyer's note interne also
 * embeds the request it was generated from (Source); a bidder document does not, since the request
 * holds the buyer's estimated prices and reasons, which bidders never receive.
 */
async function archivalPdf(input: RenderInput, name: DocumentName, audience: Audience): Promise<Uint8Array> {
  const { renderPdf } = await import('./pdf/render-pdf.ts');
  const attachments: PdfAttachment[] = [
    { name: 'tender.ocds.json', mediaType: JSON_MEDIA_TYPE, description: 'Données ouvertes de la consultation (OCDS 1.1)', relationship: 'Data', bytes: await renderOnce(input, 'tender.ocds.json') },
  ];
  if (audience === 'buyer') {
    const request = new TextEncoder().encode(`${JSON.stringify(input.tender.source, null, 2)}\n`);
    attachments.push({ name: 'demande.json', mediaType: JSON_MEDIA_TYPE, description: 'Demande de l’acheteur dont les documents sont issus', relationship: 'Source', bytes: request });
  }
  return renderPdf(input.document(name), { attachments });
}

/** Cahier's outputs, every descriptor of formats.ts with its renderer. */
export const CAHIER_OUTPUTS: readonly OutputAdapter[] = OUTPUTS.map((o) => ({ ...o, render: (input: RenderInput) => renderOnce(input, o.fileName) }));

/** The registry the CLI, the local stack and the Lambdas generate with. */
export function cahierOutputRegistry(): OutputRegistry {
  return createOutputRegistry(FORMATS, CAHIER_OUTPUTS, DEFAULT_FORMATS);
}
