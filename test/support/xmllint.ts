/**
 * The Office Open XML schemas (ECMA-376, vendored in test/standards/ooxml) applied to the parts of
 * a Word file by libxml2's `xmllint --schema` (Debian `libxml2-utils`), after the Markup
 * Compatibility processing a consumer applies (ECMA-376 Part 3, see markupCompatibility).
 *
 * When xmllint is missing the tests skip, unless `CI` or `REQUIRE_XMLLINT` is set: then they fail.
 * The line saying how to run them is printed once per run, by the global setup (skip-notices.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { isSet } from '../e2e/support/browser.ts';
import { onPath } from './poppler.ts';

const run = promisify(execFile);

export const OOXML_SCHEMAS_DIR = path.resolve(import.meta.dirname, '../standards/ooxml');

export const XMLLINT_SKIP_NOTICE =
  'OOXML schema tests skipped: xmllint not found. To run them: apt-get install --no-install-recommends libxml2-utils; set REQUIRE_XMLLINT=1 (or CI) to make a missing xmllint fail.';

/** Whether a missing xmllint must fail the run. */
export const xmllintRequired = (env: Record<string, string | undefined> = process.env): boolean => isSet(env.CI) || isSet(env.REQUIRE_XMLLINT);

/** xmllint's path, or null when it is missing (the run's notice says so once); throws when it is required. */
export function xmllintOrSkip(env: Record<string, string | undefined> = process.env): string | null {
  const xmllint = onPath('xmllint', env);
  if (xmllint) return xmllint;
  if (xmllintRequired(env)) throw new Error(`CI or REQUIRE_XMLLINT set: ${XMLLINT_SKIP_NOTICE}`);
  return null;
}

/**
 * The schema each part of a Word package is validated against (a file of test/standards/ooxml). A
 * part this does not know throws, so a new part cannot go unchecked.
 */
export function schemaOfPart(part: string): string {
  if (part === '[Content_Types].xml') return 'opc-contentTypes.xsd';
  if (part.endsWith('.rels')) return 'opc-relationships.xsd';
  if (part === 'docProps/core.xml') return 'cahier-core-properties.xsd';
  if (part === 'docProps/app.xml') return 'shared-documentPropertiesExtended.xsd';
  if (part === 'docProps/custom.xml') return 'shared-documentPropertiesCustom.xsd';
  if (/^word\/theme\/theme\d+\.xml$/.test(part)) return 'cahier-drawingml.xsd';
  if (/^word\/[A-Za-z]+\d*\.xml$/.test(part)) return 'cahier-wordprocessingml.xsd';
  throw new Error(`no OOXML schema is assigned to the part ${part}`);
}

const MCE = 'http://schemas.openxmlformats.org/markup-compatibility/2006';
const ATTRIBUTE = /([^\s=]+)\s*=\s*("[^"]*"|'[^']*')/g;

interface Scope {
  namespaces: ReadonlyMap<string, string>;
  ignorable: ReadonlySet<string>;
}

/**
 * A part as a Markup Compatibility consumer that understands none of the ignorable namespaces reads
 * it (ECMA-376 Part 3 §10): elements and attributes in a namespace listed in an enclosing
 * `mc:Ignorable` are removed, and so are the `mc:` attributes. Cahier's parts have no comments,
 * CDATA or `mc:AlternateContent`; an AlternateContent throws rather than be passed unprocessed.
 */
