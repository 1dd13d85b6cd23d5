/**
 * The consultation file as one zip (issue #15, pieces 3 to 5): for every example the DCE builds,
 * is byte-identical across two runs and two time zones, holds exactly the manifest's files with
 * their hashes, no buyer-internal material, an acte d'engagement per lot, and the data-processing
 * annex exactly when a lot processes personal data, with the hosting its criterion states. Facts
 * printed by several pieces come from one source: changing one value in the request changes it in
 * every piece that prints it and nowhere else.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { citableArticles } from '#src/core/law/law.ts';
import { formatCpv } from '#src/core/model/cpv.ts';
import { formatMoney, formatMoneyRounded, formatParisDateTime, formatPercent } from '#src/core/model/format.ts';
import { AWARD_THEME_LABELS } from '#src/core/documents/labels.ts';
import type { AwardCriterion } from '#src/core/model/tender-request.ts';
import { pdfText } from '../support/pdf-text.ts';
import { generateFrom } from '../support/pipeline.ts';
import { wordText } from './support/office.ts';
import { legalReferences } from './support/legal-references.ts';
import { sharedDeps } from './support/models.ts';

const fold = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ').replace(/[’‘]/g, "'").replace(/\s+/g, ' ');
const EXAMPLE_FILES = readdirSync(new URL('../../examples/', import.meta.url)).filter((f) => f.endsWith('.json')).sort();
const load = (file: string): Record<string, any> => JSON.parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8'));

interface Dce {
  zip: Uint8Array;
  manifest: { files: Array<{ name: string; title: string; role: string; size: number; sha256: string }> };
  files: Map<string, Uint8Array>;
  texts: Map<string, string>;
}

async function dce(request: unknown): Promise<Dce> {
  const { documents } = await generateFrom(request, await sharedDeps(), ['dce']);
  const zip = documents.find((d) => d.name === 'dce.zip')!.content;
  const manifest = JSON.parse(new TextDecoder().decode(documents.find((d) => d.name === 'dce-manifest.json')!.content));
  const files = new Map(Object.entries(unzipSync(zip)));
  const texts = new Map<string, string>();
  for (const [name, bytes] of files) {
    if (name.endsWith('.pdf')) texts.set(name, fold(await pdfText(bytes)));
    else if (name.endsWith('.docx')) texts.set(name, fold(wordText(new TextDecoder().decode(unzipSync(bytes)['word/document.xml']!))));
  }
  return { zip, manifest, files, texts };
}

const cache = new Map<string, Promise<Dce>>();
/** The DCE of an example as committed, built once per test file. */
function exampleDce(file: string): Promise<Dce> {
  if (!cache.has(file)) cache.set(file, dce(load(file)));
  return cache.get(file)!;
}

