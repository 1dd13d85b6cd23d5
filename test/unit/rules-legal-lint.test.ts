import { describe, expect, it } from 'vitest';
import type { Finding, FindingCode } from '#src/core/model/findings.ts';
import type { TenderRequestInput } from '#src/core/model/tender-request.ts';
import { findBrands, mentionsEquivalent } from '#src/core/rules/brands.ts';
import { estimateValue, lintTender } from '#src/core/rules/legal-lint.ts';
import { evaluateRules } from '#src/core/rules/evaluate.ts';
import { compareFindings } from '#src/core/rules/order.ts';
import { makeTender, singleLot, withCustomRequirement, withLot, withOverride, type RequestPatch } from '../support/fixtures.ts';

/** The lint without the tier note every file gets (tested on its own below). */
const lintOf = (...patches: RequestPatch[]) => lintTender(makeTender(...patches)).filter((f) => f.code !== 'PROCEDURE_TIER');
const only = (findings: Finding[], code: FindingCode) => findings.filter((f) => f.code === code);

/** One lot of `quantity` laptops at `unitPrice` € (supplies only, accessibility and repairability covered). */
const laptopsWorth = (unitPrice: number, quantity = 1): RequestPatch => (draft) => {
  draft.lots = [
    { title: 'Ordinateurs portables', items: [{ itemId: 'laptop-pupil', quantity }], estimatedUnitPrices: { 'laptop-pupil': unitPrice } },
  ];
};
const buyer = (type: TenderRequestInput['buyer']['type']): RequestPatch => (draft) => {
  draft.buyer = { ...draft.buyer, type };
};
const award = (awardCriteria: TenderRequestInput['awardCriteria']): RequestPatch => ({ awardCriteria });
const withoutEnvironmental = award([
  { name: 'Prix', type: 'price', theme: 'price', weight: 60 },
  { name: 'Valeur technique', type: 'quality', theme: 'technical', weight: 40 },
]);
const excludeEverywhere = (criterionId: string): RequestPatch => (draft) => {
  draft.lots.forEach((lot) => {
    lot.overrides = [...(lot.overrides ?? []), { criterionId, excluded: true }];
  });
};

