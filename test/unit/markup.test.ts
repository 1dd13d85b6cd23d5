import { describe, expect, it } from 'vitest';
import { runsText } from '#src/core/documents/blocks.ts';
import { escapeMarkup, parseMarkup } from '#src/core/documents/markup.ts';

describe('parseMarkup', () => {
  it('numbers headings hierarchically and restarts sub-counters', () => {
    // Prepare
    const markup = '# Contexte\n\n## Objet\n\n## Cadre\n\n### Détail\n\n# Lot 1\n\n## Tablettes\n';
    // Act
    const headings = parseMarkup(markup).filter((b) => b.type === 'heading');
    // Assess
    expect(headings.map((h) => `${h.number} ${h.text}`)).toEqual([
      '1 Contexte',
      '1.1 Objet',
      '1.2 Cadre',
      '1.2.1 Détail',
      '2 Lot 1',
      '2.1 Tablettes',
    ]);
    expect(headings[3]).toMatchObject({ level: 3, anchor: 'sec-1-2-1' });
  });

  it('turns GFM tables into header, rows and column alignment', () => {
    const blocks = parseMarkup('| Réf. | Quantité |\n|:--|--:|\n| a | **16** |\n| b | 2 |\n');
    expect(blocks).toEqual([
      {
        type: 'table',
        header: [[{ text: 'Réf.' }], [{ text: 'Quantité' }]],
        rows: [
          [[{ text: 'a' }], [{ text: '16', bold: true }]],
          [[{ text: 'b' }], [{ text: '2' }]],
        ],
        align: ['left', 'right'],
      },
    ]);
  });

  it('keeps bold, italic and code runs and maps a thematic break to a page break', () => {
    const blocks = parseMarkup('Texte **gras** et *italique* puis `code`.\n\n---\n\n1. un\n2. deux\n');
    expect(blocks[0]).toEqual({
      type: 'paragraph',
      runs: [{ text: 'Texte ' }, { text: 'gras', bold: true }, { text: ' et ' }, { text: 'italique', italic: true }, { text: ' puis ' }, { text: 'code', code: true }, { text: '.' }],
    });
    expect(blocks[1]).toEqual({ type: 'page-break' });
    expect(blocks[2]).toEqual({ type: 'list', ordered: true, items: [[{ text: 'un' }], [{ text: 'deux' }]] });
  });

  it('leaves raw HTML, links and images as plain text', () => {
    const [block] = parseMarkup('<b>x</b> [lien](http://exemple.invalid) ![img](a.png)');
    expect(block?.type).toBe('paragraph');
    expect(block?.type === 'paragraph' && runsText(block.runs)).toBe('<b>x</b> [lien](http://exemple.invalid) ![img](a.png)');
  });
});

describe('escapeMarkup', () => {
  it.each([
    '# pas un titre',
    '| pas | un | tableau |',
    '**pas gras** et _pas italique_',
    '1. pas une liste',
    '- pas une liste',
    '> pas une citation',
    '<script>alert(1)</script> &amp; &#65;',
    '{{pas du code}} ${neither}',
    '`pas de code`',
    '---',
    '    quatre espaces',
    'antislash \\ final \\',
  ])('gives back %j verbatim inside a paragraph and a table cell', (text) => {
    const escaped = escapeMarkup(text);
    const [paragraph] = parseMarkup(escaped);
    expect(paragraph).toEqual({ type: 'paragraph', runs: [{ text: text.trim().replace(/\s+/g, ' ') }] });
    const [table] = parseMarkup(`| A | B |\n|---|---|\n| ${escaped} | fin |\n`);
    expect(table).toEqual({
      type: 'table',
      header: [[{ text: 'A' }], [{ text: 'B' }]],
      rows: [[[{ text: text.trim().replace(/\s+/g, ' ') }], [{ text: 'fin' }]]],
      align: ['left', 'left'],
    });
  });

  it('keeps the no-break spaces of French typography so amounts and percentages stay whole', () => {
    const text = 'Prix\u00a0: 1\u202f234,50\u00a0€, soit 45\u00a0%';
    expect(parseMarkup(escapeMarkup(text))).toEqual([{ type: 'paragraph', runs: [{ text }] }]);
  });

  it('folds line breaks so buyer text cannot start a new block', () => {
    expect(parseMarkup(escapeMarkup('ligne 1\n\n# titre\n| a |'))).toEqual([
      { type: 'paragraph', runs: [{ text: 'ligne 1 # titre | a |' }] },
    ]);
  });
});

describe('parseMarkup by chunks', () => {
  /**
   * The same markup parsed whole: a fenced code block anywhere keeps parseMarkup from cutting it
   * at blank lines (a fence may hold them), so appending one and dropping its block at the end
   * gives what the uncut parse gives.
   */
  const parsedWhole = (markup: string) => parseMarkup(`${markup}\n\n\`\`\`\nfin\n\`\`\`\n`).slice(0, -1);

  it.each([
    ['headings numbered across blank lines', '# Un\n\nTexte.\n\n## Deux\n\n### Trois\n\n# Quatre\n\n## Cinq\n'],
    ['a loose list, its items apart', '- un\n\n- deux\n\n- trois\n\nAprès la liste.\n'],
    ['a list item continued by an indented paragraph', '1. premier\n\n   suite du premier\n\n2. second\n\nFin.\n'],
    ['two ordered lists apart, which join', '1. a\n2. b\n\n3. c\n\nTexte.\n'],
    ['indented code after a paragraph', 'Texte.\n\n    code indenté\n\n    encore\n\nFin.\n'],
    ['a block quote', '> citée\n\n> encore\n\nTexte.\n'],
    ['a table, then a paragraph and a page break', '| A | B |\n|:--|--:|\n| a | 1 |\n\nTexte **gras**.\n\n---\n\n* * *\n\nFin.\n'],
    ['a setext heading and spaces on blank lines', 'Titre\n=====\n  \nTexte.\n\t\n===\n'],
  ])('gives what the whole gives: %s', (_name, markup) => {
    expect(parseMarkup(markup)).toEqual(parsedWhole(markup));
  });

  it('hands out blocks of its own, which a caller may change', () => {
    // Prepare
    const markup = '# Titre\n\nUn paragraphe qui se répète.\n\n| A |\n|---|\n| a |\n';
    const first = parseMarkup(markup);
    // Act
    for (const block of first) if (block.type === 'paragraph') block.runs[0]!.text = 'changé';
    // Assess
    expect(parseMarkup(markup)).toEqual(parsedWhole(markup));
  });
});
