/**
 * `cahier gc [--dry-run]`: collectGarbage over the local stack's data (embedded dynalite and s3rver
 * on DATA_DIR, the stack stopped) or over any DynamoDB and S3 endpoints (DYNAMODB_ENDPOINT and
 * S3_ENDPOINT, e.g. a running `npm start`'s, or AWS with TABLE_NAME and BUCKET_NAME). Locally it is
 * what DynamoDB's TTL and the scheduled gc function do in AWS.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { EMBEDDED_CREDENTIALS, startDynalite, startS3rver, type EmbeddedServer } from '#src/adapters/local/embedded-aws.ts';
import { collectGarbage, IDEMPOTENCY_KEY_LIFETIME_SECONDS, ORPHAN_MIN_AGE_SECONDS, type GarbageReport } from '#src/app/collect-garbage.ts';
import { PENDING_RENDERING_MAX_AGE_SECONDS } from '#src/app/fail-stalled-renderings.ts';
import { DynamoDbCatalogueRecords } from '#src/adapters/dynamodb/dynamodb-catalogue-records.ts';
import { createComposition } from './composition.ts';
import { loadConfig } from './config.ts';
import { loadLocalEnv } from './local-config.ts';

export const GC_USAGE = `Utilisation :
  cahier gc [--dry-run]

Nettoie ce qu’une panne peut laisser : enregistre les appels d’offres dont seule la réservation
de clé d’idempotence existe, oublie les clés de plus de ${IDEMPOTENCY_KEY_LIFETIME_SECONDS / 3600} h et supprime les documents
orphelins (qu’aucun appel d’offres ni catalogue enregistré ne cite) de plus de ${ORPHAN_MIN_AGE_SECONDS / 3600} h, et déclare en échec
les préparations de documents en attente depuis plus de PENDING_RENDERING_MAX_AGE_SECONDS
(${PENDING_RENDERING_MAX_AGE_SECONDS / 3600} h par défaut). --dry-run compte sans rien écrire.

Sans DYNAMODB_ENDPOINT ni S3_ENDPOINT : les données de la pile locale (DATA_DIR, .data par
défaut), pile arrêtée. Sinon ces serveurs (ou AWS), avec TABLE_NAME et BUCKET_NAME.`;

export interface GcIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

export async function runGc(argv: string[], io: GcIo, env: Record<string, string | undefined>): Promise<number> {
  let dryRun: boolean;
  try {
    const { values } = parseArgs({ args: argv, options: { 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
    if (values.help) {
      io.stdout(GC_USAGE);
      return 0;
    }
    dryRun = values['dry-run'];
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${GC_USAGE}`);
    return 2;
  }
  let local;
  try {
    local = loadLocalEnv(env);
  } catch (error) {
    io.stderr((error as Error).message);
    return 2;
  }
  const external = local.DYNAMODB_ENDPOINT !== undefined || local.S3_ENDPOINT !== undefined;
  const started: EmbeddedServer[] = [];
  try {
    if (!external) {
      const dataDir = resolve(local.DATA_DIR);
      try {
        started.push(await startDynalite({ host: '127.0.0.1', port: 0, path: join(dataDir, 'dynamodb') }));
      } catch (error) {
        io.stderr(
          `Impossible d’ouvrir ${join(dataDir, 'dynamodb')} (${(error as Error).message}) : arrêtez la pile locale (npm start), ou passez-lui ses serveurs : DYNAMODB_ENDPOINT=http://127.0.0.1:3002 S3_ENDPOINT=http://127.0.0.1:3001 npx cahier gc`,
        );
        return 1;
      }
      started.push(await startS3rver({ host: '127.0.0.1', port: 0, directory: join(dataDir, 's3'), bucket: local.BUCKET_NAME }));
    }
    const config = loadConfig({
      ...env,
      TABLE_NAME: local.TABLE_NAME,
      BUCKET_NAME: local.BUCKET_NAME,
      AWS_REGION: local.AWS_REGION,
      DYNAMODB_ENDPOINT: external ? local.DYNAMODB_ENDPOINT : started[0]!.endpoint,
      S3_ENDPOINT: external ? local.S3_ENDPOINT : started[1]!.endpoint,
      // s3rver (embedded, or a running npm start's) needs path-style URLs and no default checksums.
      ...(!external || isLocalS3(local.S3_ENDPOINT) ? { S3_FORCE_PATH_STYLE: 'true', S3_CHECKSUMS: 'when-required' } : {}),
    });
    if (!external || isLocalS3(local.S3_ENDPOINT)) config.aws.credentials = { ...EMBEDDED_CREDENTIALS };
    const composition = createComposition(config);
    try {
      try {
        await composition.clients.dynamodb.send(new DescribeTableCommand({ TableName: config.tableName }));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
        io.stderr(`La table ${config.tableName} n’existe pas${external ? '' : ` dans ${resolve(local.DATA_DIR)}`} : rien à nettoyer.`);
        return 1;
      }
      const report = await collectGarbage({ ...composition, catalogueRecords: new DynamoDbCatalogueRecords({ db: composition.clients.document, tableName: composition.tableName }) }, { now: composition.clock.now(), dryRun, pendingRenderingMaxAgeSeconds: config.pendingRenderingMaxAgeSeconds });
      for (const line of describeReport(report)) io.stdout(line);
      return 0;
    } finally {
      composition.close();
    }
  } finally {
    for (const server of started.reverse()) await server.stop();
  }
}

function isLocalS3(endpoint: string | undefined): boolean {
  if (!endpoint) return false;
  const host = new URL(endpoint).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
}

export function describeReport(r: GarbageReport): string[] {
  const lines = [
    `Nettoyage${r.dryRun ? ' à blanc (rien n’est écrit)' : ''} :`,
    `  réservations de clé d’idempotence lues : ${r.claims}`,
    `  appels d’offres ${r.dryRun ? 'à enregistrer' : 'enregistrés'} depuis leur réservation : ${r.claimsCompleted}`,
    `  clés expirées ${r.dryRun ? 'à oublier' : 'oubliées'} : ${r.claimsExpired}`,
    `  documents orphelins : ${r.orphanObjects} (${r.orphanBytes} octets)${r.dryRun ? '' : `, supprimés : ${r.orphansDeleted}`}`,
    `  préparations de documents restées en attente : ${r.renderingsStalled}${r.dryRun ? '' : `, déclarées en échec : ${r.renderingsFailed}`}`,
  ];
  return lines;
}
