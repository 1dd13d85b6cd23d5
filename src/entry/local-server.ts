/**
 * `npm start`: the Cahier API on a laptop. Prints where everything is and two tokens; stops
 * cleanly on Ctrl-C or SIGTERM (the embedded databases flush to disk). See README "Local stack".
 */
import { relative } from 'node:path';
import { loadLocalEnv, type LocalEnv } from './local-config.ts';
import { LOCAL_USERS, startLocalStack, type LocalStack } from './local-stack.ts';
import { WEB_DIST_DIR } from './paths.ts';
import { LOCAL_CLIENT_ID } from '#src/adapters/local/local-oauth.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let env: LocalEnv;
let stack: LocalStack | undefined;
// The web app (built by `npm run build:web`, which `npm start` runs first) on the API's origin,
// signing in through the local stack's OAuth endpoints (code with PKCE, refresh), or with a printed token.
const web = {
  dir: WEB_DIST_DIR,
  config: { apiUrl: '', auth: { kind: 'local', clientId: LOCAL_CLIENT_ID } },
  tokens: () => stack?.tokens,
};
try {
  env = loadLocalEnv(process.env);
  // Each request logs the Lambdas' Powertools JSON line on stdout (POWERTOOLS_LOG_LEVEL=WARN quiets them).
  stack = await startLocalStack(env, process.env, undefined, web);
} catch (error) {
  const e = error as NodeJS.ErrnoException & { port?: number };
  console.error(
    e.code === 'EADDRINUSE'
      ? `Port ${e.port} is taken (another \`npm start\`?). Stop it, or choose other ports: PORT=4000 npm start (S3 and DynamoDB take PORT+1 and PORT+2).`
      : e.message,
  );
  process.exit(1);
}
const where = (path: string) => relative(process.cwd(), path) || '.';
const seeded = stack.seed
  ? stack.seed.criterionVersionsWritten + stack.seed.frameworksPublished + stack.seed.itemsWritten + stack.seed.offersWritten === 0
    ? 'already up to date'
    : `wrote ${stack.seed.criterionVersionsWritten} criterion versions, ${stack.seed.frameworksPublished} frameworks, ${stack.seed.itemsWritten} items, ${stack.seed.offersWritten} offers`
  : 'skipped (SEED=false)';

console.log(`Cahier local stack
  Web app    ${stack.url}/   (sign in as the buyer or the editor; sessions: access token ${env.ACCESS_TOKEN_TTL_SECONDS} s, refresh token ${env.REFRESH_TOKEN_TTL_SECONDS} s)
  API        ${stack.url}   (routes: ${stack.url}/openapi.json)
  DynamoDB   ${stack.dynamodb.endpoint}   table ${stack.config.tableName}${stack.dynamodb.embedded ? ` (dynalite, ${where(`${stack.dataDir}/dynamodb`)})` : ''}
  S3         ${stack.s3.endpoint}   bucket ${stack.config.bucketName}${stack.s3.embedded ? ` (s3rver, ${where(`${stack.dataDir}/s3`)})` : ''}
  Servers    ${stack.embeddedProcess ? `dynalite and s3rver in process ${stack.embeddedProcess.pid}, beside the API’s, as DynamoDB and S3 run apart from the Lambdas (EMBEDDED_SERVERS)` : stack.dynamodb.embedded || stack.s3.embedded ? 'in the API’s thread (EMBEDDED_SERVERS=in-thread)' : 'none embedded'}
  Catalogue  ${seeded}
  Requests   ${stack.concurrentRequests ? `${stack.concurrentRequests} at a time besides GET and HEAD, the others wait their turn (CONCURRENT_REQUESTS)` : 'no limit (CONCURRENT_REQUESTS=0)'}
  PDF        ${stack.pdfWorkers ? `laid out on ${stack.pdfWorkers.size} worker thread${stack.pdfWorkers.size === 1 ? '' : 's'}, as the pdf-renderer function does in AWS (PDF_WORKERS)` : 'laid out in the API’s thread (PDF_WORKERS=0)'}

Tokens, valid ${env.TOKEN_TTL_HOURS} h (also in ${where(stack.tokensFile)}):
  buyer  (sub ${LOCAL_USERS.buyer.sub}, group buyers):
export BUYER_TOKEN=${stack.tokens.buyer}
  editor (sub ${LOCAL_USERS.editor.sub}, group criteria-editors):
export EDITOR_TOKEN=${stack.tokens.editor}

Try:
  curl -s ${stack.url}/health
  curl -s -H "Authorization: Bearer $BUYER_TOKEN" -H 'Content-Type: application/json' \\
       --data @examples/commune-rurale-classe-mobile.json ${stack.url}/tenders
Ctrl-C stops.`);

let stopping = false;
// dynalite and s3rver gone (killed, out of memory), every request would fail: say why and stop.
void stack.embeddedProcess?.crashed.then((error) => {
  if (stopping) return;
  stopping = true;
  console.error(`${error.message}.`);
  stack.stop().finally(() => process.exit(1));
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
