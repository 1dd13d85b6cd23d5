import { readFileSync } from 'node:fs';

/**
 * A catalogue of `count` products for the streaming check (test/exports/catalogue-stream.test.ts,
 * npm run bench:catalogue): the sample's 320 products repeated under new references (TAB-001-000,
 * TAB-001-001…), so every verdict is one the sample has. 10 000 products make 2.4 MB of CSV.
 */
export function largeCatalogueCsv(count: number): string {
  const [header, ...rows] = readFileSync(new URL('../../examples/catalogue/catalogue-centrale.csv', import.meta.url), 'utf8').trim().split('\n');
  const lines = [header!];
  for (let i = 0; lines.length <= count; i++) {
    const row = rows[i % rows.length]!;
    lines.push(row.replace(/^([A-Z]+-\d{3})/, `$1-${String(Math.floor(i / rows.length)).padStart(3, '0')}`));
  }
  return `${lines.join('\n')}\n`;
}
