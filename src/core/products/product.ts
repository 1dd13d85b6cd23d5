import * as z from 'zod';
import { SlugSchema } from '#src/core/model/catalogue.ts';
import { CriterionIdSchema } from '#src/core/model/criterion.ts';

/**
 * A product of a supplier's (or the national purchasing centre's) catalogue, as declared on its
 * product sheet: which Cahier item it is (a tablet, a charging cart…), and the values it declares
 * for the criteria of that item, each with the unit it was declared in. Values stay as declared:
 * the conformity check converts them, so a report can say « 36 mois » against « ≥ 3 ans ».
 *
 * A bundle (a classe mobile sold as one reference) names a Cahier offer and its components, other
 * products of the same catalogue with their quantities.
 */

export const ProductReferenceSchema = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._\/-]*$/u, 'expected a product reference of letters, digits, spaces and . _ / -')
  .describe('The supplier’s product reference, unique in the catalogue');

/** A declared value: a number with its unit, a yes/no, or a word from the criterion’s options. */
export const DeclaredValueSchema = z.union([
  z.strictObject({ value: z.number().finite(), unit: z.string().min(1).max(30) }),
  z.strictObject({ value: z.boolean() }),
  z.strictObject({ value: z.string().min(1).max(200) }),
]);
export type DeclaredValue = z.infer<typeof DeclaredValueSchema>;

const Text = (max: number) => z.string().trim().min(1).max(max);

export const ProductSchema = z.strictObject({
  reference: ProductReferenceSchema,
  supplier: Text(120).describe('Who sells it (a supplier, or the purchasing centre’s holder of the lot)'),
  brand: Text(80),
  model: Text(120),
  item: SlugSchema.describe('The Cahier catalogue item the product is (tablet, charging-cart…); absent for a bundle').optional(),
  offer: SlugSchema.describe('For a bundle: the Cahier offer it packages (classe-mobile-16…)').optional(),
  components: z
    .array(z.strictObject({ reference: ProductReferenceSchema, quantity: z.number().int().positive().max(10_000) }))
    .min(1)
    .max(50)
    .optional()
    .describe('For a bundle: the products it holds, by reference, with quantities'),
  attributes: z
    .record(CriterionIdSchema, DeclaredValueSchema)
    .default({})
    .describe('Declared values by criterion id'),
}).superRefine((p, ctx) => {
  const bundle = p.components !== undefined || p.offer !== undefined;
  if (bundle && (p.components === undefined || p.offer === undefined)) {
    ctx.addIssue({ code: 'custom', path: [p.components === undefined ? 'components' : 'offer'], message: 'a bundle names both its offer and its components' });
  }
  if (!bundle && p.item === undefined) ctx.addIssue({ code: 'custom', path: ['item'], message: 'a product names its Cahier item (or, for a bundle, its offer and components)' });
  if (bundle && p.item !== undefined) ctx.addIssue({ code: 'custom', path: ['item'], message: 'a bundle names its offer, not an item' });
  if (Object.keys(p.attributes).length > MAX_ATTRIBUTES) ctx.addIssue({ code: 'custom', path: ['attributes'], message: `at most ${MAX_ATTRIBUTES} attributes` });
});
export type Product = z.infer<typeof ProductSchema>;

export const MAX_ATTRIBUTES = 100;

/** Whether a product is a bundle of other products. */
export function isBundle(product: Product): product is Product & { offer: string; components: NonNullable<Product['components']> } {
  return product.offer !== undefined && product.components !== undefined;
}

/** A whole catalogue, as uploaded: who it is from, and its products. */
export const ProductCatalogueSchema = z.strictObject({
  name: Text(120).optional().describe('e.g. « UGAP — lot tablettes 2027 »'),
  products: z.array(z.unknown()).max(20_000),
});
