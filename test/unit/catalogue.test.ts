import { CATALOGUE_DIR } from '#src/entry/paths.ts';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '#src/adapters/files/load-catalogue.ts';
import type { Catalogue } from '#src/core/model/catalogue.ts';
import { snapshotOf } from '#src/core/model/resolve-tender.ts';
import { fundingProgramme } from '#src/core/funding/programmes.ts';
import { NotFoundError, ValidationError } from '#src/core/model/errors.ts';
import { resolveTender } from '#src/core/model/resolve-tender.ts';
import { TenderRequestSchema } from '#src/core/model/tender-request.ts';

const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));
const EXAMPLES = ['commune-rurale-classe-mobile.json', 'ville-ecrans-interactifs.json', 'departement-accord-cadre.json'];

async function readExample(name: string): Promise<unknown> {
  return JSON.parse(await readFile(join(EXAMPLES_DIR, name), 'utf8')) as unknown;
}

/** Copies the real catalogue to a temporary directory and lets the test damage one file. */
async function brokenCopy(file: string, damage: (data: any[]) => void): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cahier-catalogue-'));
  await cp(CATALOGUE_DIR, dir, { recursive: true });
  const path = join(dir, file);
  const data = JSON.parse(await readFile(path, 'utf8')) as any[];
  damage(data);
  await writeFile(path, JSON.stringify(data, null, 2));
  return dir;
}

