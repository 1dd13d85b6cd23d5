/**
 * Stage configuration: typed, validated with zod when the app starts, no AWS lookups.
 *
 * The stacks are environment-agnostic unless a stage names an account and a region: `cdk deploy`
 * then targets whatever account and region the caller's AWS profile points to. Values a deployer
 * is likely to change (web origins, the Cognito domain prefix) can also be given on the command
 * line: `-c webOrigins=https://a.example,https://b.example`, `-c authDomainPrefix=cahier-dev-x`.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';
import { PENDING_RENDERING_MAX_AGE_SECONDS } from '#src/app/fail-stalled-renderings.ts';
import { DOCUMENT_JOB_WINDOW_SECONDS } from './constructs/document-jobs.ts';

export const STAGE_NAMES = ['dev', 'prod'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

const RETENTION_DAYS = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number');

const Retention = z
  .number()
  .int()
  .refine((days) => RETENTION_DAYS.includes(days), { message: `expected one of CloudWatch's retention periods: ${RETENTION_DAYS.join(', ')}` })
  .transform((days) => days as RetentionDays);

const Origin = z
  .string()
  .refine((value) => {
    try {
      const url = new URL(value);
      const local = url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1');
      return (url.protocol === 'https:' || local) && url.origin === value;
    } catch {
      return false;
    }
  }, 'expected an origin: https://host[:port] (http only for localhost), no path nor trailing slash');

const Throttle = z.strictObject({
  /** Steady-state requests per second. */
  rateLimit: z.number().positive().max(10_000),
  /** Requests allowed in a burst. */
  burstLimit: z.number().int().positive().max(5_000),
});

export const StageConfigSchema = z
  .strictObject({
    stage: z.enum(STAGE_NAMES),
    /** Both or neither: an environment-agnostic stack deploys to the CLI profile's account and region. */
    account: z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id').optional(),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region such as eu-west-3').optional(),
    /** Origins of the web app: CORS on the API and the documents bucket, OAuth callback and logout URLs. */
    webOrigins: z.array(Origin).min(1),
    /** Prefix of the Cognito managed login domain (`<prefix>.auth.<region>.amazoncognito.com`); none if absent. */
    authDomainPrefix: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/).refine((p) => !/aws|amazon|cognito/.test(p), 'Cognito refuses prefixes containing aws, amazon or cognito').optional(),
    /**
     * Custom domain of the web app's CloudFront distribution: the app is then served at
     * https://<domainName> (added to the CORS and OAuth origins like the distribution's own name)
     * with TLS 1.2 at least. The certificate must be an ACM certificate in us-east-1, as CloudFront
     * requires. Without it the app is served at the distribution's *.cloudfront.net name with
     * CloudFront's default certificate.
     */
    webDomain: z
      .strictObject({
        domainName: z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/, 'expected a lower-case DNS name such as cahier.example.gouv.fr'),
        certificateArn: z.string().regex(/^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/, 'expected an ACM certificate ARN in us-east-1 (CloudFront only uses certificates from us-east-1)'),
      })
      .optional(),
    /** CloudFront standard logs of the web app are deleted after this many days. */
    webLogExpirationDays: z.number().int().min(1).max(3653),
    /** Lambda function logs. */
    functionLogRetentionDays: Retention,
    /** HTTP API access logs. */
    apiAccessLogRetentionDays: Retention,
    /** S3 server access logs of the documents bucket are deleted after this many days. */
    bucketAccessLogExpirationDays: z.number().int().min(1).max(3653),
    /** Overwritten or deleted document versions are kept this long, then deleted. */
    noncurrentVersionExpirationDays: z.number().int().min(1).max(3653),
    /** Whole-stage throttling: every route of the `read` class (infra/stateless-stack.ts, throttleClassOf). */
    throttle: Throttle,
    /** Each route of the `render` class (POST /tenders, POST /tenders/{id}/regenerate: they render documents): its own, tighter limit. */
    renderThrottle: Throttle,
    /** Each route of the `write` class (the editors' PUT /criteria/{id}, POST /frameworks/{id}/versions). */
    writeThrottle: Throttle,
    /** Alarm thresholds (infra/constructs/monitoring.ts). */
    alarms: z.strictObject({
      /** 5xx answers, % of the API's requests over five minutes. */
      serverErrorRatePercent: z.number().positive().max(100),
      /** p99 latency of POST /tenders, ms (the HTTP API gives up at 30 000). */
      createTenderP99Ms: z.number().int().positive().max(30_000),
      /** Orphan documents found by one daily gc run. */
      orphanObjects: z.number().int().min(1),
    }),
    /** An address subscribed to the alarms' SNS topic (it confirms by e-mail); none if absent. */
    alarmEmail: z.email().optional(),
    /** The gc records failed a deferred rendering still pending this long after its tender was created (PENDING_RENDERING_MAX_AGE_SECONDS). */
    pendingRenderingMaxAgeMinutes: z.number().int().min(1).max(7 * 24 * 60).default(PENDING_RENDERING_MAX_AGE_SECONDS / 60),
    /** Lifetime of presigned download URLs (URL_TTL_SECONDS). */
    downloadUrlTtlSeconds: z.number().int().min(1).max(900),
    /** Prevents `cdk destroy` of the stateful stack (its resources are retained anyway). */
    terminationProtection: z.boolean(),
  })
  .superRefine((config, ctx) => {
    if ((config.account === undefined) !== (config.region === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['account'], message: 'give both account and region, or neither' });
    }
    if (config.pendingRenderingMaxAgeMinutes * 60 <= DOCUMENT_JOB_WINDOW_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['pendingRenderingMaxAgeMinutes'],
        message: `a job can still be running ${Math.ceil(DOCUMENT_JOB_WINDOW_SECONDS / 60)} minutes after it was queued (infra/constructs/document-jobs.ts): the bound must be longer`,
      });
    }
    for (const key of ['renderThrottle', 'writeThrottle'] as const) {
      if (config[key].rateLimit > config.throttle.rateLimit || config[key].burstLimit > config.throttle.burstLimit) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'a route class must be throttled at least as tightly as the stage' });
      }
    }
  });