const sha256 = async (bytes: Uint8Array) => (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');

/** What the buyer keeps to himself (the publishable-documents issue), folded like the texts. */
const INTERNAL = ['note interne', 'subvention', 'cofinancement', 'points de vigilance', 'indicatif', 'modifiable', 'usage du marché', 'éligible', 'estimation'];

describe.each(EXAMPLE_FILES)('DCE of examples/%s', (file) => {
  let built: Dce;
  let request: Record<string, any>;
  beforeAll(async () => {
    request = load(file);
    built = await exampleDce(file);
  });

  it('holds exactly the manifest’s files, with their sizes and hashes, and the manifest itself', async () => {
    expect([...built.files.keys()].sort()).toEqual([...built.manifest.files.map((f) => f.name), 'manifest.json'].sort());
    for (const entry of built.manifest.files) {
      const bytes = built.files.get(entry.name)!;
      expect(bytes.length, entry.name).toBe(entry.size);
      expect(await sha256(bytes), entry.name).toBe(entry.sha256);
    }
    expect(new TextDecoder().decode(built.files.get('manifest.json')!)).toContain('"files"');
  });

  it('has an acte d’engagement per lot, the CCAP, the CCTP, the price schedule, the response frame and the bordereau', () => {
    const names = built.manifest.files.map((f) => f.name);
    const lots = (request.lots as unknown[]).length;
    const ae = names.filter((n) => n.startsWith('02_AE'));
    expect(ae).toHaveLength(lots * 2);
    expect(names).toEqual(expect.arrayContaining(['00_Bordereau_des_pieces.pdf', '01_RC.pdf', '01_RC.docx', '03_CCAP.pdf', '03_CCAP.docx', '05_CCTP.pdf', '05_CCTP.docx', '07_Cadre_de_reponse.xlsx', '08_Donnees_OCDS.json']));
    expect(names.some((n) => n === '06_BPU_DQE.xlsx' || n === '06_DPGF.xlsx')).toBe(true);
    const bordereau = built.texts.get('00_Bordereau_des_pieces.pdf')!;
    for (const entry of built.manifest.files.slice(1)) {
      expect(bordereau).toContain(entry.name);
      expect(bordereau).toContain(entry.sha256);
    }
  });

  it('gives bidders nothing internal: no note interne, no estimate, no funding', () => {
    expect([...built.files.keys()].some((n) => /note/i.test(n))).toBe(false);
    const prices = (request.lots as Array<{ estimatedUnitPrices?: Record<string, number>; items?: Array<{ unitPrice?: number }> }>).flatMap((l) => [
      ...Object.values(l.estimatedUnitPrices ?? {}),
      ...(l.items ?? []).flatMap((i) => (i.unitPrice === undefined ? [] : [i.unitPrice])),
    ]);
    for (const [name, text] of built.texts) {
      const lower = text.toLowerCase();
      for (const words of INTERNAL) expect(lower, `${name} says « ${words} »`).not.toContain(words);
      for (const price of prices) expect(text, `${name} prints the estimate ${price}`).not.toContain(fold(formatMoney(price)));
    }
  });

  it('cites only law records', () => {
    const citable = citableArticles();
    const strays: string[] = [];
    for (const [name, text] of built.texts) for (const ref of legalReferences(text)) if (!citable.has(ref)) strays.push(`${name}: ${ref}`);
    expect(strays).toEqual([]);
  });

  it('prints the same duration in the CCAP and in every acte d’engagement', () => {
    const months = request.contract.durationMonths as number | undefined;
    if (months === undefined) return;
    const phrase = `pour une durée de ${months} mois`;
    for (const [name, text] of built.texts) if (/^(01_RC|02_AE|03_CCAP).*\.pdf$/.test(name)) expect(text, name).toContain(phrase);
  });

  it('names each lot with the same title and CPV code in the RC, the CCAP and its acte d’engagement', () => {
    const rc = built.texts.get('01_RC.pdf')!;
    const ccap = built.texts.get('03_CCAP.pdf')!;
    const cpvs = (text: string) => [...new Set(text.match(/\b\d{8}-\d\b/g) ?? [])].sort();
    expect(cpvs(rc).length).toBeGreaterThan(0);
    expect(cpvs(rc)).toEqual(cpvs(ccap));
    const lots = request.lots as Array<{ title: string }>;
    const aeNames = [...built.texts.keys()].filter((n) => /^02_AE.*\.pdf$/.test(n)).sort();
    lots.forEach((lot, i) => {
      const cpv = /^(\d+) .+? (\d{8}-\d)\b/.exec(rc.slice(rc.indexOf(`${i + 1} ${fold(lot.title)} `)))!;
      expect(cpv[1], lot.title).toBe(String(i + 1));
      expect(ccap, lot.title).toContain(`${i + 1} ${fold(lot.title)} ${cpv[2]}`);
      expect(built.texts.get(aeNames[lots.length === 1 ? 0 : i]!), lot.title).toContain(`${fold(lot.title)} (code CPV principal ${cpv[2]})`);
      expect(cpv[2]).toBe(formatCpv(cpv[2]!.slice(0, 8)));
    });
  });

  it('prints every award criterion with the same weight in the RC and the CCTP, and scores the price on the weight it has there', () => {
    const rc = built.texts.get('01_RC.pdf')!;
    const cctp = built.texts.get('05_CCTP.pdf')!;
    const criteria: AwardCriterion[] = [...(request.awardCriteria ?? []), ...(request.lots as Array<{ awardCriteria?: AwardCriterion[] }>).flatMap((l) => l.awardCriteria ?? [])];
    expect(criteria.length).toBeGreaterThan(0);
    for (const c of criteria) {
      const row = fold(`${c.name} ${AWARD_THEME_LABELS[c.theme]} ${formatPercent(c.weight)}`);
      expect(rc, c.name).toContain(row);
      expect(cctp, c.name).toContain(row);
      for (const s of c.subCriteria ?? []) for (const text of [rc, cctp]) expect(text, s.name).toContain(fold(`dont ${s.name} ${formatPercent(s.weight)}`));
      if (c.type === 'price') expect(rc, c.name).toContain(fold(`« ${c.name} » est noté sur ${c.weight} points`));
    }
  });

  it('prints the offer deadline, in Paris time, in the RC alone (PDF and Word)', () => {
    if (request.offerDeadline === undefined) return;
    const deadline = fold(formatParisDateTime(request.offerDeadline));
    const printers = [...built.texts].filter(([, t]) => t.includes(deadline)).map(([n]) => n);
    expect(printers.sort()).toEqual(['01_RC.docx', '01_RC.pdf']);
  });
});

describe('data-processing annex', () => {
  it('comes with a file whose lot manages devices, with the hosting its criterion states, and the CCAP refers to it', async () => {
    const built = await exampleDce('departement-colleges-trois-lots-v2.json');
    const annex = built.texts.get('04_CCAP_annexe_RGPD.pdf')!;
    const cctp = built.texts.get('05_CCTP.pdf')!;
    const hosting = /les données sont hébergées et administrées dans le périmètre suivant : (.+?), conformément à l'exigence (L\d+-[A-Z]+-\d+) du CCTP/.exec(annex)!;
    expect(hosting[1]).toBe('Union européenne');
    expect(cctp).toContain(hosting[2]!);
    expect(cctp).toMatch(new RegExp(`${hosting[2]} Lieu d'hébergement des données`));
    expect(annex).toContain('article 28 du Règlement (UE) 2016/679');
    expect(annex).toContain('élèves, qui sont pour la plupart mineurs');
    expect(built.texts.get('03_CCAP.pdf')).toContain('annexe au présent CCAP relative à la protection des données personnelles');
  });

  it('is absent from a supplies-only file, and asking for it alone is refused on formats', async () => {
    const built = await exampleDce('ville-ecrans-interactifs.json');
    expect([...built.files.keys()].some((n) => n.includes('RGPD'))).toBe(false);
    expect(built.texts.get('03_CCAP.pdf')).not.toContain('Données personnelles');
    const error = await generateFrom(load('ville-ecrans-interactifs.json'), await sharedDeps(), ['dpa']).catch((e: unknown) => e);
    expect(error).toMatchObject({ issues: [expect.objectContaining({ path: 'formats' })] });
  });
});

describe('one source for every fact', () => {
  const base = () => load('departement-colleges-trois-lots-v2.json');
  const money = (n: number) => fold(`${formatMoneyRounded(n)} HT`);

  it('a lot’s maximum changes in every piece that prints it and nowhere else', async () => {
    const request = base();
    const old = request.lots[1].maximumAmount as number;
    const before = await exampleDce('departement-colleges-trois-lots-v2.json');
    request.lots[1].maximumAmount = old - 50_000;
    const after = await dce(request);
    const printers = [...before.texts].filter(([, t]) => t.includes(money(old))).map(([n]) => n);
    expect(printers).toEqual(expect.arrayContaining(['02_AE_lot2.pdf', '03_CCAP.pdf']));
    for (const name of printers) {
      expect(after.texts.get(name), name).toContain(money(old - 50_000));
      expect(after.texts.get(name), name).not.toContain(money(old));
    }
    for (const [name, text] of after.texts) if (!printers.includes(name)) expect(text, name).not.toContain(money(old - 50_000));
  });

  it('the offer deadline changes in the RC, in Paris time, and nowhere else', async () => {
    const request = base();
    const before = await exampleDce('departement-colleges-trois-lots-v2.json');
    const old = fold(formatParisDateTime(request.offerDeadline));
    request.offerDeadline = '2027-01-18T10:00:00Z';
    const after = await dce(request);
    const changed = fold(formatParisDateTime(request.offerDeadline));
    expect(changed).toBe("18 janvier 2027 à 11 h 00 (heure de Paris)");
    for (const name of ['01_RC.pdf', '01_RC.docx']) {
      expect(before.texts.get(name), name).toContain(old);
      expect(after.texts.get(name), name).toContain(changed);
      expect(after.texts.get(name), name).not.toContain(old);
    }
    for (const [name, text] of after.texts) {
      if (name.startsWith('01_RC') || name.startsWith('00_Bordereau')) continue;
      expect(text, name).toBe(before.texts.get(name));
    }
    const ocds = JSON.parse(new TextDecoder().decode(after.files.get('08_Donnees_OCDS.json')!));
    expect(ocds.releases[0].tender.tenderPeriod.endDate).toBe('2027-01-18T10:00:00Z');
  });

  it('the penalty rate is printed by the CCAP alone, the buyer’s delivery time replaces the blank of every acte d’engagement', async () => {
    const request = base();
    request.administrative = { penalties: { dailyAmount: 175 }, deliveryDays: 45 };
    const after = await dce(request);
    const printers = [...after.texts].filter(([, t]) => t.includes('175 € HT par jour')).map(([n]) => n);
    expect(printers.sort()).toEqual(['03_CCAP.docx', '03_CCAP.pdf']);
    for (const [name, text] of after.texts) {
      if (!/^(02_AE|03_CCAP).*\.pdf$/.test(name)) continue;
      expect(text, name).toContain('45 jours');
      expect(text, name).not.toContain('………… jours calendaires');
    }
  });
});

describe('DCE bytes', () => {
  it('are the same when built again, in another process and another time zone', async () => {
    const file = 'commune-tranches-garantie-v2.json';
    const first = await exampleDce(file);
    expect(Buffer.from((await dce(load(file))).zip).equals(Buffer.from(first.zip))).toBe(true);
    const script = `
      import { readFileSync } from 'node:fs';
      import { createHash } from 'node:crypto';
      const { realDeps, generateFrom } = await import('./test/support/pipeline.ts');
      const request = JSON.parse(readFileSync('examples/${file}', 'utf8'));
      const { documents } = await generateFrom(request, await realDeps(), ['dce']);
      console.log(createHash('sha256').update(documents.find((d) => d.name === 'dce.zip').content).digest('hex'));`;
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone === 'Pacific/Auckland' ? 'America/Los_Angeles' : 'Pacific/Auckland';
    const other = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, TZ: zone }, encoding: 'utf8' }).trim();
    expect(other).toBe(await sha256(first.zip));
  }, 120_000);
});
