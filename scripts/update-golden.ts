// Rewrites test/golden/digests.json: the SHA-256 of every file generated for the v1 examples and
// the stored v1 tender records (test/golden/v1-golden.ts). Run after an intended change of output
// bytes, then review the diff; test/golden/v1-golden.test.ts checks the digests in another time zone.
process.env.TZ = 'UTC';
const { writeFileSync } = await import('node:fs');
const { currentDigests, digestChanges, DIGESTS_FILE, readJson, ROOT } = await import('../test/golden/v1-golden.ts');

const digests = await currentDigests();
let before = {};
try {
  before = readJson(DIGESTS_FILE) as Record<string, Record<string, string>>;
} catch {
  // First run: every file is new.
}
writeFileSync(`${ROOT}${DIGESTS_FILE}`, `${JSON.stringify(digests, null, 2)}\n`);
const changes = digestChanges(before, digests);
console.log(changes.length === 0 ? `${DIGESTS_FILE} : aucun changement.` : `${DIGESTS_FILE} réécrit, ${changes.length} fichier(s) changé(s) :\n${changes.join('\n')}`);
