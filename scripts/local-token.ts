/**
 * Prints a token for the local stack, signed with its key (DATA_DIR/local-jwt-key.json, created
 * by `npm start`): any subject, any groups. For trying the API as several buyers. DATA_DIR must
 * name the running stack's folder: a token signed with another key would be refused, so the
 * script never creates one.
 *
 *   DATA_DIR=.data npx tsx scripts/local-token.ts buyer alice          # group buyers, sub alice
 *   DATA_DIR=.data npx tsx scripts/local-token.ts editor bob --hours 2
 *   DATA_DIR=.data npx tsx scripts/local-token.ts none carol           # valid token, no Cahier group (403s)
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_TOKEN_LIFETIME_SECONDS } from '#src/adapters/http/auth.ts';
import { LocalTokens } from '#src/adapters/local/local-tokens.ts';

const GROUPS: Record<string, string[]> = { buyer: ['buyers'], editor: ['criteria-editors'], both: ['buyers', 'criteria-editors'], 'catalogue-manager': ['catalogue-managers'], none: [] };
const MAX_HOURS = MAX_TOKEN_LIFETIME_SECONDS / 3600;

const { positionals, values } = parseArgs({ allowPositionals: true, options: { hours: { type: 'string', default: '12' } } });
const [role, sub] = positionals;
const hours = Number(values.hours);
if (!role || !(role in GROUPS) || !sub || !/^[\x21-\x7e]{1,128}$/.test(sub) || !Number.isInteger(hours) || hours < 1 || hours > MAX_HOURS) {
  console.error(`usage: DATA_DIR=<the stack's folder> npx tsx scripts/local-token.ts <buyer|editor|both|none> <subject> [--hours 1..${MAX_HOURS}]`);
  process.exit(2);
}
const dataDir = process.env.DATA_DIR;
if (!dataDir) {
  console.error('DATA_DIR is not set: set it to the folder of the running local stack (npm start uses DATA_DIR=.data by default), e.g. DATA_DIR=.data npx tsx scripts/local-token.ts buyer alice');
  process.exit(2);
}
try {
  const tokens = await LocalTokens.load(join(resolve(dataDir), 'local-jwt-key.json'));
  console.log(await tokens.sign({ sub, groups: GROUPS[role]!, ttlSeconds: hours * 3600 }));
} catch (error) {
  console.error(`DATA_DIR=${dataDir}: ${(error as Error).message}`);
  process.exit(1);
}
