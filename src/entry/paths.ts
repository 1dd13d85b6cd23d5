import { fileURLToPath } from 'node:url';

/*
 * Where the project's files sit, resolved from this module's URL. Entry points live two folders
 * below the project root (src/entry/, functions/<name>/), and so does a Lambda bundle in its asset
 * (functions/<name>/index.mjs, infra/bundling/bundling.ts): the same relative URLs hold when this
 * module is inlined into a bundle, so no path changes for Lambda. Adapters take these as arguments.
 */

/** The Handlebars sources, or `precompiled.cjs` in a Lambda asset. */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** The reference catalogue: criteria, items, offers, framework versions. */
export const CATALOGUE_DIR = fileURLToPath(new URL('../../catalogue/', import.meta.url));

/** The built web app (`npm run build:web`). */
export const WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));