async function validationIssues(dir: string): Promise<ValidationError> {
  const error = await loadCatalogue(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('loadCatalogue', () => {
  let catalogue: Catalogue;
  const tempDirs: string[] = [];

  beforeAll(async () => {
    catalogue = await loadCatalogue(CATALOGUE_DIR);
  });

  afterEach(async () => {
    await Promise.all(tempDirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('loads the reference catalogue with its framework, criteria, items and offers', () => {
    // Assess
    expect(catalogue.frameworks.map((f) => `${f.id}@${f.version}`)).toEqual(['carmo-education@1', 'carmo-education@2', 'carmo-education@3']);
    expect(catalogue.criteria.length).toBeGreaterThanOrEqual(45);
    expect(new Set(catalogue.criteria.map((c) => c.category)).size).toBeGreaterThanOrEqual(8);
    expect(catalogue.offers.length).toBeGreaterThanOrEqual(3);
  });

  it('pins the latest version of every criterion in the latest framework, and every criterion at version 1 in the first', () => {
    // Prepare: version 3 replaced the index out of 10 by the tablets' EU class and the laptops' own index (C13)
    const withdrawn = new Set(['environment.repairability-index']);
    const added = new Set(['environment.tablet-repairability-class', 'environment.laptop-repairability-index']);
    const latest = new Map<string, number>();
    for (const c of catalogue.criteria) latest.set(c.id, Math.max(c.version, latest.get(c.id) ?? 0));
    const [v1, v2, v3] = catalogue.frameworks;
    // Assess
    expect(v3!.criteria.map((r) => `${r.id}@${r.version}`).sort()).toEqual([...latest].filter(([id]) => !withdrawn.has(id)).map(([id, v]) => `${id}@${v}`).sort());
    expect(v1!.criteria.map((r) => `${r.id}@${r.version}`).sort()).toEqual([...latest.keys()].filter((id) => !added.has(id)).map((id) => `${id}@1`).sort());
    expect(v2!.criteria.some((r) => added.has(r.id))).toBe(false);
  });

  it('names, from version 3, the co-funding programmes the framework serves, and no longer calls itself the ministry’s', () => {
    const [v1, v2, v3] = catalogue.frameworks;
    expect(v3!.programmes).toEqual(['plan-numerique-colleges-2016', 'snee-2021', 'tne']);
    expect(v3!.programmes!.every((id) => fundingProgramme(id) !== undefined)).toBe(true);
    expect(`${v3!.title} ${v3!.reference}`).not.toMatch(/minist[eé]riel|préconisations du ministère/i);
    expect(v3!.reference).toMatch(/usages du marché/);
    // Frozen as published
    expect([v1!.title, v2!.title]).toEqual(['Référentiel ministériel des équipements numériques éducatifs', 'Référentiel ministériel des équipements numériques éducatifs']);
    expect(v2!.programmes).toBeUndefined();
  });

  it('never presents a market-practice threshold as a ministry rule', () => {
    // Act
    const mislabelled = catalogue.criteria.filter(
      (c) => c.authority.type === 'market-practice' && /carmo|minist[eè]re|minist[eé]riel|eduscol|éduscol/i.test(c.authority.reference),
    );
    // Assess
    expect(mislabelled.map((c) => c.id)).toEqual([]);
  });

  it('has accessibility and environmental criteria, and labels always accept an equivalent', () => {
    // Act
    const accessibility = catalogue.criteria.filter((c) => c.category === 'accessibility');
    const environment = catalogue.criteria.filter((c) => c.category === 'environment');
    const labelCriteria = catalogue.criteria.filter((c) => c.proof.includes('label-or-equivalent'));
    // Assess
    expect(accessibility.length).toBeGreaterThanOrEqual(2);
    expect(environment.map((c) => c.id)).toContain('environment.repairability-index');
    expect(labelCriteria.length).toBeGreaterThan(0);
    for (const c of labelCriteria) expect(c.requirement).toMatch(/équivalent/);
  });

  it('binds every framework criterion to at least one item', () => {
    // Prepare
    const used = new Set(catalogue.items.flatMap((i) => i.criteria));
    // Act
    const unused = catalogue.frameworks[0]!.criteria.filter((r) => !used.has(r.id)).map((r) => r.id);
    // Assess
    expect(unused).toEqual([]);
  });

  it('rejects an item that names an unknown criterion, with the file and field in the path', async () => {
    // Prepare
    const dir = await brokenCopy('items.json', (items) => {
      items[2].criteria.push('laptop.does-not-exist');
    });
    tempDirs.push(dir);
    // Act
    const error = await validationIssues(dir);
    // Assess
    const issue = error.issues.find((i) => i.message.includes('laptop.does-not-exist'));
    expect(issue?.path).toMatch(/^items\.json\.2\.criteria\.\d+$/);
  });

  it('rejects a criterion with an invalid metric, without cascading into dangling references', async () => {
    // Prepare
    const dir = await brokenCopy('criteria.json', (criteria) => {
      criteria[0].metric.value = 'trente-deux';
    });
    tempDirs.push(dir);
    // Act
    const error = await validationIssues(dir);
    // Assess
    expect(error.issues.map((i) => i.path)).toEqual(['criteria.json.0.metric.value']);
  });

  it('rejects an offer naming an unknown item and a duplicate item id', async () => {
    // Prepare
    const dir = await brokenCopy('offers.json', (offers) => {
      offers[0].items[0].itemId = 'phablet';
      offers.push({ ...offers[1] });
    });
    tempDirs.push(dir);
    // Act
    const error = await validationIssues(dir);
    // Assess
    const paths = error.issues.map((i) => i.path);
    expect(paths).toContain('offers.json.0.items.0.itemId');
    expect(paths.some((p) => /^offers\.json\.\d+\.id$/.test(p))).toBe(true);
  });

  it('accepts a framework pinning version 1 of items and offers, and rejects any other version or an unknown id: the files hold version 1', async () => {
    // Prepare
    const pin = (items: unknown[], offers: unknown[]) => (framework: any) => Object.assign(framework, { items, offers });
    const good = await brokenCopy('frameworks/carmo-education-v1.json', pin([{ id: 'tablet', version: 1 }], [{ id: 'classe-mobile-16', version: 1 }]));
    const bad = await brokenCopy('frameworks/carmo-education-v1.json', pin([{ id: 'tablet', version: 2 }, { id: 'phablet', version: 1 }], [{ id: 'classe-mobile-99', version: 1 }]));
    tempDirs.push(good, bad);
    // Act
    const pinned = snapshotOf(await loadCatalogue(good), 'carmo-education', 1);
    const error = await validationIssues(bad);
    // Assess
    expect([...pinned.items.keys()]).toEqual(['tablet']);
    expect([...pinned.offers.keys()]).toEqual(['classe-mobile-16']);
    expect(error.issues.map((i) => i.path)).toEqual([
      'frameworks/carmo-education-v1.json.items.0.version',
      'frameworks/carmo-education-v1.json.items.1.id',
      'frameworks/carmo-education-v1.json.offers.0.id',
    ]);
  });

  it('rejects a framework pinning a criterion version that does not exist', async () => {
    // Prepare
    const file = 'frameworks/carmo-education-v1.json';
    const dir = await mkdtemp(join(tmpdir(), 'cahier-catalogue-'));
    tempDirs.push(dir);
    await cp(CATALOGUE_DIR, dir, { recursive: true });
    const framework = JSON.parse(await readFile(join(dir, file), 'utf8'));
    framework.criteria[3].version = 9;
    framework.fundingRule.eligibleItems.push('smartphone');
    await writeFile(join(dir, file), JSON.stringify(framework));
    // Act
    const error = await validationIssues(dir);
    // Assess
    expect(error.issues.map((i) => i.path).sort()).toEqual([`${file}.criteria.3.version`, `${file}.fundingRule.eligibleItems.2`]);
  });
});

describe('loadCatalogue and criterion texts', () => {
  const tempDirs: string[] = [];
  afterEach(async () => {
    await Promise.all(tempDirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('refuses a current criterion whose text states a number its metric holds, with the field path', async () => {
    // Prepare: French spellings of the numbers (thousands with a space, decimal comma)
    const dir = await brokenCopy('criteria.json', (criteria) => {
      const at = (id: string) => criteria.find((c) => c.id === id);
      at('tablet.storage.user').requirement = 'La tablette dispose d’un espace de stockage utilisateur d’au moins 32 Go.';
      at('display.lifetime').requirement = 'La durée de vie de la dalle est {seuil}, soit 50 000 heures au moins.';
      at('laptop.screen.diagonal').requirement = 'L’écran présente une diagonale {seuil} (15,6 pouces au plus).';
    });
    tempDirs.push(dir);
    const criteria = JSON.parse(await readFile(join(dir, 'criteria.json'), 'utf8')) as Array<{ id: string }>;
    const index = (id: string) => criteria.findIndex((c) => c.id === id);
    // Act
    const error = await validationIssues(dir);
    // Assess
    const byPath = new Map(error.issues.map((i) => [i.path, i.message]));
    expect([...byPath.keys()].sort()).toEqual(
      [index('tablet.storage.user'), index('display.lifetime'), index('laptop.screen.diagonal')].map((i) => `criteria.json.${i}.requirement`).sort(),
    );
    expect(error.issues.filter((i) => i.path === `criteria.json.${index('tablet.storage.user')}.requirement`).map((i) => i.message).join('\n')).toMatch(/\{seuil\} exactly once[\s\S]*states 32/);
    expect(byPath.get(`criteria.json.${index('display.lifetime')}.requirement`)).toMatch(/states 50\u202f000, a number its metric holds/);
    expect(byPath.get(`criteria.json.${index('laptop.screen.diagonal')}.requirement`)).toMatch(/states 15,6/);
  });

  it('refuses an option of an enumerated metric in the text, an unknown placeholder, and a lot scale on a maximum', async () => {
    // Prepare
    const dir = await brokenCopy('criteria.json', (criteria) => {
      const at = (id: string) => criteria.find((c) => c.id === id);
      at('tablet.wifi').requirement = 'La tablette se connecte selon la norme {seuil}, Wi-Fi 6 (802.11ax) étant apprécié.';
      at('tablet.ram').requirement = 'La tablette dispose d’une mémoire vive {valeur}.';
      at('cart.recharge-time').lotScale = { count: ['tablet'], per: ['charging-cart'] };
    });
    tempDirs.push(dir);
    const criteria = JSON.parse(await readFile(join(dir, 'criteria.json'), 'utf8')) as Array<{ id: string }>;
    const index = (id: string) => criteria.findIndex((c) => c.id === id);
    // Act
    const error = await validationIssues(dir);
    // Assess
    const messages = (path: string) => error.issues.filter((i) => i.path === path).map((i) => i.message).join('\n');
    expect(messages(`criteria.json.${index('tablet.wifi')}.requirement`)).toMatch(/states "Wi-Fi 6 \(802\.11ax\)", an option of its metric/);
    expect(messages(`criteria.json.${index('tablet.ram')}.requirement`)).toMatch(/unknown placeholder "\{valeur\}"/);
    expect(messages(`criteria.json.${index('cart.recharge-time')}.lotScale`)).toMatch(/numeric minimum/);
  });

  it('exempts frozen versions, but only those a newer current version replaces', async () => {
    // Prepare: the frozen file's texts state their numbers, as published; one is made current
    const frozen = JSON.parse(await readFile(join(CATALOGUE_DIR, 'criteria-frozen.json'), 'utf8')) as Array<{ id: string; requirement: string }>;
    expect(frozen.find((c) => c.id === 'tablet.storage.user')?.requirement).toMatch(/32 Go/);
    const dir = await brokenCopy('criteria-frozen.json', (entries) => {
      entries[0].version = 7;
    });
    tempDirs.push(dir);
    // Act
    const error = await validationIssues(dir);
    // Assess
    // (and framework v1 loses the version it pinned)
    expect(error.issues.map((i) => i.path)).toEqual(['criteria-frozen.json.0.version', 'frameworks/carmo-education-v1.json.criteria.0.version']);
    expect(error.issues[0]!.message).toMatch(/frozen but criteria\.json has no newer version/);
  });

  it('refuses a lot scale naming an item the catalogue lacks', async () => {
    // Prepare
    const dir = await brokenCopy('criteria.json', (criteria) => {
      criteria.find((c) => c.id === 'cart.slots').lotScale.count.push('phablet');
    });
    tempDirs.push(dir);
    // Act
    const error = await validationIssues(dir);
    // Assess
    expect(error.issues.map((i) => i.path)).toEqual([expect.stringMatching(/^criteria\.json\.\d+\.lotScale\.count\.1$/)]);
  });
});

describe('snapshotOf', () => {
  it('pins the criteria, items and offers of a framework version', async () => {
    // Prepare
    const catalogue = await loadCatalogue(CATALOGUE_DIR);
    // Act
    const snapshot = snapshotOf(catalogue, 'carmo-education', 1);
    // Assess
    expect(snapshot.framework.version).toBe(1);
    expect(snapshot.criteria.get('tablet.storage.user')?.metric).toEqual({ type: 'numeric', unit: 'Go', comparator: 'gte', value: 32 });
    expect(snapshot.items.get('tablet')?.unit).toBe('unité');
    expect(snapshot.offers.has('classe-mobile-16')).toBe(true);
  });

  it('throws NotFoundError for a framework version the catalogue does not hold', async () => {
    // Prepare
    const catalogue = await loadCatalogue(CATALOGUE_DIR);
    // Act
    const act = () => snapshotOf(catalogue, 'carmo-education', 99);
    // Assess
    expect(act).toThrow(NotFoundError);
    expect(act).toThrow('carmo-education@99');
  });
});

describe('examples', () => {
  it.each(EXAMPLES)('%s parses and resolves against the reference catalogue', async (name) => {
    // Prepare
    const catalogue = await loadCatalogue(CATALOGUE_DIR);
    const request = TenderRequestSchema.parse(await readExample(name));
    // Act
    const resolved = resolveTender(request, snapshotOf(catalogue, request.framework.id, request.framework.version));
    // Assess
    expect(resolved.lots).toHaveLength(request.lots.length);
    for (const lot of resolved.lots) {
      expect(lot.requirements.length).toBeGreaterThan(0);
      for (const line of lot.lines) expect(line.estimatedUnitPrice).toBeTypeOf('number');
    }
    for (const criteria of request.awardCriteria) {
      if (criteria.subCriteria.length > 0) {
        expect(criteria.subCriteria.reduce((sum, s) => sum + s.weight, 0)).toBe(criteria.weight);
      }
    }
    expect(request.awardCriteria.reduce((sum, a) => sum + a.weight, 0)).toBe(100);
    expect(request.awardCriteria.some((a) => a.theme === 'environmental')).toBe(true);
  });

  it('expands the commune classe mobile into the quantities of the offer', async () => {
    // Prepare
    const catalogue = await loadCatalogue(CATALOGUE_DIR);
    const request = TenderRequestSchema.parse(await readExample('commune-rurale-classe-mobile.json'));
    // Act
    const [lot] = resolveTender(request, snapshotOf(catalogue, 'carmo-education', 3)).lots;
    // Assess
    const quantities = Object.fromEntries(lot!.lines.map((l) => [l.item.id, l.quantity]));
    expect(quantities).toEqual({
      tablet: 16,
      'teacher-laptop': 1,
      'charging-cart': 1,
      'wifi-access-point': 1,
      'mdm-licence': 16,
      installation: 1,
      'teacher-training': 6,
    });
    const storage = lot!.requirements.find((r) => r.id === 'tablet.storage.user');
    expect(storage?.change.metric).toBe('tightened');
    expect(storage?.metric).toMatchObject({ value: 64 });
  });

  it('sizes the cart from the lot (16 tablets, one cart: 16 slots) and prints that number only, unless the buyer overrides it', async () => {
    // Prepare
    const catalogue = await loadCatalogue(CATALOGUE_DIR);
    const input = (await readExample('commune-rurale-classe-mobile.json')) as { lots: Array<{ overrides: unknown[] }> };
    const request = TenderRequestSchema.parse(input);
    input.lots[0]!.overrides.push({ criterionId: 'cart.slots', metric: { type: 'numeric', unit: 'emplacements', comparator: 'gte', value: 14 } });
    const overridden = TenderRequestSchema.parse(input);
    // Act
    const cart = resolveTender(request, snapshotOf(catalogue, 'carmo-education', 3)).lots[0]!.requirements.find((r) => r.id === 'cart.slots')!;
    const cart14 = resolveTender(overridden, snapshotOf(catalogue, 'carmo-education', 3)).lots[0]!.requirements.find((r) => r.id === 'cart.slots')!;
    const cartV1 = resolveTender({ ...request, framework: { id: 'carmo-education', version: 1 } }, snapshotOf(catalogue, 'carmo-education', 1)).lots[0]!.requirements.find((r) => r.id === 'cart.slots')!;
    // Assess
    expect(cart.metric).toMatchObject({ value: 16 });
    expect(cart.change.metric).toBe('same');
    expect(cart.requirement).toBe('Le chariot de rechargement offre une capacité d’au moins 16\u00a0emplacements, de sorte que chaque équipement de la classe mobile dispose de son propre emplacement.');
    expect(cart14.metric).toMatchObject({ value: 14 });
    expect(cart14.change.metric).toBe('loosened');
    expect(cart14.requirement).toContain('d’au moins 14\u00a0emplacements');
    expect(cart14.requirement).not.toMatch(/16/);
    // Framework v1 resolves as it always did: its text and its metric, untouched.
    expect(cartV1.metric).toMatchObject({ value: 12 });
    expect(cartV1.requirement).toBe('Le chariot de rechargement comporte au moins 12 emplacements individuels et, en tout état de cause, au moins autant d’emplacements que d’équipements composant la classe mobile.');
  });

  it('resolves a request naming framework v1 as before: every text as published, no threshold inserted', async () => {
    // Prepare
    const catalogue = await loadCatalogue(CATALOGUE_DIR);
    for (const name of EXAMPLES) {
      const request = TenderRequestSchema.parse({ ...(await readExample(name) as object), framework: { id: 'carmo-education', version: 1 } });
      // Act
      const resolved = resolveTender(request, snapshotOf(catalogue, 'carmo-education', 1));
      // Assess
      for (const r of resolved.lots.flatMap((l) => l.requirements).filter((r) => r.criterion)) {
        expect(r.criterion!.version).toBe(1);
        expect(r.requirement).toBe(r.criterion!.requirement);
        expect(r.referenceMetric).toEqual(r.criterion!.metric);
      }
    }
  });

  it('asks a département’s collèges for no Wi-Fi switch-off (loi 2015-136 binds primary-school classes), a commune’s schools for it; version 2 prints it as published', async () => {
    // Prepare
    const catalogue = await loadCatalogue(CATALOGUE_DIR);
    const departement = TenderRequestSchema.parse(await readExample('departement-accord-cadre.json'));
    const commune = TenderRequestSchema.parse(await readExample('commune-rurale-classe-mobile.json'));
    const ids = (request: typeof commune, version: number) =>
      resolveTender(request, snapshotOf(catalogue, 'carmo-education', version)).lots.flatMap((l) => l.requirements.map((r) => r.id));
    // Assess
    expect(ids(departement, 3)).not.toContain('wifi.switch-off');
    expect(ids(departement, 3)).toContain('wifi.security');
    expect(ids({ ...departement, buyer: { ...departement.buyer, schoolLevels: ['college', 'primary'] } }, 3)).toContain('wifi.switch-off');
    expect(ids(commune, 3)).toContain('wifi.switch-off');
    expect(ids({ ...departement, framework: { id: 'carmo-education', version: 2 } }, 2)).toContain('wifi.switch-off');
  });

  it('judges tablets on the EU repairability class of their energy label and laptops on the index out of 10 (C13)', async () => {
    // Prepare
    const catalogue = await loadCatalogue(CATALOGUE_DIR);
    const commune = TenderRequestSchema.parse(await readExample('commune-rurale-classe-mobile.json'));
    // Act
    const [lot] = resolveTender(commune, snapshotOf(catalogue, 'carmo-education', 3)).lots;
    const [old] = resolveTender({ ...commune, framework: { id: 'carmo-education', version: 2 } }, snapshotOf(catalogue, 'carmo-education', 2)).lots;
    // Assess
    const tabletClass = lot!.requirements.find((r) => r.id === 'environment.tablet-repairability-class')!;
    expect(tabletClass.requirement).toBe('La classe de réparabilité figurant sur l’étiquette énergie de la tablette est B au minimum. Elle est prise en compte dans l’appréciation des offres ; une classe supérieure est appréciée.');
    expect(tabletClass.criterion!.authority.reference).toMatch(/^Règlement délégué \(UE\) 2023\/1669/);
    const laptopIndex = lot!.requirements.find((r) => r.id === 'environment.laptop-repairability-index')!;
    expect(laptopIndex.requirement).toContain('de l’ordinateur portable');
    expect(laptopIndex.requirement).toContain('d’au moins 7/10');
    expect(lot!.requirements.filter((r) => /\/10/.test(r.requirement)).map((r) => r.id)).toEqual(['environment.laptop-repairability-index']);
    expect(old!.requirements.map((r) => r.id)).toContain('environment.repairability-index');
  });

  it('keeps the buyer-written requirement of the département example as the buyer wrote it', async () => {
    // Prepare
    const catalogue = await loadCatalogue(CATALOGUE_DIR);
    const request = TenderRequestSchema.parse(await readExample('departement-accord-cadre.json'));
    // Act
    const resolved = resolveTender(request, snapshotOf(catalogue, 'carmo-education', 3));
    // Assess
    const buyer = resolved.lots[0]!.requirements.filter((r) => r.source === 'buyer');
    expect(buyer.map((r) => r.requirement)).toEqual(['Les tablettes sont compatibles avec un stylet actif à pointe fine sensible à l’inclinaison, de type Apple Pencil ou équivalent.']);
    expect(resolved.lots[0]!.lines.find((l) => l.item.id === 'tablet')?.quantity).toBe(300);
  });
});
