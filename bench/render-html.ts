/**
 * DocumentModel → standalone HTML5 page that prints like the PDF renderer's output: A4, same
 * margins and type sizes, cover page, table of contents (links; a browser cannot know page
 * numbers), numbered headings kept with what follows, tables whose <thead> Chromium repeats on
 * every printed page, and "Page X / Y" footers through CSS page-margin boxes (Chromium ≥ 131).
 * Every piece of model text is escaped; the output has no script and no external resource. Fonts are
 * named, not embedded: the DejaVu faces the PDF renderer uses (bench/chromium.ts pins them for Chromium).
 */
import type { Block, CellAlign, CoverPage, DocumentModel, HeadingBlock, Run, TableBlock } from '#src/core/documents/blocks.ts';

export function renderHtml(doc: DocumentModel): string {
  const headings = doc.blocks.filter((b): b is HeadingBlock => b.type === 'heading');
  const meta = doc.meta;
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(meta.language)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(meta.title)}</title>`,
    `<meta name="author" content="${escapeHtml(meta.author)}">`,
    `<meta name="description" content="${escapeHtml(meta.subject)}">`,
    `<meta name="keywords" content="${escapeHtml(meta.keywords.join(', '))}">`,
    '<meta name="generator" content="Cahier">',
    `<meta name="dcterms.created" content="${escapeHtml(meta.createdAt)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<style>${styles(doc.footerText)}</style>`,
    '</head>',
    '<body>',
    cover(doc.cover),
    toc(headings),
    '<main>',
    ...doc.blocks.map(block),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function cover(c: CoverPage): string {
  const facts = c.facts.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd>`).join('');
  return [
    '<section class="cover">',
    `<p class="kicker">${escapeHtml(c.kicker)}</p>`,
    `<h1 class="title">${escapeHtml(c.title)}</h1>`,
    facts ? `<dl class="facts">${facts}</dl>` : '',
    `<p class="footnote">${escapeHtml(c.footnote)}</p>`,
    '</section>',
  ].join('\n');
}

function toc(headings: readonly HeadingBlock[]): string {
  const entries = headings.filter((h) => h.level <= 2);
  if (entries.length === 0) return '';
  const items = entries.map(
    (h) =>
      `<li class="toc-${h.level}"><a href="#${escapeHtml(h.anchor)}"><span class="num">${escapeHtml(h.number)}</span> ${escapeHtml(h.text)}</a></li>`,
  );
  return ['<nav class="toc" aria-labelledby="toc-title">', '<h2 id="toc-title">Sommaire</h2>', '<ol>', ...items, '</ol>', '</nav>'].join('\n');
}

function block(b: Block): string {
  switch (b.type) {
    case 'heading': {
      const number = b.number ? `<span class="num">${escapeHtml(b.number)}</span> ` : '';
      const id = b.anchor ? ` id="${escapeHtml(b.anchor)}"` : '';
      return `<h${b.level}${id}>${number}${escapeHtml(b.text)}</h${b.level}>`;
    }
    case 'paragraph':
      return b.runs.length > 0 ? `<p>${runs(b.runs)}</p>` : '';
    case 'list': {
      if (b.items.length === 0) return '';
      const tag = b.ordered ? 'ol' : 'ul';
      return `<${tag}>${b.items.map((item) => `<li>${runs(item)}</li>`).join('')}</${tag}>`;
    }
    case 'table':
      return table(b);
    case 'bar':
      return `<p>${runs(b.caption)}</p>`;
    case 'page-break':
      return '<div class="page-break"></div>';
  }
}

function table(t: TableBlock): string {
  const columns = Math.max(t.header.length, ...t.rows.map((r) => r.length));
  if (columns === 0) return '';
  const cell = (tag: 'th' | 'td', content: Run[] | undefined, c: number): string => {
    const align: CellAlign = t.align[c] ?? 'left';
    const classes = [align === 'left' ? '' : align, hasLongWord(content ?? []) ? 'break-anywhere' : ''].filter(Boolean);
    const attr = classes.length > 0 ? ` class="${classes.join(' ')}"` : '';
    return `<${tag}${attr}>${runs(content ?? [])}</${tag}>`;
  };
  const row = (tag: 'th' | 'td', cells: Run[][]): string =>
    `<tr>${Array.from({ length: columns }, (_, c) => cell(tag, cells[c], c)).join('')}</tr>`;
  const head = t.header.length > 0 ? `<thead>${row('th', t.header)}</thead>` : '';
  return `<table>${head}<tbody>${t.rows.map((r) => row('td', r)).join('\n')}</tbody></table>`;
}

/**
 * A word too long for any column: only such cells may break anywhere, because
 * `overflow-wrap: anywhere` also lets the browser shrink the column below its words.
 */
const hasLongWord = (list: readonly Run[]): boolean => /\S{40,}/.test(list.map((r) => r.text).join(''));

function runs(list: readonly Run[]): string {
  return list
    .map((r) => {
      let html = escapeHtml(frenchSpaces(r.text)).replace(/\r\n?|\n/g, '<br>');
      // Short identifiers ("TAB-01") stay whole: browsers would break them after the hyphen.
      if (r.code) html = /^\S{1,24}$/.test(r.text) ? `<code class="nobr">${html}</code>` : `<code>${html}</code>`;
      if (r.italic) html = `<em>${html}</em>`;
      if (r.bold) html = `<strong>${html}</strong>`;
      return html;
    })
    .join('');
}

/**
 * No-break spaces where French typography wants them and the text has plain ones (before
 * ; : ! ? » and after « ≥ ≤), as the PDF renderer does, so "≤ 1,2 kg" never wraps after "≤".
 */
function frenchSpaces(text: string): string {
  return text.replace(/([«≥≤]) (?=\S)/g, '$1\u00a0').replace(/(?<=\S) ([;:!?»])/g, '\u00a0$1');
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** A CSS string literal; `<` and `>` are escaped too so that it cannot close the <style> element. */
function cssString(text: string): string {
  const body = text.replace(/[\\"<>\u0000-\u001f\u007f]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `);
  return `"${body}"`;
}

