import * as z from 'zod';
import { CatalogueItemSchema, FrameworkSchema, OfferSchema } from './catalogue.ts';
import { CriterionSchema } from './criterion.ts';
import { GenerationReportSchema } from './report.ts';
import { TenderRequestSchema } from './tender-request.ts';
import { AnyTenderRequestSchema, TenderRequestV2Schema } from './tender-request-v2.ts';

/** The schemas published as JSON Schema files under schema/, by file name. */
export const PUBLISHED_SCHEMAS = {
  'tender-request': { schema: AnyTenderRequestSchema, io: 'input', title: 'Demande de génération, version 1 ou 2 (TenderRequest)' },
  'tender-request-v1': { schema: TenderRequestSchema, io: 'input', title: 'Demande de génération, version 1 (TenderRequestV1)' },
  'tender-request-v2': { schema: TenderRequestV2Schema, io: 'input', title: 'Demande de génération, version 2 : lots, lignes, prix et sites (TenderRequestV2)' },
  criterion: { schema: CriterionSchema, io: 'output', title: 'Critère de référence (Criterion)' },
  framework: { schema: FrameworkSchema, io: 'output', title: 'Référentiel publié (Framework)' },
  'catalogue-item': { schema: CatalogueItemSchema, io: 'output', title: 'Article du catalogue (CatalogueItem)' },
  offer: { schema: OfferSchema, io: 'output', title: 'Offre packagée (Offer)' },
  'generation-report': { schema: GenerationReportSchema, io: 'output', title: 'Rapport de génération (report.json)' },
} as const;

/** JSON Schema (draft 2020-12) of one published schema, as the text written to disk. */
export function jsonSchemaText(name: keyof typeof PUBLISHED_SCHEMAS): string {
  const { schema, io, title } = PUBLISHED_SCHEMAS[name];
  const json = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' });
  return `${JSON.stringify({ $id: `https://cahier.invalid/schema/${name}.schema.json`, title, ...json }, null, 2)}\n`;
}
