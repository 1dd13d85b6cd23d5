import MarkdownIt, { type Token } from 'markdown-it';
import type { Block, CellAlign, ListBlock, PageBreakBlock, ParagraphBlock, Run, TableBlock } from './blocks.ts';
import { frenchApostrophes } from '#src/core/model/typography.ts';
import { SizedCache, detach } from '#src/core/model/sized-cache.ts';

/**
 * The light markup templates produce is CommonMark with GFM tables. A thematic break (`---`)
 * is a page break. Raw HTML, links and images are off: templates do not need them, and
 * buyer text must never smuggle them in.
 */
function createParser(): InstanceType<typeof MarkdownIt> {
  return new MarkdownIt('commonmark', { html: false, linkify: false, typographer: false })
    .enable('table')
    .disable(['image', 'link', 'autolink', 'html_inline', 'html_block', 'entity', 'reference']);
}

/**
 * The block structure of a document: its core chain stops before the inline contents (what
 * markdown-it's `inline` and `text_join` core rules would do next), which `inlineParser` parses
 * one content at a time (see runsOf), as `parse` would have: each content is parsed alone, with
 * the same rules and options, and inline rules read nothing outside their content (links and
 * references, which would, are off).
 */
const blockParser = createParser();
blockParser.core.ruler.disable(['inline', 'text_join']);
const inlineParser = createParser();

/**
 * Bytes of inline contents and their runs kept for the process, by the estimate of inlineCost.
 * A CCTP's cells, paragraphs and headings are mostly the pinned criteria's texts and the
 * templates' fixed wording, the same from one tender to the next: the medium tender's CCTP and
 * note interne hold ≈ 480 contents, 0.3 MB by this estimate.
 */
const MAX_INLINE_BYTES = 1024 * 1024;
const inlineCost = (content: string, runs: readonly Run[]): number => 200 + content.length * 4 + runs.length * 80;
const inlineRunsByContent = new SizedCache<readonly Run[]>(MAX_INLINE_BYTES, inlineCost);

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;
/**
 * Breaking white space only: the no-break spaces of French typography (U+00A0 before « : » or
 * « % », U+202F in Intl amounts) are kept so numbers and units never split across lines.
 */
const WHITESPACE_RUN = /[ \t\n\v\f\r\u1680\u2000-\u200a\u2028\u2029\u205f\u3000]+/g;

/**
 * Escapes text so that the markup parser gives it back verbatim as one inline run:
 * every ASCII punctuation character is backslash-escaped (CommonMark guarantees a literal for
 * each) and whitespace, line breaks included, collapses to single spaces so nothing can start a
 * block or a table row.
 */
export function escapeMarkup(text: string): string {
  let escaped = escapedTexts.get(text);
  if (escaped === undefined) {
    // Unchanged by the replacements, the escaped text is the key itself: both are the detached copy.
    const own = detach(text);
    escaped = own.replace(WHITESPACE_RUN, ' ').replace(/^ | $/g, '').replace(ASCII_PUNCTUATION, '\\$&');
    escapedTexts.set(own, escaped);
  }
  return escaped;
}

/**
 * Texts escaped before, for the process: the values templates print are mostly the pinned
 * criteria's texts, labels and amounts, the same from one tender to the next (≈ 400 a medium
 * tender, each three regular-expression passes). 1 MB by the estimate below.
 */
const escapedTexts = new SizedCache<string>(1024 * 1024, (text, escaped) => 100 + (text.length + escaped.length) * 2);

/** A heading as a chunk holds it: its number depends on the headings of the chunks before. */
interface ChunkHeading {
  type: 'heading';
  level: 1 | 2 | 3;
  text: string;
}
/** What markup parses into (bars are built by code, never parsed). */
type ChunkBlock = ChunkHeading | ParagraphBlock | ListBlock | TableBlock | PageBreakBlock;

/**
 * Blocks of markup chunks kept for the process, by the estimate of chunkCost. Nearly all of a
 * document's markup is template wording and the pinned criteria's texts, the same from one tender
 * to the next: of the medium tender's CCTP and note interne (≈ 50 KB of markup in 109 chunks), two
 * unseen tenders share 105 chunks and 97 % of the bytes, which are then not parsed again.
 */
