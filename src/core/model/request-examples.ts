import type { TenderRequestInput } from './tender-request.ts';
import type { TenderRequestV2Input } from './tender-request-v2.ts';

/**
 * Short requests of each version, as the OpenAPI document shows them (test/unit/request-v2.test.ts
 * checks they validate; the files in examples/ are the full-size ones).
 */
export const REQUEST_EXAMPLES: { v1: TenderRequestInput; v2: TenderRequestV2Input } = {
  v1: {
    buyer: { name: 'Commune de Saint-Julien-des-Combes', type: 'municipality' },
    title: 'Classe mobile de tablettes pour l’école élémentaire',
    framework: { id: 'carmo-education', version: 3 },
    procedure: 'adapted',
    contract: { form: 'ordinary' },
    consultationDate: '2026-10-05',
    lots: [{ title: 'Classe mobile', offer: { offerId: 'classe-mobile-16', count: 1 } }],
    awardCriteria: [
      { name: 'Prix', type: 'price', theme: 'price', weight: 60 },
      { name: 'Performance environnementale', type: 'quality', theme: 'environmental', weight: 40 },
    ],
  },
  v2: {
    schemaVersion: 2,
    buyer: { name: 'Département de la Haute-Vallée', type: 'department' },
    title: 'Accord-cadre de tablettes pour les collèges',
    framework: { id: 'carmo-education', version: 3 },
    procedure: 'adapted',
    contract: {
      form: 'framework-agreement',
      frameworkType: 'purchase-orders-single',
      durationMonths: 12,
      renewals: { count: 3, months: 12, kind: 'express' },
      price: { form: 'unit', type: 'firm' },
    },
    consultationDate: '2026-12-01',
    sites: [{ id: 'college-01', name: 'Collège Jean-Moulin', uai: '0050001A', pupils: 420, teachers: 35 }],
    lots: [
      {
        title: 'Tablettes',
        items: [
          { itemId: 'tablet', sites: { 'college-01': 30 }, estimated: true, unitPrice: 390 },
          { itemId: 'charging-cart', sites: { 'college-01': 1 }, unitPrice: 2300 },
          { itemId: 'mdm-licence', quantityFrom: { rule: 'devices' }, unitPrice: 48 },
        ],
        maximumAmount: 150000,
        awardCriteria: [
          { name: 'Prix', type: 'price', theme: 'price', weight: 50 },
          { name: 'Valeur technique', type: 'quality', theme: 'technical', weight: 30, subCriteria: [{ name: 'Robustesse', weight: 30 }] },
          { name: 'Performance environnementale', type: 'quality', theme: 'environmental', weight: 20 },
        ],
        options: [{ label: 'Coques renforcées', description: 'Une coque renforcée par tablette.', lines: [{ designation: 'Coque renforcée', unit: 'unité', nature: 'supply', cpv: '30237000-9', quantityFrom: { rule: 'devices' }, unitPrice: 25 }] }],
        visit: { kind: 'optional', booking: 'Sur rendez-vous auprès du service éducation.' },
      },
    ],
  },
};
