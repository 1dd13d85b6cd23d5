import { describe, expect, it } from 'vitest';
import type { DocumentModel } from '#src/core/documents/blocks.ts';
import { renderHtml } from '../../bench/render-html.ts';
import { sampleDocument } from '../support/sample-document.ts';

function hostileDocument(): DocumentModel {
  const base = sampleDocument({ requirementRows: 0 });
  return {
    ...base,
    meta: { ...base.meta, title: 'Titre <script>alert(1)</script> & co', language: 'fr"><script>' },
    cover: { ...base.cover, title: 'R&D <b>', facts: [{ label: 'Acheteur <i>', value: 'A & B "quoted"' }] },
    footerText: 'Réf. </style><script>x()</script> "q" \\',
    blocks: [
      { type: 'heading', level: 1, number: '1', text: 'Objet <script>alert("h")</script>', anchor: 'sec-1"onclick="x' },
      { type: 'heading', level: 2, number: '1.1', text: 'Sous-section', anchor: 'sec-1-1' },
      { type: 'heading', level: 3, number: '1.1.1', text: 'Détail', anchor: 'sec-1-1-1' },
      { type: 'paragraph', runs: [{ text: 'Tom & Jerry <script>alert(2)</script>' }, { text: ' gras', bold: true }, { text: ' code<>', code: true }] },
      { type: 'list', ordered: true, items: [[{ text: 'un & deux' }]] },
      {
        type: 'table',
        header: [[{ text: 'ID' }], [{ text: 'Montant <€>' }]],
        align: ['left', 'right'],
        rows: [[[{ text: 'A&B' }], [{ text: '1\u202f234,50\u00a0€' }]]],
      },
    ],
  };
}

describe('renderHtml', () => {
  it('produces a standalone HTML5 document with print CSS', () => {
    // Prepare
    const doc = sampleDocument({ requirementRows: 12 });

    // Act
    const html = renderHtml(doc);

    // Assess
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="fr-FR">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toMatch(/@page \{\s*size: A4;/);
    expect(html).toContain('counter(pages)');
    expect(html).toContain('<section class="cover">');
    expect(html).not.toMatch(/<link|<script|src=/);
  });

  it('escapes every piece of text, including in attributes and CSS', () => {
    // Act
    const html = renderHtml(hostileDocument());

    // Assess
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('</style><script>');
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    expect(html).toContain('<title>Titre &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>');
    expect(html).toContain('<html lang="fr&quot;&gt;&lt;script&gt;">');
    expect(html).toContain('Tom &amp; Jerry &lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain('<strong> gras</strong><code> code&lt;&gt;</code>');
    expect(html).toContain('<td class="right">1\u202f234,50\u00a0€</td>');
    expect(html).toContain('id="sec-1&quot;onclick=&quot;x"');
    expect(html).toContain('<td>A&amp;B</td>');
    expect(html).toContain('<dt>Acheteur &lt;i&gt;</dt><dd>A &amp; B &quot;quoted&quot;</dd>');
    expect(html).toContain('1\u202f234,50\u00a0€');
  });

  it('numbers the headings and lists levels 1 and 2 in the table of contents', () => {
    // Act
    const html = renderHtml(hostileDocument());

    // Assess
    expect(html).toContain('<h1 id="sec-1&quot;onclick=&quot;x"><span class="num">1</span> Objet &lt;script&gt;');
    expect(html).toContain('<h2 id="sec-1-1"><span class="num">1.1</span> Sous-section</h2>');
    expect(html).toContain('<h3 id="sec-1-1-1"><span class="num">1.1.1</span> Détail</h3>');
    expect(html).toContain('<a href="#sec-1-1"><span class="num">1.1</span> Sous-section</a>');
    expect(html).not.toContain('href="#sec-1-1-1"');
  });

  it('writes tables with a thead that printing repeats, and column alignment', () => {
    // Act
    const html = renderHtml(hostileDocument());

    // Assess
    expect(html).toContain('<table><thead><tr><th>ID</th><th class="right">Montant &lt;€&gt;</th></tr></thead><tbody>');
    expect(html).toContain('<td class="right">');
    expect(html).toMatch(/thead \{ display: table-header-group; \}/);
  });

  it('keeps French punctuation and thresholds with their words, and lets only huge words break anywhere', () => {
    // Prepare
    const base = sampleDocument({ requirementRows: 0 });
    const doc: DocumentModel = {
      ...base,
      blocks: [
        { type: 'paragraph', runs: [{ text: 'Seuil ≥ 32 Go ; « oui » : ok !' }] },
        {
          type: 'table',
          header: [[{ text: 'ID' }], [{ text: 'Valeur' }]],
          align: ['left', 'left'],
          rows: [[[{ text: 'TAB-01', code: true }], [{ text: 'x'.repeat(500) }]]],
        },
      ],
    };

    // Act
    const html = renderHtml(doc);

    // Assess
    expect(html).toContain('<p>Seuil ≥\u00a032 Go\u00a0; «\u00a0oui\u00a0»\u00a0: ok\u00a0!</p>');
    expect(html).toContain('<td><code class="nobr">TAB-01</code></td><td class="break-anywhere">xxx');
  });
});