const MAX_CHUNK_BYTES = 2.5 * 1024 * 1024;
/** A run's object and the view of its text into the chunk: 100 bytes as measured (40 until 2026-12-07; see ShapeCache). */
const runsCost = (runs: readonly Run[]): number => runs.reduce((n, run) => n + 100 + run.text.length * 2, 16);
function chunkCost(chunk: string, blocks: readonly ChunkBlock[]): number {
  let cost = 100 + chunk.length * 2;
  for (const block of blocks) {
    cost += 120;
    if (block.type === 'heading') cost += block.text.length * 2;
    else if (block.type === 'paragraph') cost += runsCost(block.runs);
    else if (block.type === 'list') cost += block.items.reduce((n, item) => n + runsCost(item), 0);
    else if (block.type === 'table') cost += [block.header, ...block.rows].reduce((n, row) => n + row.reduce((m, cell) => m + runsCost(cell), 16), 0);
  }
  return cost;
}
const blocksByChunk = new SizedCache<readonly ChunkBlock[]>(MAX_CHUNK_BYTES, chunkCost);

/**
 * A line after which a blank line ends every block markdown-it may have open: not indented (a
 * list item's continuation or indented code), not a list item (which would join the list before),
 * not a block quote. Fenced code, which a blank line does not end, never gets here (see chunksOf).
 */
const CHUNK_START = /^(?![ \t>]|(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$))./;
const BLANK_LINE = /^[ \t]*$/;
/**
 * What chunksOf cannot split safely: fenced code (blank lines inside), and what markdown-it
 * normalises (CR, NUL). Any run of three backticks or tildes counts, fence or not (escaped buyer
 * text has none): four searches of the string instead of a multiline regular expression over it.
 */
const unsplittable = (markup: string): boolean => markup.includes('```') || markup.includes('~~~') || markup.includes('\r') || markup.includes('\0');

/**
 * The markup cut at blank lines where each piece parses, alone, into the blocks the whole would
 * give there: a blank line followed by a line that starts a new top-level block (CHUNK_START).
 * The whole markup, uncut, when it holds anything chunksOf does not cut safely.
 */
function chunksOf(markup: string): string[] {
  if (unsplittable(markup)) return [markup];
  const chunks: string[] = [];
  let start = 0;
  let previousBlank = false;
  let line = 0;
  while (line < markup.length) {
    const end = markup.indexOf('\n', line);
    const next = end < 0 ? markup.length : end + 1;
    const text = markup.slice(line, end < 0 ? markup.length : end);
    const blank = BLANK_LINE.test(text);
    if (previousBlank && !blank && line > start && CHUNK_START.test(text)) {
      chunks.push(markup.slice(start, line));
      start = line;
    }
    previousBlank = blank;
    line = next;
  }
  if (start < markup.length || chunks.length === 0) chunks.push(markup.slice(start));
  return chunks;
}

/** Parses template output into renderer-neutral blocks, numbering headings as it goes. */
export function parseMarkup(markup: string): Block[] {
  const blocks: Block[] = [];
  const counters = [0, 0, 0];
  for (const chunk of chunksOf(markup)) {
    let chunkBlocks = blocksByChunk.get(chunk);
    if (chunkBlocks === undefined) {
      // A chunk is a slice of the whole document's markup, and its blocks' texts slices of the chunk:
      // parsed from a copy of its own, the entry keeps that copy alive, not the document.
      const own = detach(chunk);
      chunkBlocks = parseChunk(own);
      blocksByChunk.set(own, chunkBlocks);
    }
    for (const block of chunkBlocks) {
      if (block.type === 'heading') {
        const { level } = block;
        counters[level - 1]! += 1;
        counters.fill(0, level);
        const number = counters.slice(0, level).join('.');
        blocks.push({ type: 'heading', level, number, text: block.text, anchor: `sec-${number.replaceAll('.', '-')}` });
      } else {
        blocks.push(copyBlock(block));
      }
    }
  }
  return blocks;
}

/** A block of its own for each call, which the caller may change without changing the cache. */
function copyBlock(block: Exclude<ChunkBlock, ChunkHeading>): Block {
  const runs = (r: readonly Run[]): Run[] => r.map((run) => ({ ...run }));
  switch (block.type) {
    case 'paragraph':
      return { type: 'paragraph', runs: runs(block.runs) };
    case 'list':
      return { type: 'list', ordered: block.ordered, items: block.items.map(runs) };
    case 'table':
      return { type: 'table', header: block.header.map(runs), rows: block.rows.map((row) => row.map(runs)), align: [...block.align] };
    case 'page-break':
      return { type: 'page-break' };
  }
}