export function markupCompatibility(xml: string): string {
  const out: string[] = [];
  const scopes: Scope[] = [{ namespaces: new Map([['xml', 'http://www.w3.org/XML/1998/namespace'], ['xmlns', 'http://www.w3.org/2000/xmlns/']]), ignorable: new Set() }];
  let skipping = 0;
  for (const token of xml.split(/(<[^>]*>)/)) {
    if (!token.startsWith('<') || token.startsWith('<?')) {
      if (skipping === 0) out.push(token);
      continue;
    }
    if (token.startsWith('<!')) throw new Error(`markupCompatibility: unexpected ${token.slice(0, 20)}`);
    const closing = token.startsWith('</');
    const empty = token.endsWith('/>');
    if (skipping > 0) {
      if (closing) skipping -= 1;
      else if (!empty) skipping += 1;
      continue;
    }
    if (closing) {
      scopes.pop();
      out.push(token);
      continue;
    }
    const name = /^<([^\s/>]+)/.exec(token)![1]!;
    const attributes = [...token.slice(name.length + 1).matchAll(ATTRIBUTE)].map((m) => ({ name: m[1]!, raw: m[0], value: m[2]!.slice(1, -1) }));
    const parent = scopes.at(-1)!;
    const namespaces = new Map(parent.namespaces);
    for (const a of attributes) {
      if (a.name === 'xmlns') namespaces.set('', a.value);
      else if (a.name.startsWith('xmlns:')) namespaces.set(a.name.slice(6), a.value);
    }
    const uriOf = (qname: string, attribute: boolean): string | undefined => {
      const colon = qname.indexOf(':');
      if (colon < 0) return attribute ? undefined : namespaces.get('');
      const uri = namespaces.get(qname.slice(0, colon));
      if (uri === undefined) throw new Error(`markupCompatibility: undeclared prefix in ${qname}`);
      return uri;
    };
    const ignorable = new Set(parent.ignorable);
    for (const a of attributes) {
      if (uriOf(a.name, true) === MCE && a.name.endsWith(':Ignorable')) {
        for (const prefix of a.value.split(/\s+/).filter((p) => p !== '')) ignorable.add(uriOf(`${prefix}:x`, true)!);
      }
    }
    const uri = uriOf(name, false);
    if (uri === MCE) throw new Error(`markupCompatibility: mc:${name.split(':')[1]} is not handled`);
    if (uri !== undefined && ignorable.has(uri)) {
      if (!empty) skipping = 1;
      continue;
    }
    const kept = attributes.filter((a) => {
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) return true;
      const attributeUri = uriOf(a.name, true);
      return attributeUri !== MCE && (attributeUri === undefined || !ignorable.has(attributeUri));
    });
    out.push(`<${name}${kept.map((a) => ` ${a.raw}`).join('')}${empty ? '/>' : '>'}`);
    if (!empty) scopes.push({ namespaces, ignorable });
  }
  return out.join('');
}

/** xmllint's warning that opc-coreProperties.xsd's Dublin Core imports by URL give way to ours (cahier-core-properties.xsd). */
const DUBLIN_CORE_SKIPPED = /\/opc-coreProperties\.xsd:\d+: element import: Schemas parser warning : .*Skipping import of schema located at 'http:\/\/dublincore\.org\/schemas\/xmls\/qdc\/2003\/04\/02\/dc(terms)?\.xsd'/;

/** One XML part to validate: a label for the messages (e.g. "cctp.docx!word/document.xml"), its schema and text. */
export interface SchemaCheck {
  label: string;
  schema: string;
  xml: string;
}

/**
 * Runs xmllint once per schema over every part that uses it; returns xmllint's error lines, each
 * prefixed by its part's label (empty when every part validates). Throws when a schema does not compile.
 */
export async function xmllintErrors(xmllint: string, checks: readonly SchemaCheck[]): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cahier-ooxml-'));
  try {
    const bySchema = new Map<string, { file: string; label: string }[]>();
    checks.forEach((check, i) => bySchema.set(check.schema, [...(bySchema.get(check.schema) ?? []), { file: path.join(dir, `${i}.xml`), label: check.label }]));
    await Promise.all(checks.map((check, i) => writeFile(path.join(dir, `${i}.xml`), check.xml)));
    const errors: string[] = [];
    for (const [schema, files] of bySchema) {
      const args = ['--noout', '--nonet', '--schema', path.join(OOXML_SCHEMAS_DIR, schema), ...files.map((f) => f.file)];
      const output = await run(xmllint, args, { maxBuffer: 64 * 1024 * 1024 }).then(
        (r) => r.stderr,
        (e: { stderr?: string; code?: number }) => {
          // 3: some file does not validate (its lines say which); anything else is a broken run.
          if (e.code !== 3) throw new Error(`xmllint --schema ${schema} failed (${String(e.code)}): ${e.stderr ?? ''}`);
          return e.stderr ?? '';
        },
      );
      const lines = output.split('\n').filter((l) => l !== '');
      const reported = lines.filter((l) => l.endsWith(' validates') || l.endsWith(' fails to validate')).length;
      if (reported !== files.length) throw new Error(`xmllint --schema ${schema}: ${reported} of ${files.length} files reported on:\n${output}`);
      for (const line of lines.filter((l) => !l.endsWith(' validates') && !DUBLIN_CORE_SKIPPED.test(l))) {
        const file = files.find((f) => line.startsWith(`${f.file}:`) || line.startsWith(`${f.file} `));
        errors.push(file ? `${file.label}${line.slice(file.file.length)}` : line);
      }
    }
    return errors;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