describe('lintTender', () => {
  it('finds nothing to say about the baseline', () => {
    expect(lintOf()).toEqual([]);
  });

  describe('every finding code', () => {
    it.each<[FindingCode, Finding['severity'], RequestPatch[], string | undefined]>([
      ['AWARD_CRITERIA_MISSING', 'error', [{ procedure: 'open', awardCriteria: [] }], 'awardCriteria'],
      ['AWARD_WEIGHTS_SUM', 'error', [award([{ name: 'Prix', type: 'price', theme: 'price', weight: 60 }, { name: 'Environnement', type: 'quality', theme: 'environmental', weight: 30 }])], 'awardCriteria'],
      ['AWARD_SUBCRITERIA_SUM', 'warning', [(d) => { d.awardCriteria![1]!.subCriteria = [{ name: 'Équipements', weight: 20 }, { name: 'Services', weight: 10 }]; }], 'awardCriteria.1.subCriteria'],
      ['AWARD_ENVIRONMENTAL_MISSING', 'error', [withoutEnvironmental], 'awardCriteria'],
      ['ACCESSIBILITY_MISSING', 'error', [excludeEverywhere('device.accessibility')], 'lots.0.overrides.0'],
      ['BRAND_WITHOUT_EQUIVALENT', 'error', [withCustomRequirement(0, { label: 'Stylet', requirement: 'Un stylet Apple Pencil par tablette.', level: 'minimum' })], 'lots.0.customRequirements.0.requirement'],
      ['REPAIRABILITY_NOT_CONSIDERED', 'warning', [withOverride(0, { criterionId: 'environment.repairability-index', excluded: true })], 'lots.0.overrides.0'],
      ['FRAMEWORK_AGREEMENT_MAXIMUM_MISSING', 'error', [{ contract: { form: 'framework-agreement', durationMonths: 24 } }], 'contract.maximumAmount'],
      ['FRAMEWORK_AGREEMENT_TOO_LONG', 'error', [{ contract: { form: 'framework-agreement', durationMonths: 49, maximumAmount: 100_000 } }], 'contract.durationMonths'],
      ['PROCEDURE_BELOW_THRESHOLD', 'info', [laptopsWorth(600, 10)], 'procedure'],
      ['PROCEDURE_REQUIRED_FORMALISED', 'error', [laptopsWorth(216_000)], 'procedure'],
      ['PROCEDURE_ADVERTISING_REQUIRED', 'error', [{ procedure: 'negotiated-without-notice' }], 'procedure'],
      ['PROCEDURE_CENTRAL_AUTHORITY_UNKNOWN', 'warning', [laptopsWorth(150_000), buyer('central-purchasing-body')], 'buyer.centralAuthority'],
      ['PROCEDURE_SMALL_LOTS', 'info', [{ procedure: 'open' }, (d) => { d.lots.push({ title: 'Ordinateurs', items: [{ itemId: 'laptop-pupil', quantity: 500 }], estimatedUnitPrices: { 'laptop-pupil': 600 } }); }], 'lots'],
      ['EXECUTION_ENVIRONMENTAL_CONDITION_MISSING', 'error', [withOverride(0, { criterionId: 'environment.take-back', excluded: true })], 'lots'],
      ['EXECUTION_SOCIAL_CONDITION_MISSING', 'error', [laptopsWorth(216_000), { procedure: 'open' }], 'lots'],
      ['LAW_RECORD_MISSING', 'warning', [{ consultationDate: '2028-02-01' }], undefined],
      ['PROCEDURE_ESTIMATE_MISSING', 'info', [withLot(0, (l) => { l.estimatedUnitPrices = { 'tablet-10': 400, installation: 500 }; })], 'lots.0.estimatedUnitPrices.charging-cart-16'],
      ['ALLOTMENT_SINGLE_LOT_MIXED', 'warning', [singleLot()], 'allotmentJustification'],
      ['VARIANTS_MINIMUM_REQUIREMENTS_MISSING', 'error', [{ variants: { allowed: true } }], 'variants.minimumRequirements'],
      ['VARIANTS_FORMALISED_EXPLICIT', 'info', [{ procedure: 'open', variants: { allowed: true, minimumRequirements: 'Mêmes exigences minimales que la solution de base.' } }], 'variants.allowed'],
    ])('raises %s (%s)', (code, severity, patches, path) => {
      const found = only(lintOf(...patches), code);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ code, severity });
      expect(found[0]?.path).toBe(path);
      expect(found[0]?.reference).toMatch(/CCP|Loi|Cahier/);
      expect(found[0]?.message).toMatch(/[a-zé]{3,}/);
    });

    it.each<[FindingCode, RequestPatch[]]>([
      ['AWARD_CRITERIA_MISSING', [{ procedure: 'negotiated-without-notice', awardCriteria: [] }, laptopsWorth(600, 10)]],
      ['AWARD_WEIGHTS_SUM', [award([{ name: 'Prix', type: 'price', theme: 'price', weight: 70.1 }, { name: 'Technique', type: 'quality', theme: 'technical', weight: 14.9 }, { name: 'Environnement', type: 'quality', theme: 'environmental', weight: 15 }])]],
      ['AWARD_SUBCRITERIA_SUM', [(d) => { d.awardCriteria![1]!.subCriteria = []; }]],
      ['AWARD_ENVIRONMENTAL_MISSING', [award([{ name: 'Prix', type: 'price', theme: 'price', weight: 60 }, { name: 'Valeur technique', type: 'quality', theme: 'technical', weight: 40, subCriteria: [{ name: 'Équipements', weight: 30 }, { name: 'Empreinte carbone', weight: 10, theme: 'environmental' }] }])]],
      ['ACCESSIBILITY_MISSING', [excludeEverywhere('device.accessibility'), withCustomRequirement(0, { label: 'Compatibilité RGAA', requirement: 'Les applications fournies respectent le RGAA 4.1.', level: 'minimum' })]],
      ['BRAND_WITHOUT_EQUIVALENT', [withCustomRequirement(0, { label: 'Stylet', requirement: 'Un stylet de type Apple Pencil ou équivalent par tablette.', level: 'minimum' })]],
      ['REPAIRABILITY_NOT_CONSIDERED', [withOverride(0, { criterionId: 'environment.repairability-index', excluded: true }), withCustomRequirement(0, { label: 'Indice de durabilité', requirement: "L'indice de durabilité est communiqué et noté.", level: 'assessed' })]],
      ['FRAMEWORK_AGREEMENT_MAXIMUM_MISSING', [{ contract: { form: 'framework-agreement', durationMonths: 24, maximumQuantity: 500 } }]],
      ['FRAMEWORK_AGREEMENT_TOO_LONG', [{ contract: { form: 'framework-agreement', durationMonths: 48, maximumAmount: 100_000 } }]],
      ['PROCEDURE_BELOW_THRESHOLD', [laptopsWorth(60_000)]],
      ['PROCEDURE_REQUIRED_FORMALISED', [laptopsWorth(215_999.99)]],
      ['PROCEDURE_ADVERTISING_REQUIRED', [{ procedure: 'negotiated-without-notice' }, laptopsWorth(59_999.99)]],
      ['PROCEDURE_CENTRAL_AUTHORITY_UNKNOWN', [laptopsWorth(150_000), buyer('central-purchasing-body'), (d) => { d.buyer.centralAuthority = false; }]],
      ['EXECUTION_SOCIAL_CONDITION_MISSING', [laptopsWorth(216_000), { procedure: 'open' }, withCustomRequirement(0, { label: 'Insertion', requirement: 'Le titulaire réserve 200 heures de l’installation à des personnes en insertion.', level: 'minimum' })]],
      ['PROCEDURE_ESTIMATE_MISSING', [{ contract: { form: 'framework-agreement', durationMonths: 24, maximumAmount: 100_000 } }, withLot(0, (l) => { l.estimatedUnitPrices = {}; })]],
      ['ALLOTMENT_SINGLE_LOT_MIXED', [laptopsWorth(600, 100)]],
      ['VARIANTS_MINIMUM_REQUIREMENTS_MISSING', [{ variants: { allowed: true, minimumRequirements: 'Mêmes exigences minimales que la solution de base.' } }]],
      ['VARIANTS_FORMALISED_EXPLICIT', [{ procedure: 'adapted', variants: { allowed: true, minimumRequirements: 'Mêmes exigences minimales que la solution de base.' } }]],
    ])('does not raise %s on a near miss', (code, patches) => {
      expect(only(lintOf(...patches), code)).toEqual([]);
    });
  });

  describe('award criteria', () => {
    it('requires criteria in a formalised procedure and warns in an adapted one', () => {
      expect(only(lintOf({ procedure: 'restricted', awardCriteria: [] }), 'AWARD_CRITERIA_MISSING')[0]?.severity).toBe('error');
      const adapted = only(lintOf({ procedure: 'adapted', awardCriteria: [] }), 'AWARD_CRITERIA_MISSING')[0];
      expect(adapted?.severity).toBe('warning');
      expect(adapted?.reference).toBe('CCP L2152-7 et R2152-7');
      expect(only(lintOf({ procedure: 'restricted', awardCriteria: [] }), 'AWARD_CRITERIA_MISSING')[0]?.reference).toBe('CCP R2152-12');
    });

    it('flags weights that do not sum to 100', () => {
      const found = only(
        lintOf(award([{ name: 'Prix', type: 'price', theme: 'price', weight: 60 }, { name: 'Environnement', type: 'quality', theme: 'environmental', weight: 32.5 }])),
        'AWARD_WEIGHTS_SUM',
      );
      expect(found).toHaveLength(1);
      expect(found[0]?.message).toContain('92,5 %');
    });

    it('accepts weights summing to 100 up to floating-point noise', () => {
      const third = 100 / 3;
      const criteria = [
        { name: 'Prix', type: 'price', theme: 'price', weight: third },
        { name: 'Technique', type: 'quality', theme: 'technical', weight: third },
        { name: 'Environnement', type: 'quality', theme: 'environmental', weight: third },
      ] as const;
      expect(only(lintOf(award(criteria.map((c) => ({ ...c })))), 'AWARD_WEIGHTS_SUM')).toEqual([]);
    });

    it('names the criterion whose sub-criteria do not add up', () => {
      const found = only(lintOf((d) => { d.awardCriteria![1]!.subCriteria = [{ name: 'Équipements', weight: 25 }, { name: 'Services', weight: 15 }]; }), 'AWARD_SUBCRITERIA_SUM');
      expect(found[0]?.message).toContain('« Valeur technique »');
      expect(found[0]?.message).toContain('40 %');
      expect(found[0]?.message).toContain('35 %');
      expect(found[0]?.reference).toBe('CCP R2152-11');
    });

    it.each([
      ['2026-08-20', 'warning'],
      ['2026-08-21', 'error'],
      ['2027-01-10', 'error'],
    ])('makes the environmental criterion for a consultation of %s a %s', (consultationDate, severity) => {
      const found = only(lintOf(withoutEnvironmental, { consultationDate }), 'AWARD_ENVIRONMENTAL_MISSING');
      expect(found).toHaveLength(1);
      expect(found[0]?.severity).toBe(severity);
      expect(found[0]).toMatchObject({ reference: 'CCP L2152-7 et R2152-7', ruleId: 'award.environmental-criterion' });
      expect(found[0]?.source).toMatch(/^https:/);
      expect(found[0]?.message).toContain('21 août 2026');
    });

    it('does not count an environmental criterion weighted 0 %', () => {
      const found = only(
        lintOf(award([{ name: 'Prix', type: 'price', theme: 'price', weight: 60 }, { name: 'Technique', type: 'quality', theme: 'technical', weight: 40 }, { name: 'Environnement', type: 'quality', theme: 'environmental', weight: 0 }])),
        'AWARD_ENVIRONMENTAL_MISSING',
      );
      expect(found).toEqual([expect.objectContaining({ severity: 'error', path: 'awardCriteria.2.weight' })]);
      expect(found[0]?.message).toContain('0 %');
    });

    it('accepts a single 100 % cost criterion that covers the environmental characteristics, and refuses a single price', () => {
      const cost = lintOf(award([{ name: 'Coût du cycle de vie', type: 'cost', theme: 'price', weight: 100, environmental: true }]));
      expect(only(cost, 'AWARD_ENVIRONMENTAL_MISSING')).toEqual([]);
      expect(cost.filter((f) => f.severity === 'error')).toEqual([]);
      const price = only(lintOf(award([{ name: 'Prix', type: 'price', theme: 'price', weight: 100 }])), 'AWARD_ENVIRONMENTAL_MISSING');
      expect(price[0]?.message).toContain('seul critère retenu est le prix');
    });

    it('also asks for an environmental criterion when an adapted procedure has no criterion at all', () => {
      const codes = lintOf({ awardCriteria: [] }).map((f) => f.code);
      expect(codes).toContain('AWARD_ENVIRONMENTAL_MISSING');
    });
  });

  describe('accessibility', () => {
    it('points to the exclusion that removed the last accessibility requirement', () => {
      const found = only(lintOf(excludeEverywhere('device.accessibility')), 'ACCESSIBILITY_MISSING');
      expect(found).toEqual([
        expect.objectContaining({ severity: 'error', reference: 'CCP R2111-4', path: 'lots.0.overrides.0', lot: 1 }),
      ]);
      expect(found[0]?.message).toContain('Accessibilité intégrée');
    });

    it('is satisfied by one accessibility requirement anywhere in the tender', () => {
      expect(only(lintOf(withOverride(0, { criterionId: 'device.accessibility', excluded: true })), 'ACCESSIBILITY_MISSING')).toEqual([]);
    });

    it.each([
      ['Accessibilité', 'Les postes sont utilisables par les élèves en situation de handicap.'],
      ['Norme européenne', 'Déclaration de conformité à la norme EN 301 549 fournie.'],
    ])('accepts a buyer requirement « %s »', (label, requirement) => {
      const found = only(
        lintOf(excludeEverywhere('device.accessibility'), withCustomRequirement(1, { label, requirement, level: 'minimum' })),
        'ACCESSIBILITY_MISSING',
      );
      expect(found).toEqual([]);
    });

    it('reports a tender without any accessibility requirement, without a path', () => {
      const found = only(
        lintOf((d) => {
          d.lots = [{ title: 'Chariots', items: [{ itemId: 'charging-cart-16', quantity: 2 }], estimatedUnitPrices: { 'charging-cart-16': 1500 } }];
        }),
        'ACCESSIBILITY_MISSING',
      );
      expect(found).toHaveLength(1);
      expect(found[0]?.path).toBeUndefined();
    });
  });

  describe('brands', () => {
    const contextSays = (context: string) => only(lintOf({ context }), 'BRAND_WITHOUT_EQUIVALENT');

    it('flags "Apple Pencil" in a requirement as an error, with the path to the custom requirement', () => {
      const found = only(
        lintOf(withCustomRequirement(1, { label: 'Stylet', requirement: 'Fourniture d’un Apple Pencil par élève.', level: 'assessed' })),
        'BRAND_WITHOUT_EQUIVALENT',
      );
      expect(found).toEqual([
        expect.objectContaining({ severity: 'error', reference: 'CCP R2111-7', path: 'lots.1.customRequirements.0.requirement', lot: 2 }),
      ]);
      expect(found[0]?.message).toContain('« Apple Pencil »');
      expect(found[0]?.message).toContain('« Stylet »');
    });

    it.each([
      'Tablettes iPad ou équivalent.',
      'Tablettes iPad ou equivalent.',
      'Tablettes de type Samsung Galaxy Tab, ou équivalentes.',
      'Système Android ou tout équivalent.',
      'la surface de la salle est de 40 m²',
      'Les surfaces de travail sont dégagées.',
      'Deux HP intégrés de 10 W.',
      'DEUX HP INTÉGRÉS DE 10 W, OU UN PC SOUS LINUX.',
      'un bic et un cahier',
      'Le titulaire indique son BIC et son IBAN.',
      'Le modèle proposé est identique pour tous les élèves.',
      'Le matériel porte la marque CE.',
      'Ouvrir les windows est un anglicisme.',
    ])('accepts %j', (context) => {
      expect(contextSays(context)).toEqual([]);
    });

    it.each([
      ['Tablettes iPad 10e génération.', ['iPad']],
      ['Ordinateurs sous Windows 11.', ['Windows 11']],
      ['Système Windows imposé.', ['Windows']],
      ['Tablettes Android.', ['Android']],
      ['Mise à jour iPadOS garantie.', ['iPadOS']],
      ['Microsoft Surface Pro ou Lenovo ThinkPad.', ['Microsoft Surface', 'Lenovo', 'ThinkPad']],
      ['Tablette Surface Go pour les enseignants.', ['Surface Go']],
      ['Processeur Intel Core i5.', ['Intel Core i5']],
      ['Écran SMART Board 75 pouces.', ['SMART Board']],
      ['Gestion de flotte par Jamf School.', ['Jamf School']],
      ['Bornes Ubiquiti UniFi.', ['Ubiquiti', 'UniFi']],
      ['Chariot LocknCharge.', ['LocknCharge']],
      ['Matériel de marque Acme.', ['Acme']],
      ['Le modèle Zenith T10 est requis.', ['Zenith T10']],
    ])('flags %j', (context, names) => {
      expect(findBrands(context)).toEqual(names);
      const found = contextSays(context);
      expect(found).toHaveLength(1);
      expect(found[0]?.path).toBe('context');
      for (const name of names) expect(found[0]?.message).toContain(`« ${name} »`);
    });

    it.each<[string, RequestPatch, string]>([
      ['title', { title: 'Acquisition de tablettes iPad' }, 'title'],
      ['lot title', withLot(0, (l) => { l.title = 'Classes mobiles Unowhy'; }), 'lots.0.title'],
      ['custom requirement label', withCustomRequirement(0, { label: 'Stylet Logitech Crayon', requirement: 'Un stylet actif par tablette.', level: 'minimum' }), 'lots.0.customRequirements.0.label'],
      ['override justification', withOverride(0, { criterionId: 'tablet.storage.user', metric: { type: 'numeric', unit: 'Go', comparator: 'gte', value: 64 }, justification: 'Comme nos iPad actuels.' }), 'lots.0.overrides.0.justification'],
      ['variants description', { variants: { allowed: true, description: 'Chromebook accepté.', minimumRequirements: 'Mêmes exigences minimales.' } }, 'variants.description'],
      ['option', { options: [{ label: 'Housse', description: 'Housse Otterbox pour chaque tablette.' }] }, 'options.0.description'],
      ['allotment justification', { allotmentJustification: 'Parc homogène Apple.' }, 'allotmentJustification'],
    ])('looks at the %s', (_, patch, path) => {
      const found = only(lintOf(patch), 'BRAND_WITHOUT_EQUIVALENT');
      expect(found.map((f) => f.path)).toEqual([path]);
    });

    it('makes a brand binding the offers an error, a brand in context a warning, and a justified one a warning', () => {
      const severities = (...patches: RequestPatch[]) => only(lintOf(...patches), 'BRAND_WITHOUT_EQUIVALENT').map((f) => [f.path, f.severity]);
      expect(severities(withCustomRequirement(0, { label: 'Gestion de flotte', requirement: 'La solution est Jamf School.', level: 'minimum' }))).toEqual([['lots.0.customRequirements.0.requirement', 'error']]);
      expect(severities({ variants: { allowed: true, minimumRequirements: 'Tablettes sous iPadOS.' } })).toEqual([['variants.minimumRequirements', 'error']]);
      expect(severities(withOverride(0, { criterionId: 'tablet.wifi.standard', metric: { type: 'enum', options: ['802.11n', '802.11ac', 'iPad Wi-Fi'], comparator: 'gte', value: 'iPad Wi-Fi' } }))).toEqual([['lots.0.overrides.0.metric', 'error']]);
      expect(severities({ context: 'Le parc actuel compte des iPad.' })).toEqual([['context', 'warning']]);
      const justified = evaluateRules(makeTender(withCustomRequirement(0, { label: 'Gestion de flotte', requirement: 'La solution est Jamf School.', level: 'minimum' }), {
        justifications: { BRAND_WITHOUT_EQUIVALENT: 'Les 400 tablettes du parc sont déjà administrées par cette solution, sous licence jusqu’en 2029.' },
      })).findings;
      expect(only(justified, 'BRAND_WITHOUT_EQUIVALENT').map((f) => f.severity)).toEqual(['warning']);
    });

    it('reads « ou équivalent » in the same text only', () => {
      expect(mentionsEquivalent('Stylet ou équivalente')).toBe(true);
      expect(mentionsEquivalent('OU ÉQUIVALENTS')).toBe(true);
      expect(mentionsEquivalent('équivalent')).toBe(false);
      const found = only(
        lintOf(withCustomRequirement(0, { label: 'Stylet Apple Pencil', requirement: 'Un stylet actif ou équivalent.', level: 'minimum' })),
        'BRAND_WITHOUT_EQUIVALENT',
      );
      expect(found.map((f) => f.path)).toEqual(['lots.0.customRequirements.0.label']);
    });
  });

  describe('repairability', () => {
    it('checks each lot that buys tablets or laptops', () => {
      const found = only(
        lintOf(withOverride(1, { criterionId: 'environment.repairability-index', excluded: true })),
        'REPAIRABILITY_NOT_CONSIDERED',
      );
      expect(found).toEqual([
        expect.objectContaining({ severity: 'warning', lot: 2, path: 'lots.1.overrides.0', criterionId: 'environment.repairability-index', ruleId: 'texts.repairability-public-buyers' }),
      ]);
      expect(found[0]?.message).toContain('Ordinateur portable élève');
    });

    it('ignores lots without tablets or laptops', () => {
      const found = only(
        lintOf(withLot(1, (l) => { l.items = [{ itemId: 'training-teachers', quantity: 2 }]; l.estimatedUnitPrices = { 'training-teachers': 900 }; })),
        'REPAIRABILITY_NOT_CONSIDERED',
      );
      expect(found).toEqual([]);
    });

    it('accepts a buyer requirement on repairability', () => {
      const found = only(
        lintOf(
          withOverride(0, { criterionId: 'environment.repairability-index', excluded: true }),
          withCustomRequirement(0, { label: 'Indice de réparabilité', requirement: 'Indice de réparabilité supérieur ou égal à 8/10.', level: 'minimum' }),
        ),
        'REPAIRABILITY_NOT_CONSIDERED',
      );
      expect(found).toEqual([]);
    });
  });

  describe('framework agreements', () => {
    it('says that a longer duration must be justified but still blocks', () => {
      const found = only(lintOf({ contract: { form: 'framework-agreement', durationMonths: 60, maximumAmount: 100_000 } }), 'FRAMEWORK_AGREEMENT_TOO_LONG');
      expect(found[0]?.message).toContain('60 mois');
      expect(found[0]?.message).toContain('justifié');
      expect(found[0]).toMatchObject({ reference: 'CCP L2125-1', comparison: 'durée 60 mois, durée maximale 48 mois' });
    });

    it('does not apply framework rules to ordinary contracts', () => {
      const codes = lintOf({ contract: { form: 'ordinary', durationMonths: 60 } }).map((f) => f.code);
      expect(codes).not.toContain('FRAMEWORK_AGREEMENT_TOO_LONG');
      expect(codes).not.toContain('FRAMEWORK_AGREEMENT_MAXIMUM_MISSING');
    });
  });

  describe('procedure thresholds', () => {
    const procedureCodes = (...patches: RequestPatch[]) =>
      lintOf(...patches)
        .filter((f) => f.code.startsWith('PROCEDURE_'))
        .map((f) => `${f.code}:${f.severity}`);

    it.each<[string, RequestPatch[], string[]]>([
      ['exactly 216 000 € in an adapted procedure', [laptopsWorth(216_000)], ['PROCEDURE_REQUIRED_FORMALISED:error']],
      ['215 999,99 € in an adapted procedure', [laptopsWorth(215_999.99)], []],
      ['216 000 € in an open procedure', [laptopsWorth(216_000), { procedure: 'open' }], []],
      ['216 000 € negotiated without notice', [laptopsWorth(216_000), { procedure: 'negotiated-without-notice' }], ['PROCEDURE_REQUIRED_FORMALISED:error']],
      ['140 000 € for the central state', [laptopsWorth(140_000), buyer('central-state')], ['PROCEDURE_REQUIRED_FORMALISED:error']],
      ['140 000 € for a central purchasing body listed in annexe 2', [laptopsWorth(140_000), buyer('central-purchasing-body'), (d) => { d.buyer.centralAuthority = true; }], ['PROCEDURE_REQUIRED_FORMALISED:error']],
      ['140 000 € for a central purchasing body, listing unknown', [laptopsWorth(140_000), buyer('central-purchasing-body')], ['PROCEDURE_CENTRAL_AUTHORITY_UNKNOWN:warning']],
      ['140 000 € for a central purchasing body not listed', [laptopsWorth(140_000), buyer('central-purchasing-body'), (d) => { d.buyer.centralAuthority = false; }], []],
      ['139 999,99 € for the central state', [laptopsWorth(139_999.99), buyer('central-state')], []],
      ['140 000 € for a municipality', [laptopsWorth(140_000), buyer('municipality')], []],
      ['exactly 60 000 € in an adapted procedure', [laptopsWorth(60_000)], []],
      ['59 999,99 € in an adapted procedure', [laptopsWorth(59_999.99)], ['PROCEDURE_BELOW_THRESHOLD:info']],
      ['59 999,99 € in an open procedure', [laptopsWorth(59_999.99), { procedure: 'open' }], ['PROCEDURE_BELOW_THRESHOLD:info']],
      ['59 999,99 € negotiated without notice', [laptopsWorth(59_999.99), { procedure: 'negotiated-without-notice' }], []],
      ['exactly 60 000 € negotiated without notice', [laptopsWorth(60_000), { procedure: 'negotiated-without-notice' }], ['PROCEDURE_ADVERTISING_REQUIRED:error']],
      ['exactly 40 000 € negotiated without notice before 1 April 2026', [laptopsWorth(40_000), { procedure: 'negotiated-without-notice', consultationDate: '2026-03-31' }], ['PROCEDURE_ADVERTISING_REQUIRED:error']],
      ['39 999,99 € negotiated without notice before 1 April 2026', [laptopsWorth(39_999.99), { procedure: 'negotiated-without-notice', consultationDate: '2026-03-31' }], []],
      ['216 000 € on 31 December 2025 (threshold 221 000 €)', [laptopsWorth(216_000), { consultationDate: '2025-12-31' }], []],
      ['216 000 € on 1 January 2026 (threshold 216 000 €)', [laptopsWorth(216_000), { consultationDate: '2026-01-01' }], ['PROCEDURE_REQUIRED_FORMALISED:error']],
    ])('%s', (_, patches, expected) => {
      expect(procedureCodes(...patches)).toEqual(expected);
    });

    it('adds up all the lots (R2121-1)', () => {
      const twoHalves: RequestPatch = (d) => {
        d.lots = [0, 1].map((i) => ({
          title: `Ordinateurs, site ${i + 1}`,
          items: [{ itemId: 'laptop-pupil', quantity: 180 }],
          estimatedUnitPrices: { 'laptop-pupil': 600 },
        }));
      };
      expect(estimateValue(makeTender(twoHalves))).toMatchObject({ total: 216_000, complete: true, basis: 'lots' });
      expect(procedureCodes(twoHalves)).toEqual(['PROCEDURE_REQUIRED_FORMALISED:error']);
    });

    it('uses the maximum amount of a framework agreement', () => {
      const fa = (maximumAmount: number): RequestPatch => ({ contract: { form: 'framework-agreement', durationMonths: 24, maximumAmount } });
      expect(procedureCodes(fa(216_000))).toEqual(['PROCEDURE_REQUIRED_FORMALISED:error']);
      expect(procedureCodes(fa(30_000))).toEqual(['PROCEDURE_BELOW_THRESHOLD:info']);
    });

    it('still proves a threshold is crossed with a partial estimate, never that it is not', () => {
      const partial = (tabletPrice: number): RequestPatch =>
        withLot(0, (l) => { l.estimatedUnitPrices = { 'tablet-10': tabletPrice }; });
      expect(procedureCodes(partial(4_000))).toEqual(['PROCEDURE_REQUIRED_FORMALISED:error', 'PROCEDURE_ESTIMATE_MISSING:info']);
      expect(procedureCodes(laptopsWorth(10, 1), (d) => { d.lots[0]!.estimatedUnitPrices = {}; })).toEqual(['PROCEDURE_ESTIMATE_MISSING:info']);
    });

    it('quotes the values compared with the threshold in force on the consultation date', () => {
      const found = only(lintOf(laptopsWorth(216_000)), 'PROCEDURE_REQUIRED_FORMALISED')[0];
      expect(found?.comparison).toBe('estimation 216\u202f000\u00a0€ HT, seuil 216\u202f000\u00a0€ HT en vigueur au 15 septembre 2026');
      const below = only(lintOf(laptopsWorth(52_400), { consultationDate: '2026-05-05' }), 'PROCEDURE_BELOW_THRESHOLD')[0];
      expect(below?.comparison).toBe('estimation 52\u202f400\u00a0€ HT, seuil 60\u202f000\u00a0€ HT en vigueur au 5 mai 2026');
      expect(below).toMatchObject({ reference: 'CCP R2122-8', ruleId: 'no-publicity.supplies-services' });
      expect(below?.source).toContain('JORFTEXT000053202067');
      const cents = only(lintOf(laptopsWorth(59_999.99)), 'PROCEDURE_BELOW_THRESHOLD')[0];
      expect(cents?.comparison).toContain('59\u202f999,99\u00a0€');
    });

    it('counts priced options and renewals in the estimated value, per lot and in total', () => {
      const tender = makeTender(laptopsWorth(500, 50), { renewals: 2, options: [{ label: 'Extension de garantie', description: 'Deux ans de plus.', estimatedAmount: 6_000 }] });
      expect(estimateValue(tender)).toMatchObject({ total: 81_000, complete: true, options: 6_000, renewals: 2, lots: [{ lot: 1, perPeriod: 25_000, value: 75_000 }] });
      const tier = lintTender(tender).find((f) => f.code === 'PROCEDURE_TIER');
      expect(tier?.comparison).toContain('estimation 81\u202f000\u00a0€ HT (2 reconductions comprises, dont options 6\u202f000\u00a0€ HT)');
      const unpriced = lintOf(laptopsWorth(500, 50), { options: [{ label: 'Housse', description: 'Une housse par poste.' }] });
      expect(only(unpriced, 'PROCEDURE_ESTIMATE_MISSING')[0]?.message).toContain('1 option(s) sans montant estimé');
    });

    it.each<[number, string, string]>([
      [50_000, 'Sous le seuil de dispense', 'CCP R2122-8'],
      [60_000, 'Procédure adaptée, publicité libre', 'CCP R2131-12'],
      [90_000, 'Procédure adaptée avec avis officiel', 'CCP R2131-12'],
      [216_000, 'Procédure formalisée', 'CCP R2124-1 et annexe 2'],
    ])('says which publicity tier %s € falls in', (value, label, reference) => {
      const tier = lintTender(makeTender(laptopsWorth(value), { procedure: 'open' })).find((f) => f.code === 'PROCEDURE_TIER');
      expect(tier).toMatchObject({ severity: 'info', reference });
      expect(tier?.message.startsWith(label)).toBe(true);
    });

    it('asks for a maximum per framework agreement or for every lot (R2162-4)', () => {
      const fa: RequestPatch = { contract: { form: 'framework-agreement', durationMonths: 24 } };
      expect(only(lintOf(fa), 'FRAMEWORK_AGREEMENT_MAXIMUM_MISSING')[0]?.message).toContain('pour chaque lot');
      const oneLot = lintOf(fa, withLot(0, (l) => { l.maximumAmount = 50_000; }));
      expect(only(oneLot, 'FRAMEWORK_AGREEMENT_MAXIMUM_MISSING')[0]?.message).toContain('sans maximum : lot 2');
      const both = lintOf(fa, withLot(0, (l) => { l.maximumAmount = 50_000; }), withLot(1, (l) => { l.maximumAmount = 40_000; }));
      expect(only(both, 'FRAMEWORK_AGREEMENT_MAXIMUM_MISSING')).toEqual([]);
      expect(estimateValue(makeTender(fa, withLot(0, (l) => { l.maximumAmount = 50_000; }), withLot(1, (l) => { l.maximumAmount = 40_000; }))).total).toBe(90_000);
    });
  });

  describe('allotment and variants', () => {
    it('notes the justification of a single mixed lot as info', () => {
      const found = only(lintOf(singleLot(), { allotmentJustification: 'Installation indissociable de la fourniture.' }), 'ALLOTMENT_SINGLE_LOT_MIXED');
      expect(found).toEqual([expect.objectContaining({ severity: 'info', lot: 1 })]);
    });

    it('does not apply to several lots even when one mixes supplies and services', () => {
      expect(only(lintOf(), 'ALLOTMENT_SINGLE_LOT_MIXED')).toEqual([]);
    });

    it('reminds that variants must be allowed explicitly in a formalised procedure', () => {
      const found = lintOf({ procedure: 'restricted', variants: { allowed: true } });
      expect(found.filter((f) => f.code.startsWith('VARIANTS_')).map((f) => `${f.code}:${f.severity}`)).toEqual([
        'VARIANTS_MINIMUM_REQUIREMENTS_MISSING:error',
        'VARIANTS_FORMALISED_EXPLICIT:info',
      ]);
    });
  });

  describe('ordering', () => {
    const messy: RequestPatch[] = [
      { procedure: 'open', awardCriteria: [], variants: { allowed: true }, context: 'Tablettes iPad.' },
      withCustomRequirement(1, { label: 'Stylet', requirement: 'Stylet Apple Pencil.', level: 'minimum' }),
      withOverride(1, { criterionId: 'environment.repairability-index', excluded: true }),
      withOverride(0, { criterionId: 'environment.repairability-index', excluded: true }),
      withLot(0, (l) => { l.estimatedUnitPrices = { 'tablet-10': 400 }; }),
    ];

    it('orders findings by severity, then code, then lot', () => {
      const findings = lintOf(...messy);
      expect(findings.map((f) => [f.severity, f.code, f.lot ?? null])).toEqual([
        ['error', 'AWARD_CRITERIA_MISSING', null],
        ['error', 'AWARD_ENVIRONMENTAL_MISSING', null],
        ['error', 'BRAND_WITHOUT_EQUIVALENT', 2],
        ['error', 'VARIANTS_MINIMUM_REQUIREMENTS_MISSING', null],
        ['warning', 'BRAND_WITHOUT_EQUIVALENT', null],
        ['warning', 'REPAIRABILITY_NOT_CONSIDERED', 1],
        ['warning', 'REPAIRABILITY_NOT_CONSIDERED', 2],
        ['info', 'PROCEDURE_ESTIMATE_MISSING', null],
        ['info', 'VARIANTS_FORMALISED_EXPLICIT', null],
      ]);
    });

    it('gives the same list for the same request, and is a fixed point of the order', () => {
      const a = lintOf(...messy);
      expect(lintOf(...messy)).toEqual(a);
      expect([...a].reverse().sort(compareFindings)).toEqual(a);
    });

    it('gives every finding a French message and a reference', () => {
      for (const f of lintOf(...messy)) {
        expect(f.message).toMatch(/[éèàç]|\b(le|la|les|des|du)\b/);
        expect(f.reference.length).toBeGreaterThan(3);
      }
    });
  });
});
