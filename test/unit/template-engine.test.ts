import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { parseMarkup } from '#src/core/documents/markup.ts';
import { PRECOMPILED_FILE, precompileTemplates, TemplateEngine } from '#src/adapters/handlebars/template-engine.ts';
import { TEMPLATES_DIR } from '#src/entry/paths.ts';

function engineWith(cctp: string, partials: Record<string, string> = {}): TemplateEngine {
  const dir = mkdtempSync(join(tmpdir(), 'cahier-tpl-'));
  mkdirSync(join(dir, 'partials'));
  writeFileSync(join(dir, 'cctp.md.hbs'), cctp);
  for (const [name, source] of Object.entries(partials)) writeFileSync(join(dir, 'partials', `${name}.md.hbs`), source);
  return new TemplateEngine(dir);
}

describe('TemplateEngine', () => {
  it('escapes printed values for the markup, in headings, paragraphs, lists and tables', () => {
    // Prepare
    const hostile = '# {{titre}} | <img src=x> **gras** `code`';
    const engine = engineWith('# {{v}}\n\n{{v}}\n\n- {{v}}\n\n{{> row}}\n', { row: '| A |\n|---|\n| {{v}} |\n' });
    // Act
    const blocks = parseMarkup(engine.render('cctp', { v: hostile }));
    // Assess
    expect(blocks.map((b) => b.type)).toEqual(['heading', 'paragraph', 'list', 'table']);
    expect(JSON.stringify(blocks)).not.toContain('"bold":true');
    expect(blocks[0]).toMatchObject({ text: hostile });
    expect(blocks[3]).toMatchObject({ rows: [[[{ text: hostile }]]] });
  });

  it('never runs template code found in data', () => {
    const engine = engineWith('{{v}}');
    const markup = engine.render('cctp', { v: '{{#each this}}{{this}}{{/each}} {{lookup . "constructor"}}' });
    expect(parseMarkup(markup)).toEqual([{ type: 'paragraph', runs: [{ text: '{{#each this}}{{this}}{{/each}} {{lookup . "constructor"}}' }] }]);
  });

  it('keeps blank-line paragraphs of buyer text apart, each escaped', () => {
    const engine = engineWith('{{paragraphs v}}');
    const blocks = parseMarkup(engine.render('cctp', { v: 'Premier | paragraphe\n\n# Second\nsuite' }));
    expect(blocks).toEqual([
      { type: 'paragraph', runs: [{ text: 'Premier | paragraphe' }] },
      { type: 'paragraph', runs: [{ text: '# Second suite' }] },
    ]);
  });

  it('fails loudly on a field missing from the context (strict mode)', () => {
    const engine = engineWith('{{absent}}');
    expect(() => engine.render('cctp', {})).toThrow(/"absent" not defined/);
  });

  it('refuses helpers it does not know at compile time (knownHelpersOnly)', () => {
    const engine = engineWith('{{unknownHelper v}}');
    expect(() => engine.render('cctp', { v: 1 })).toThrow(/unknownHelper/);
  });

  it.each(['[{{constructor}}]', '[{{__proto__}}]', '{{#with this}}[{{constructor.name}}]{{/with}}'])(
    'denies prototype access from templates: %s (Handlebars advisories since 4.6)',
    (source) => {
      let output: string;
      try {
        output = engineWith(source).render('cctp', {});
      } catch {
        output = '[]'; // strict mode may refuse the lookup outright, which is as good
      }
      expect(output).toBe('[]');
    },
  );

  it('leaves the global Handlebars HTML escaping untouched', () => {
    engineWith('{{v}}').render('cctp', { v: '<b>' });
    expect(Handlebars.compile('{{v}}')({ v: '<b>' })).toBe('&lt;b&gt;');
  });

  it('uses no triple-stash in the shipped templates: every value goes through the escaper', () => {
    const files = [
      ...readdirSync(TEMPLATES_DIR).filter((f) => f.endsWith('.hbs')).map((f) => join(TEMPLATES_DIR, f)),
      ...readdirSync(join(TEMPLATES_DIR, 'partials')).map((f) => join(TEMPLATES_DIR, 'partials', f)),
    ];
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toMatch(/\{\{\{|\{\{&/);
  });
});

describe('precompileTemplates with a list of documents (a Lambda function that renders fewer of them)', () => {
  it('keeps every partial and the listed documents only; asking for another document fails with its name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cahier-precompiled-'));
    writeFileSync(join(dir, PRECOMPILED_FILE), precompileTemplates(TEMPLATES_DIR, ['note-interne']));
    const module = createRequire(import.meta.url)(join(dir, PRECOMPILED_FILE)) as { partials: Record<string, unknown>; documents: Record<string, unknown> };

    expect(Object.keys(module.documents)).toEqual(['note-interne']);
    expect(Object.keys(module.partials).sort()).toEqual(readdirSync(join(TEMPLATES_DIR, 'partials')).map((f) => f.replace(/\.md\.hbs$/, '')).sort());
    expect(() => new TemplateEngine(dir).render('cctp', {})).toThrow(/has no template cctp/);
  });

  it('refuses a document that has no template', () => {
    expect(() => precompileTemplates(TEMPLATES_DIR, ['cctp', 'devis'])).toThrow(/no template devis/);
  });
});