/** The blocks of one chunk, headings unnumbered. */
function parseChunk(markup: string): ChunkBlock[] {
  const tokens = blockParser.parse(markup, {});
  const blocks: ChunkBlock[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i]!;
    switch (token.type) {
      case 'heading_open': {
        const level = Math.min(3, Number(token.tag.slice(1))) as 1 | 2 | 3;
        blocks.push({ type: 'heading', level, text: inlineText(tokens[i + 1]!) });
        i += 3;
        break;
      }
      case 'paragraph_open':
        blocks.push({ type: 'paragraph', runs: inlineRuns(tokens[i + 1]!) });
        i += 3;
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        i = parseList(tokens, i, blocks);
        break;
      case 'table_open':
        i = parseTable(tokens, i, blocks);
        break;
      case 'hr':
        blocks.push({ type: 'page-break' });
        i += 1;
        break;
      case 'fence':
      case 'code_block':
        blocks.push({ type: 'paragraph', runs: [{ text: token.content.trimEnd(), code: true }] });
        i += 1;
        break;
      default:
        i += 1;
    }
  }
  return blocks;
}

function parseList(tokens: Token[], start: number, blocks: ChunkBlock[]): number {
  const ordered = tokens[start]!.type === 'ordered_list_open';
  const close = ordered ? 'ordered_list_close' : 'bullet_list_close';
  const items: Run[][] = [];
  let depth = 0;
  let i = start + 1;
  let current: Run[] | undefined;
  for (; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === close && depth === 0) break;
    if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') depth += 1;
    else if (token.type === 'bullet_list_close' || token.type === 'ordered_list_close') depth -= 1;
    else if (token.type === 'list_item_open' && depth === 0) current = [];
    else if (token.type === 'list_item_close' && depth === 0 && current) items.push(current);
    else if (token.type === 'inline' && current) {
      // Nested list items and second paragraphs join the item they belong to.
      if (current.length > 0) current.push({ text: ' ' });
      current.push(...inlineRuns(token));
    }
  }
  blocks.push({ type: 'list', ordered, items });
  return i + 1;
}

function parseTable(tokens: Token[], start: number, blocks: ChunkBlock[]): number {
  const header: Run[][] = [];
  const rows: Run[][][] = [];
  const align: CellAlign[] = [];
  let inHead = false;
  let row: Run[][] | undefined;
  let i = start + 1;
  for (; i < tokens.length && tokens[i]!.type !== 'table_close'; i++) {
    const token = tokens[i]!;
    switch (token.type) {
      case 'thead_open':
        inHead = true;
        break;
      case 'thead_close':
        inHead = false;
        break;
      case 'tr_open':
        row = [];
        break;
      case 'tr_close':
        if (row && !inHead) rows.push(row);
        break;
      case 'th_open':
        align.push(cellAlign(token));
        break;
      case 'inline':
        if (inHead) header.push(inlineRuns(token));
        else row?.push(inlineRuns(token));
        break;
    }
  }
  blocks.push({ type: 'table', header, rows, align });
  return i + 1;
}

function cellAlign(token: Token): CellAlign {
  const style = String(token.attrGet('style') ?? '');
  if (style.includes('right')) return 'right';
  if (style.includes('center')) return 'center';
  return 'left';
}

function inlineText(token: Token): string {
  return inlineRuns(token)
    .map((r) => r.text)
    .join('');
}

/**
 * The styled runs of an inline token's content, parsed once per process while the cache holds
 * them; each call gets runs of its own, which the caller may change.
 */
function inlineRuns(token: Token): Run[] {
  let runs = inlineRunsByContent.get(token.content);
  if (runs === undefined) {
    const own = detach(token.content);
    runs = flattenInline(inlineParser.parseInline(own, {})[0]?.children ?? []);
    inlineRunsByContent.set(own, runs);
  }
  return runs.map((run) => ({ ...run }));
}

/** Flattens markdown-it inline children into styled runs, merging neighbours of one style. */
function flattenInline(children: readonly Token[]): Run[] {
  const runs: Run[] = [];
  let bold = 0;
  let italic = 0;
  const push = (text: string, code = false) => {
    if (text === '') return;
    const run: Run = { text };
    if (bold > 0) run.bold = true;
    if (italic > 0) run.italic = true;
    if (code) run.code = true;
    const last = runs[runs.length - 1];
    if (last && !!last.bold === !!run.bold && !!last.italic === !!run.italic && !!last.code === !!run.code) {
      last.text += text;
    } else {
      runs.push(run);
    }
  };
  for (const child of children) {
    switch (child.type) {
      case 'text':
        push(frenchApostrophes(child.content));
        break;
      case 'code_inline':
        push(child.content, true);
        break;
      case 'strong_open':
        bold += 1;
        break;
      case 'strong_close':
        bold -= 1;
        break;
      case 'em_open':
        italic += 1;
        break;
      case 'em_close':
        italic -= 1;
        break;
      case 'softbreak':
        push(' ');
        break;
      case 'hardbreak':
        push('\n');
        break;
    }
  }
  return runs;
}
