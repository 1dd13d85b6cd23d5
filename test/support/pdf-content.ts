/**
 * Reads the page content streams of a PDF written by PDFKit (uncompressed object syntax,
 * FlateDecode streams) and finds what is drawn outside tagged content: every operator that
 * paints (text, paths, images) must sit inside a marked-content sequence with an MCID (content
 * of a structure element) or inside an Artifact. A small reader for our own files, not a PDF
 * parser: it fails loudly on anything it does not expect.
 */
import { inflateSync } from 'node:zlib';

/** Operators that paint something on the page. */
const PAINTING = new Set(['Tj', 'TJ', "'", '"', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'S', 's', 'sh', 'Do']);

/** The decompressed content stream of each page, in page order. */
export function pageContents(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes).toString('latin1');
  const objects = new Map<number, number>();
  for (const m of text.matchAll(/(?:^|\n)(\d+) 0 obj\n/g)) objects.set(Number(m[1]), m.index! + m[0].length);
  const pagesRoot = /\/Type \/Pages\n\/Count \d+\n\/Kids \[([^\]]*)\]/.exec(text);
  if (!pagesRoot) throw new Error('no page tree found');
  return [...pagesRoot[1]!.matchAll(/(\d+) 0 R/g)].map((kid) => {
    const page = objectAt(text, objects, Number(kid[1]));
    const contents = /\/Contents (\d+) 0 R/.exec(page);
    if (!contents) throw new Error(`page object ${kid[1]} has no single content stream`);
    const start = objects.get(Number(contents[1]))!;
    const streamAt = text.indexOf('stream\n', start) + 'stream\n'.length;
    const end = text.indexOf('\nendstream', streamAt);
    return inflateSync(Buffer.from(bytes).subarray(streamAt, end)).toString('latin1');
  });
}

function objectAt(text: string, objects: Map<number, number>, id: number): string {
  const start = objects.get(id);
  if (start === undefined) throw new Error(`object ${id} not found`);
  return text.slice(start, text.indexOf('endobj', start));
}

/** Tokens of a content stream: dictionaries, hex and literal strings, arrays, names, operands, operators. */
const TOKEN = /<<[^>]*>>|<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)|\[|\]|\/[^\s/[\]<>()]+|[^\s/[\]<>()]+/g;

/**
 * The painting operators drawn outside tagged content or artifacts, with their page (1-based)
 * and the operator, e.g. `{ page: 3, operator: 'TJ' }`. Empty for a fully tagged file.
 */
export function untaggedPainting(bytes: Uint8Array): { page: number; operator: string }[] {
  const found: { page: number; operator: string }[] = [];
  pageContents(bytes).forEach((content, index) => {
    // One entry per open marked-content sequence: does it tag (MCID) or mark an artifact?
    const open: boolean[] = [];
    let operands: string[] = [];
    let arrayDepth = 0;
    for (const [token] of content.matchAll(TOKEN)) {
      if (token === '[') arrayDepth += 1;
      else if (token === ']') arrayDepth -= 1;
      if (arrayDepth > 0 || token === ']' || token === '[' || !/^[A-Za-z'"*]+$/.test(token) || /^(true|false|null)$/.test(token)) {
        if (arrayDepth === 0 && token !== ']') operands.push(token);
        continue;
      }
      if (token === 'BDC') open.push(operands[0] === '/Artifact' || /\/MCID \d+/.test(operands[1] ?? ''));
      else if (token === 'BMC') open.push(operands[0] === '/Artifact');
      else if (token === 'EMC') {
        if (open.pop() === undefined) throw new Error(`page ${index + 1}: EMC without an open sequence`);
      } else if (PAINTING.has(token) && !open.some(Boolean)) found.push({ page: index + 1, operator: token });
      operands = [];
    }
    if (open.length > 0) throw new Error(`page ${index + 1}: ${open.length} marked-content sequence(s) left open`);
  });
  return found;
}