/** Print styles mirroring src/adapters/render/pdf/theme.ts (points; margins 62/57/68 pt). */
function styles(footerText: string): string {
  return `
@page {
  size: A4;
  margin: 62pt 57pt 68pt 57pt;
  @bottom-left { content: ${cssString(footerText)}; font: 8pt "DejaVu Sans", sans-serif; color: #5b6670; vertical-align: top; padding-top: 20pt; }
  @bottom-right { content: "Page " counter(page) " / " counter(pages); font: 8pt "DejaVu Sans", sans-serif; color: #5b6670; vertical-align: top; padding-top: 20pt; }
}
:root { color: #1b1f23; font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 14pt; }
body { margin: 0; }
@media screen {
  body { max-width: 481pt; margin: 2rem auto; padding: 0 1rem; }
  .cover { height: auto; min-height: 60vh; }
}
p { margin: 0 0 7pt; orphans: 2; widows: 2; }
ul, ol { margin: 0 0 7pt; padding-left: 18pt; }
li { margin-bottom: 2.5pt; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 1em; }
.nobr { white-space: nowrap; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; font-weight: bold; }
h1 { font-size: 15pt; line-height: 19pt; margin: 18pt 0 8pt; color: #1f3a5f; }
h2 { font-size: 12.5pt; line-height: 16pt; margin: 13pt 0 6pt; color: #1f3a5f; }
h3 { font-size: 10.5pt; line-height: 14pt; margin: 9pt 0 4pt; }
.num { margin-right: 0.35em; }
main > :first-child { margin-top: 0; }
/* The cover fills the printable height of an A4 page (841.89 - 62 - 68 pt), footnote at the foot. */
.cover { break-after: page; page-break-after: always; box-sizing: border-box; height: 710pt; display: flex; flex-direction: column; padding-top: 150pt; }
.cover .kicker { color: #1f3a5f; font-size: 12pt; line-height: 16pt; margin: 0 0 10pt; padding-bottom: 18pt; background: linear-gradient(#1f3a5f, #1f3a5f) left bottom / 64pt 2.5pt no-repeat; }
.cover .title { font-size: 24pt; line-height: 30pt; margin: 0 0 40pt; color: inherit; }
.cover .facts { display: grid; grid-template-columns: max-content 1fr; gap: 5pt 14pt; font-size: 10.5pt; line-height: 15pt; margin: 0; }
.cover dt { color: #5b6670; font-weight: bold; }
.cover dd { margin: 0; }
.cover .footnote { margin: auto 0 0; padding-top: 8pt; border-top: 0.5pt solid #9aa7b4; color: #5b6670; font-size: 9pt; line-height: 12.5pt; }
.toc { break-after: page; page-break-after: always; }
.toc h2 { font-size: 15pt; line-height: 19pt; margin: 0 0 14pt; color: #1f3a5f; }
.toc ol { list-style: none; padding: 0; margin: 0; }
.toc li { margin: 0; }
.toc .toc-1 { font-weight: bold; margin-top: 5pt; }
.toc .toc-2 { padding-left: 16pt; }
.toc a { color: inherit; text-decoration: none; }
table { width: 100%; border-collapse: collapse; margin: 3pt 0 10pt; font-size: 8.5pt; line-height: 11pt; overflow-wrap: break-word; }
.break-anywhere { overflow-wrap: anywhere; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.5pt solid #b4bec8; padding: 3.5pt 4pt; vertical-align: top; text-align: left; }
th { background: #e3e9f0; font-weight: bold; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
th.right, td.right { text-align: right; }
th.center, td.center { text-align: center; }
.page-break { break-after: page; page-break-after: always; }
@media print { a { color: inherit; text-decoration: none; } }
`;
}
