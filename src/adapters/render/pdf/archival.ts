/**
 * Archival PDF: every PDF Cahier writes is PDF/A-3a (ISO 19005-3, level A: tagged, Unicode text)
 * and PDF/UA-1 (ISO 14289-1) in the same file, and carries its data as associated files.
 *
 * - PDFKit's `subset: 'PDF/A-3a'` writes the pdfaid identification and the sRGB output intent
 *   (its `.icc` file travels with the Lambda bundle, see infra/bundling). PDFKit takes one standard
 *   in that option, so the PDF/UA identification (pdfuaid:part 1) is written here into the XMP,
 *   with the PDF/A extension schema that declares the pdfuaid namespace (PDF/A admits only
 *   declared XMP properties).
 * - The rest of the XMP (dc, xmp, pdf namespaces) is written here too, mirroring the document
 *   information dictionary as PDF/A requires (title, author, subject, keywords, creator, producer,
 *   creation and modification dates) and escaped as XML, since titles are the buyer's text.
 * - Associated files (PDF/A-3, ISO 32000-2 14.13): each attachment is a file specification with
 *   its MIME type, dates, description and AFRelationship (`Data` for the OCDS release, `Source`
 *   for the request it was generated from), listed in the catalog's AF array and in the embedded
 *   files name tree, so a viewer's attachment pane and `pdfdetach` show it.
 */

import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { addAssociatedFile } from './upstream.ts';

/** A file carried inside the PDF. */
export interface PdfAttachment {
  /** File name shown to the reader, e.g. `tender.ocds.json`. */
  readonly name: string;
  readonly mediaType: string;
  /** In French, shown in the attachment pane. */
  readonly description: string;
  /** How the file relates to the document (ISO 32000-2, table 43). */
  readonly relationship: 'Data' | 'Source' | 'Supplement' | 'Alternative';
  readonly bytes: Uint8Array;
}

/** The PDF/A part and level PDFKit is asked for. */
export const PDFA_SUBSET = 'PDF/A-3a' as const;

/** What the XMP states about the document: the information dictionary's values. */
export interface XmpFields {
  readonly title: string;
  readonly author: string;
  readonly subject: string;
  readonly keywords: string;
  readonly language: string;
  readonly creator: string;
  readonly producer: string;
  readonly date: Date;
}

/** Text as XML character data or attribute value. */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** XMP date (ISO 8601, UTC, to the second), the same instant as the information dictionary's. */
const xmpDate = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

/**
 * The rdf:Description elements Cahier adds to the XMP packet: Dublin Core, XMP basic, Adobe PDF,
 * the PDF/UA identification and the extension schema declaring it. PDFKit adds the pdfaid
 * description itself.
 */
export function xmpDescriptions(fields: XmpFields): string {
  const e = xmlEscape;
  const alt = (text: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${e(text)}</rdf:li></rdf:Alt>`;
  const date = xmpDate(fields.date);
  const dc = [
    '<dc:format>application/pdf</dc:format>',
    `<dc:title>${alt(fields.title)}</dc:title>`,
    fields.author ? `<dc:creator><rdf:Seq><rdf:li>${e(fields.author)}</rdf:li></rdf:Seq></dc:creator>` : '',
    fields.subject ? `<dc:description>${alt(fields.subject)}</dc:description>` : '',
    `<dc:language><rdf:Bag><rdf:li>${e(fields.language)}</rdf:li></rdf:Bag></dc:language>`,
  ].join('');
  return [
    `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">${dc}</rdf:Description>`,
    `<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreateDate>${date}</xmp:CreateDate><xmp:ModifyDate>${date}</xmp:ModifyDate><xmp:MetadataDate>${date}</xmp:MetadataDate><xmp:CreatorTool>${e(fields.creator)}</xmp:CreatorTool></rdf:Description>`,
    `<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"><pdf:Producer>${e(fields.producer)}</pdf:Producer>${fields.keywords ? `<pdf:Keywords>${e(fields.keywords)}</pdf:Keywords>` : ''}</rdf:Description>`,
    '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>1</pdfuaid:part></rdf:Description>',
    PDFUA_EXTENSION_SCHEMA,
  ].join('\n');
}

/** Declares the pdfuaid namespace and its `part` property to PDF/A readers (ISO 19005-3, 6.6.2.3). */
const PDFUA_EXTENSION_SCHEMA = [
  '<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">',
  '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">',
  '<pdfaSchema:schema>PDF/UA identification schema</pdfaSchema:schema>',
  '<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>',
  '<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>',
  '<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">',
  '<pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>',
  '<pdfaProperty:category>internal</pdfaProperty:category><pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>',
  '</rdf:li></rdf:Seq></pdfaSchema:property>',
  '</rdf:li></rdf:Bag></pdfaExtension:schemas>',
  '</rdf:Description>',
].join('');

/** What the PDF stores of an attachment: its bytes deflated, and their MD5 (the CheckSum PDF asks for). */
interface PackedFile {
  readonly deflated: Buffer;
  readonly md5: string;
}

/**
 * Attachments packed, by their bytes: a generation embeds its one OCDS release in each PDF it
 * writes (the CCTP and the note interne by default), so the release is deflated and hashed once.
 * Attachments are the generation's files, never modified once rendered.
 */
const packedFiles = new WeakMap<Uint8Array, PackedFile>();

function packed(bytes: Uint8Array): PackedFile {
  let file = packedFiles.get(bytes);
  if (!file) {
    file = { deflated: deflateSync(bytes), md5: createHash('md5').update(bytes).digest('hex') };
    packedFiles.set(bytes, file);
  }
  return file;
}

/** A PDF name object's characters (ISO 32000-1, 7.3.5): delimiters and characters outside ! to ~ as #XX. */
export function pdfName(text: string): string {
  return text.replace(/[^!-~]|[#%()/<>[\]{}]/g, (c) => `#${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * Embeds each attachment as an associated file of the document, dated `date`. The objects are
 * those PDFKit's `file()` writes, key for key (an EmbeddedFile stream with its Params, a Filespec
 * with AFRelationship, EF, UF and Desc, listed in the EmbeddedFiles name tree and the catalog's
 * AF array), written here because `file()` hashes each attachment with an MD5 in JavaScript
 * (≈ 1 ms and 2 MB of garbage for a 72 KB release) and deflates it anew for every PDF: here Node's
 * native MD5 and one deflate per file (same zlib defaults as PDFKit's, so the same bytes).
 */
export function attachFiles(pdf: PDFKit.PDFDocument, attachments: readonly PdfAttachment[], date: Date): void {
  for (const a of attachments) {
    const { deflated, md5 } = packed(a.bytes);
    const file = pdf.ref({
      Type: 'EmbeddedFile',
      Params: { CreationDate: date, ModDate: date, CheckSum: new String(md5), Size: a.bytes.byteLength },
      Subtype: pdfName(a.mediaType),
      Length: deflated.length,
      Filter: 'FlateDecode',
    });
    file.end(deflated);
    const spec = pdf.ref({
      Type: 'Filespec',
      AFRelationship: a.relationship,
      F: new String(a.name),
      EF: { F: file },
      UF: new String(a.name),
      Desc: new String(a.description),
    });
    spec.end(undefined);
    pdf.addNamedEmbeddedFile(a.name, spec);
    addAssociatedFile(pdf, spec);
  }
}
