/**
 * DocumentModel → Word (.docx), from the same blocks as the PDF, written by Cahier's own
 * WordprocessingML writer (wordml.ts, package-parts.ts, document-body.ts) and zipped with fflate.
 *
 * Layout: cover (kicker, title, facts, footnote), then a "Sommaire" page holding a TOC field over
 * Heading1–3 whose entries are already written (each a link to its heading's bookmark, with a
 * PAGEREF field left for Word or LibreOffice to fill: page numbers depend on their layout, which
 * Cahier does not know), so nothing asks to update fields on opening; then the body. Headings use
 * Word's built-in heading styles and a multilevel list of the numbering part (« 4 », « 4.2 »,
 * « 4.2.1 »), never typed numbers; when a model's numbers are not the sequence Word would count
 * (a model not built by the markup parser), they stay typed. Tables repeat their header row on
 * every page (`w:tblHeader`) and rows do not split across pages. Every page footer reads the
 * document reference on the left and "Page X / Y" on the right (PAGE / NUMPAGES fields).
 *
 * Output is reproducible: the document properties and the zip entries carry the model's
 * `createdAt`, never the current time (see office-package.ts).
 */
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import { writePackage, type PackageParts } from '#src/adapters/render/office-package.ts';
import { documentXml, footerXml } from './document-body.ts';
import { APP_PROPERTIES, CONTENT_TYPES, coreProperties, DOCUMENT_RELATIONSHIPS, numbering, PACKAGE_RELATIONSHIPS, settings, styles } from './package-parts.ts';

const encoder = new TextEncoder();

export async function renderDocx(doc: DocumentModel): Promise<Uint8Array> {
  const created = new Date(doc.meta.createdAt);
  if (Number.isNaN(created.getTime())) throw new RangeError(`meta.createdAt is not a valid date: "${doc.meta.createdAt}"`);
  const { xml, orderedLists } = documentXml(doc);
  const parts: PackageParts = new Map(
    (
      [
        ['[Content_Types].xml', CONTENT_TYPES],
        ['_rels/.rels', PACKAGE_RELATIONSHIPS],
        ['docProps/core.xml', coreProperties(doc.meta, doc.cover.kicker)],
        ['docProps/app.xml', APP_PROPERTIES],
        ['word/document.xml', xml],
        ['word/_rels/document.xml.rels', DOCUMENT_RELATIONSHIPS],
        ['word/styles.xml', styles(doc.meta.language)],
        ['word/numbering.xml', numbering(orderedLists)],
        ['word/settings.xml', settings(doc.meta.language)],
        ['word/footer1.xml', footerXml(doc.footerText)],
      ] as const
    ).map(([name, text]) => [name, encoder.encode(text)]),
  );
  return writePackage(parts, doc.meta.createdAt);
}
