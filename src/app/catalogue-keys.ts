/**
 * The bucket prefixes of stored catalogues (src/app/stored-catalogues.ts), in a module of their
 * own so that the gc (and its IAM in infra/) names them without loading the catalogue checker.
 */
export const CATALOGUES_PREFIX = 'catalogues/';

/** `catalogues/reports/<id>/…`: the reports of one record `CATREPORT#<id>`, deleted with it. */
export const CATALOGUE_REPORTS_PREFIX = `${CATALOGUES_PREFIX}reports/`;

/** `catalogues/files/<sha256>.<format>`: uploaded bytes, shared by hash between records; never collected. */
export const CATALOGUE_FILES_PREFIX = `${CATALOGUES_PREFIX}files/`;