export type StageConfig = z.infer<typeof StageConfigSchema>;

/** The stages as checked in. Throttling sized for buyers across France: tenders are written in office hours, a few per minute nationally. */
export const STAGES: Record<StageName, z.input<typeof StageConfigSchema>> = {
  dev: {
    stage: 'dev',
    webOrigins: ['http://localhost:5173'],
    functionLogRetentionDays: 14,
    apiAccessLogRetentionDays: 14,
    bucketAccessLogExpirationDays: 90,
    webLogExpirationDays: 90,
    noncurrentVersionExpirationDays: 30,
    throttle: { rateLimit: 20, burstLimit: 40 },
    renderThrottle: { rateLimit: 2, burstLimit: 5 },
    writeThrottle: { rateLimit: 5, burstLimit: 10 },
    alarms: { serverErrorRatePercent: 5, createTenderP99Ms: 15_000, orphanObjects: 1 },
    downloadUrlTtlSeconds: 300,
    terminationProtection: false,
  },
  prod: {
    stage: 'prod',
    webOrigins: ['https://cahier.education.gouv.fr'],
    functionLogRetentionDays: 90,
    apiAccessLogRetentionDays: 400,
    bucketAccessLogExpirationDays: 400,
    webLogExpirationDays: 400,
    noncurrentVersionExpirationDays: 90,
    throttle: { rateLimit: 200, burstLimit: 400 },
    renderThrottle: { rateLimit: 20, burstLimit: 40 },
    writeThrottle: { rateLimit: 10, burstLimit: 20 },
    alarms: { serverErrorRatePercent: 1, createTenderP99Ms: 10_000, orphanObjects: 1 },
    downloadUrlTtlSeconds: 300,
    terminationProtection: true,
  },
};

/** A configuration problem, listed by field; thrown before any construct is created. */
export class StageConfigError extends Error {
  constructor(stage: string, readonly problems: readonly string[]) {
    super(`invalid configuration for stage "${stage}":\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'StageConfigError';
  }
}

/** Context keys read from `cdk -c key=value`. */
export interface ConfigContext {
  stage?: unknown;
  webOrigins?: unknown;
  authDomainPrefix?: unknown;
}

/**
 * The stages to synthesise: the one named by `-c stage=…`, or every stage (so that
 * `cdk synth --all` checks them all). Pure: pass the context values.
 */
export function loadStageConfigs(context: ConfigContext = {}, stages: Record<string, z.input<typeof StageConfigSchema>> = STAGES): StageConfig[] {
  const names = context.stage === undefined ? Object.keys(stages) : [String(context.stage)];
  return names.map((name) => {
    const raw = stages[name];
    if (!raw) throw new StageConfigError(name, [`unknown stage; expected one of ${Object.keys(stages).join(', ')}`]);
    const overrides = {
      ...(typeof context.webOrigins === 'string' ? { webOrigins: context.webOrigins.split(',').map((o) => o.trim()) } : {}),
      ...(typeof context.authDomainPrefix === 'string' ? { authDomainPrefix: context.authDomainPrefix } : {}),
    };
    const parsed = StageConfigSchema.safeParse({ ...raw, ...overrides });
    if (!parsed.success) throw new StageConfigError(name, parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`));
    return parsed.data;
  });
}
