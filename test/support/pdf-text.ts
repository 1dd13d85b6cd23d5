import { extractText, getDocumentProxy } from 'unpdf';

/** The text of each page of a PDF, whitespace folded (pdf.js splits lines and cells with spaces). */
export async function pdfPages(pdf: Uint8Array): Promise<string[]> {
  const proxy = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(proxy, { mergePages: false });
  return text.map((page) => page.replace(/\s+/g, ' '));
}

/** All pages' text joined, whitespace folded. */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  return (await pdfPages(pdf)).join(' ');
}
