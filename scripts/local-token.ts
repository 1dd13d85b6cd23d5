/**
 * Prints a token for the local stack, signed with its key (DATA_DIR/local-jwt-key.json, created
 * by `npm start`): any subject, any groups. For trying the API as several buyers.
 *
 *   npx tsx scripts/local-token.ts buyer alice          # group buyers, sub alice
 *   npx tsx scripts/local-token.ts editor bob --hours 2
 *   npx tsx scripts/local-token.ts none carol           # valid token, no Cahier group (403s)
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalTokens } from '#src/adapters/local/local-tokens.ts';

const GROUPS: Record<string, string[]> = { buyer: ['buyers'], editor: ['criteria-editors'], both: ['buyers', 'criteria-editors'], none: [] };

const { positionals, values } = parseArgs({ allowPositionals: true, options: { hours: { type: 'string', default: '12' } } });
const [role, sub] = positionals;
const hours = Number(values.hours);
if (!role || !(role in GROUPS) || !sub || !/^[\x21-\x7e]{1,128}$/.test(sub) || !Number.isInteger(hours) || hours < 1) {
  console.error('usage: npx tsx scripts/local-token.ts <buyer|editor|both|none> <subject> [--hours N]');
  process.exit(2);
}
const tokens = await LocalTokens.loadOrCreate(join(process.env.DATA_DIR || '.data', 'local-jwt-key.json'));
console.log(await tokens.sign({ sub, groups: GROUPS[role]!, ttlSeconds: hours * 3600 }));
