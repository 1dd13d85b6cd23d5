/**
 * `npm run bench:api`: POST /tenders on the local stack (dynalite, s3rver, the real handlers over
 * HTTP) under concurrency 1, 8 and 32, with autocannon in this process. Each request generates,
 * stores and records a new tender (no Idempotency-Key). DynamoDB and S3 calls per tender are
 * counted with a middleware on the composition's SDK clients, as the API tests do.
 *
 * Replaces (or appends) the "HTTP API under load" section at the end of BENCHMARKS.md; the rest
 * of the file belongs to `npm run bench` and `npm run bench:bundles`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadLocalEnv } from '#src/entry/local-config.ts';
import { startLocalStack } from '#src/entry/local-stack.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUTPUT = path.join(ROOT, 'BENCHMARKS.md');
const SECTION = '## HTTP API under load';
const LEVELS = [
  { connections: 1, requests: 20 },
  { connections: 8, requests: 64 },
  { connections: 32, requests: 128 },
] as const;

interface Row {
  connections: number;
  requests: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  throughput: number;
  non2xx: number;
  errors: number;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cahier-bench-api-'));
  const env = loadLocalEnv({ PORT: '0', S3_PORT: '0', DYNAMODB_PORT: '0', DATA_DIR: dataDir });
  const stack = await startLocalStack(env, {});
  const body = readFileSync(path.join(ROOT, 'examples/commune-rurale-classe-mobile.json'), 'utf8');
  const headers = { authorization: `Bearer ${stack.tokens.buyer}`, 'content-type': 'application/json' };
  const load = [loadavg()[0]!];
  try {
    // Warm the handlers (fonts, templates, clients) before measuring.
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${stack.url}/tenders`, { method: 'POST', headers, body });
      if (response.status !== 201) throw new Error(`warm-up POST /tenders answered ${response.status}: ${await response.text()}`);
    }
    const rows: Row[] = [];
    for (const level of LEVELS) {
      const result = await autocannon({
        url: `${stack.url}/tenders`,
        method: 'POST',
        headers,
        body,
        connections: level.connections,
        amount: level.requests,
        timeout: 60,
      });
      rows.push({
        connections: level.connections,
        requests: result.requests.total,
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
        throughput: result.requests.total / (result.duration || 1),
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
      });
      console.log(`concurrency ${level.connections}: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${(result.requests.total / result.duration).toFixed(1)} req/s`);
    }
    load.push(loadavg()[0]!);
    writeSection(report(rows, load));
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(rows: Row[], load: number[]): string {
  const lines = [
    SECTION,
    '',
    `Command: \`npm run bench:api\` (bench/api.ts). Date ${new Date().toISOString().slice(0, 10)}; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; 1-minute load average ${load.map((l) => l.toFixed(1)).join(' → ')}.`,
    '',
    '`POST /tenders` of `examples/commune-rurale-classe-mobile.json` (62 requirements, 17-page PDF) on the local stack: dynalite and s3rver in the same process as the API, the real handlers over HTTP, a buyer token; each request validates, renders, stores the PDF and report in S3 and records the tender in DynamoDB. autocannon runs in the same process too: API, servers and load generator share one Node thread, so the figures are a floor for one instance, not a capacity estimate.',
    '',
    '| concurrency | requests | p50 ms | p90 ms | p99 ms | max ms | tenders/s | non-2xx | errors |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.connections} | ${r.requests} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${r.throughput.toFixed(1)} | ${r.non2xx} | ${r.errors} |`),
    '',
    'Generation is CPU-bound (PDF rendering), so throughput levels off at what the cores render and latency grows with the queue; in AWS each Lambda instance serves one request at a time and concurrency scales out instead. DynamoDB calls per tender are counted by `test/api/tenders.test.ts`: 5 without an Idempotency-Key, 8 with one, 2 for a replay that writes nothing.',
    '',
  ];
  return lines.join('\n');
}

function writeSection(section: string): void {
  const current = readFileSync(OUTPUT, 'utf8');
  const at = current.indexOf(SECTION);
  let before = at >= 0 ? current.slice(0, at) : current;
  let after = '';
  if (at >= 0) {
    const next = current.indexOf('\n## ', at + SECTION.length);
    after = next >= 0 ? current.slice(next + 1) : '';
  }
  before = before.replace(/\s*$/, '\n\n');
  writeFileSync(OUTPUT, `${before}${section}${after ? `\n${after}` : ''}`);
}

await main();
