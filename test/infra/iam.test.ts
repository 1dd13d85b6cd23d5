import { describe, expect, it } from 'vitest';
import { handlerOf, type LambdaName } from '../../infra/bundling/bundling.ts';
import { DELETABLE_PARTITIONS, WRITABLE_PARTITIONS } from '../../infra/constructs/api-function.ts';
import { GSI2_SUMMARIES, keys } from '#src/adapters/dynamodb/table.ts';
import { FUNCTIONS, ROUTES, type FunctionName } from '#src/adapters/http/routes.ts';
import { logicalIdOf, stageTemplates } from './support/synth.ts';
import { PDF_WRITERS } from '../../infra/stateless-stack.ts';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** Every statement that applies to a function's role: inline policies, attached policies, managed ones. */
function permissionsOf(name: LambdaName) {
  const { stateless } = stageTemplates('dev');
  const resources = stateless.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
  const fnId = logicalIdOf(stateless, 'AWS::Lambda::Function', { Handler: handlerOf(name) });
  const roleId = resources[fnId]!.Properties.Role['Fn::GetAtt'][0] as string;
  const role = resources[roleId]!.Properties;
  const statements: Statement[] = [
    ...(role.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement),
    ...Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((ref: any) => ref.Ref === roleId))
      .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]),
  ];
  const logGroup = resources[fnId]!.Properties.LoggingConfig.LogGroup.Ref as string;
  return { role, statements, logGroup };
}

const actionsOf = (s: Statement) => [s.Action].flat();
const resourcesOf = (s: Statement) => [s.Resource].flat().map((r) => JSON.stringify(r));
const NAMES = [...new Set(ROUTES.map((r) => r.function))] as FunctionName[];

/** The allowed (service:action → resources) pairs, flattened. */
function grants(name: LambdaName): { action: string; resource: string; condition?: unknown }[] {
  return permissionsOf(name).statements.flatMap((s) => {
    expect(s.Effect).toBe('Allow');
    return actionsOf(s).flatMap((action) => resourcesOf(s).map((resource) => ({ action, resource, ...(s.Condition ? { condition: s.Condition } : {}) })));
  });
}

describe('least privilege, from the synthesised template', () => {
  it.each(NAMES)('%s has no managed policy, no wildcard action and no "*" resource but X-Ray’s', (name) => {
    const { role, statements } = permissionsOf(name);

    expect(role.ManagedPolicyArns ?? []).toEqual([]);
    for (const s of statements) {
      expect(actionsOf(s).filter((a) => a.includes('*'))).toEqual([]);
      if (resourcesOf(s).includes('"*"')) expect(actionsOf(s).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    }
  });

  it.each(NAMES)('%s writes logs to its own log group only', (name) => {
    const { logGroup } = permissionsOf(name);
    const logs = grants(name).filter((g) => g.action.startsWith('logs:'));

    expect(new Set(logs.map((g) => g.action))).toEqual(new Set(['logs:CreateLogStream', 'logs:PutLogEvents']));
    expect(new Set(logs.map((g) => g.resource))).toEqual(new Set([JSON.stringify({ 'Fn::GetAtt': [logGroup, 'Arn'] })]));
  });

  it('health and openapi can do nothing but log and send traces', () => {
    for (const name of ['health', 'openapi'] as const) {
      expect(grants(name).filter((g) => !g.action.startsWith('logs:') && !g.action.startsWith('xray:')), name).toEqual([]);
    }
  });

  it('catalogue-read reads the table and its indexes, and can write nothing nor touch the bucket', () => {
    const actions = new Set(grants('catalogue-read').filter((g) => !g.action.startsWith('logs:') && !g.action.startsWith('xray:')).map((g) => g.action));

    expect(actions).toEqual(new Set(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query']));
    expect(grants('catalogue-read').filter((g) => g.resource.includes('/index/')).map((g) => g.action)).toEqual(['dynamodb:Query', 'dynamodb:Query']);
  });

  it('only the tenders function, which answers the impact route for editors, may query GSI3 (every owner’s tenders and drafts by pinned framework version)', () => {
    const readers = NAMES.filter((name) => grants(name).some((g) => g.action === 'dynamodb:Query' && g.resource.includes('/index/gsi3')));
    expect(readers).toEqual(['tenders']);
    expect(grants('gc').filter((g) => g.resource.includes('/index/gsi3'))).toEqual([]);
    // Read only: the index is queried, and no grant names it for anything else.
    expect(NAMES.flatMap((name) => grants(name).filter((g) => g.resource.includes('/index/gsi3') && g.action !== 'dynamodb:Query'))).toEqual([]);
  });

  it('only the tenders function, which lists a caller’s tenders, may query the summaries index, and only query it', () => {
    const readers = NAMES.filter((name) => grants(name).some((g) => g.resource.includes(`/index/${GSI2_SUMMARIES}`)));
    expect(readers).toEqual(['tenders']);
    expect(grants('tenders').filter((g) => g.resource.includes(`/index/${GSI2_SUMMARIES}`)).map((g) => g.action)).toEqual(['dynamodb:Query']);
  });

  it('only criteria-write, tenders, documents, drafts and catalogues put items, each in its own partitions (documents: tender items and bid audit entries alone); only drafts and catalogues delete, in DRAFT# and CATREPORT# only; nothing updates or batch-writes', () => {
    const writers = NAMES.filter((name) => grants(name).some((g) => g.action === 'dynamodb:PutItem'));
    const forbidden = NAMES.flatMap((name) => grants(name).filter((g) => /dynamodb:(UpdateItem|BatchWriteItem|Scan|\*)/.test(g.action)));
    const deletes = NAMES.flatMap((name) => grants(name).filter((g) => g.action === 'dynamodb:DeleteItem').map((g) => ({ name, condition: g.condition })));

    expect(writers.sort()).toEqual(['catalogues', 'criteria-write', 'documents', 'drafts', 'tenders']);
    expect(WRITABLE_PARTITIONS.documents).toEqual(['TENDER#*', 'AUDIT#bid#*']);
    expect(forbidden).toEqual([]);
    expect(deletes.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'catalogues', condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CATREPORT#*'] } } },
      { name: 'drafts', condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DRAFT#*'] } } },
    ]);
    expect(WRITABLE_PARTITIONS.catalogues).toEqual(['CATREPORT#*']);
    expect(DELETABLE_PARTITIONS.catalogues).toEqual(['CATREPORT#*']);
    expect(DELETABLE_PARTITIONS.drafts).toEqual(['DRAFT#*']);
    expect(WRITABLE_PARTITIONS.drafts).toEqual(['DRAFT#*']);
    for (const name of writers) {
      const puts = grants(name).filter((g) => g.action === 'dynamodb:PutItem');
      expect(puts.map((g) => g.condition), name).toEqual([{ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': WRITABLE_PARTITIONS[name] } }]);
    }
  });

  it('the generator can record tenders and idempotency claims but not criteria or frameworks; the editor the reverse; drafts only drafts', () => {
    const matches = (name: FunctionName, pk: string) => WRITABLE_PARTITIONS[name]!.some((p) => new RegExp(`^${p.replace(/[#]/g, '\\#').replace('*', '.*')}$`).test(pk));

    expect(matches('tenders', keys.tender('t-1').pk)).toBe(true);
    expect(matches('tenders', keys.idempotency('buyer#1', 'k 1').pk)).toBe(true);
    expect(matches('tenders', keys.criterionVersion('laptop.ram', 2).pk)).toBe(false);
    expect(matches('tenders', keys.frameworkLatest('carmo-education').pk)).toBe(false);
    expect(matches('tenders', keys.entryVersionsPk('item'))).toBe(false);
    expect(matches('criteria-write', keys.entryVersion('item', 'tablet', 2).pk)).toBe(true);
    expect(matches('criteria-write', keys.entryVersion('offer', 'classe-mobile-16', 2).pk)).toBe(true);
    expect(matches('criteria-write', keys.auditPk('item', 'tablet'))).toBe(true);
    expect(matches('criteria-write', keys.auditPk('offer', 'classe-mobile-16'))).toBe(true);
    expect(matches('criteria-write', keys.criterionLatest('laptop.ram').pk)).toBe(true);
    expect(matches('criteria-write', keys.frameworkVersion('carmo-education', 2).pk)).toBe(true);
    expect(matches('criteria-write', keys.tender('t-1').pk)).toBe(false);
    expect(matches('documents', keys.entryVersionsPk('offer'))).toBe(false);
    expect(matches('criteria-write', keys.auditPk('criterion', 'laptop.ram'))).toBe(true);
    expect(matches('criteria-write', keys.auditPk('framework', 'carmo-education'))).toBe(true);
    expect(matches('tenders', keys.auditPk('criterion', 'laptop.ram'))).toBe(false);
    // A bid withdrawal's entry is written by documents alone; documents never writes an editor's entry, nor criteria-write a bid's.
    expect(matches('documents', keys.auditPk('bid', 'tender-1/acme'))).toBe(true);
    expect(matches('documents', keys.auditPk('criterion', 'laptop.ram'))).toBe(false);
    expect(matches('criteria-write', keys.auditPk('bid', 'tender-1/acme'))).toBe(false);
    expect(matches('tenders', keys.auditPk('bid', 'tender-1/acme'))).toBe(false);
    expect(matches('drafts', keys.draft('buyer#1', 'd-1').pk)).toBe(true);
    expect(matches('drafts', keys.tender('t-1').pk)).toBe(false);
    expect(matches('drafts', keys.criterionLatest('laptop.ram').pk)).toBe(false);
    expect(matches('tenders', keys.draft('buyer-1', 'd-1').pk)).toBe(false);
    // Stored catalogues live apart from the reference items and offers (ITEMS, OFFERS, and the old CATALOGUE#ITEM, CATALOGUE#OFFER copies).
    expect(matches('catalogues', keys.storedCatalogue('c-1').pk)).toBe(true);
    expect(matches('catalogues', keys.entryVersionsPk('item'))).toBe(false);
    expect(matches('catalogues', keys.entryVersionsPk('offer'))).toBe(false);
    expect(matches('catalogues', 'CATALOGUE#ITEM')).toBe(false);
    expect(matches('catalogues', 'CATALOGUE#OFFER')).toBe(false);
    expect(matches('catalogues', keys.tender('t-1').pk)).toBe(false);
    expect(matches('catalogues', keys.criterionLatest('laptop.ram').pk)).toBe(false);
  });

  it('only tenders, documents and catalogues reach the bucket: get and put on tenders/*, tenders also puts jobs under document-jobs/*, documents also deletes under tenders/* (a failed rendering removes what it wrote), catalogues get, put and delete under catalogues/* alone; no list', () => {
    const s3 = NAMES.flatMap((name) => grants(name).filter((g) => g.action.startsWith('s3:')).map((g) => ({ name, ...g })));
    const prefix = (g: { resource: string }) => /cahier-documents-dev-[^/]*\/([a-z-]+)\/\*"\]\]\}$/.exec(g.resource)?.[1];

    expect(new Set(s3.map((g) => g.name))).toEqual(new Set(['tenders', 'documents', 'catalogues']));
    expect(s3.filter((g) => g.name === 'catalogues').map((g) => `${g.action} ${prefix(g)}`).sort()).toEqual(['s3:DeleteObject catalogues', 's3:GetObject catalogues', 's3:PutObject catalogues']);
    expect(s3.filter((g) => g.name === 'tenders').map((g) => `${g.action} ${prefix(g)}`).sort()).toEqual(['s3:GetObject tenders', 's3:PutObject document-jobs', 's3:PutObject tenders']);
    expect(s3.filter((g) => g.name === 'documents').map((g) => `${g.action} ${prefix(g)}`).sort()).toEqual(['s3:DeleteObject tenders', 's3:GetObject tenders', 's3:PutObject tenders']);
  });

  it('the documents function is invoked by the document-jobs rule alone, and no function may invoke another but the PDF writers the pdf-renderer', () => {
    const { stateless } = stageTemplates('dev');
    const resources = stateless.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
    const fnId = logicalIdOf(stateless, 'AWS::Lambda::Function', { Handler: handlerOf('documents') });
    const invokers = Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Permission' && JSON.stringify(r.Properties.FunctionName).includes(fnId))
      .map((r) => r.Properties.Principal as string);
    const rule = Object.values(resources).find((r) => r.Type === 'AWS::Events::Rule' && JSON.stringify(r.Properties.Targets).includes(fnId));

    expect(new Set(invokers)).toEqual(new Set(['apigateway.amazonaws.com', 'events.amazonaws.com']));
    expect(rule?.Properties.EventPattern).toMatchObject({ source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { object: { key: [{ prefix: 'document-jobs/' }] } } });
    const renderer = JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(stateless, 'AWS::Lambda::Function', { Handler: handlerOf('pdf-renderer') }), 'Arn'] });
    for (const name of NAMES) {
      expect(grants(name).filter((g) => g.action.startsWith('lambda:')), name).toEqual(PDF_WRITERS.includes(name) ? [{ action: 'lambda:InvokeFunction', resource: renderer }] : []);
    }
    expect(grants('gc').filter((g) => g.action.startsWith('lambda:'))).toEqual([]);
  });

  it('the pdf-renderer can do nothing but log and send traces: no table, no bucket, no invoke; no resource policy lets anything but the PDF writers’ roles invoke it', () => {
    const { stateless } = stageTemplates('dev');
    const resources = stateless.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
    const fnId = logicalIdOf(stateless, 'AWS::Lambda::Function', { Handler: handlerOf('pdf-renderer') });

    expect(grants('pdf-renderer').filter((g) => !g.action.startsWith('logs:') && !g.action.startsWith('xray:'))).toEqual([]);
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Permission' && JSON.stringify(r.Properties.FunctionName).includes(fnId))).toEqual([]);
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Integration' && JSON.stringify(r.Properties).includes(fnId))).toEqual([]);
    expect(Object.keys(resources[fnId]!.Properties.Environment.Variables).sort()).toEqual(['POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME']);
    for (const name of PDF_WRITERS) {
      const writer = resources[logicalIdOf(stateless, 'AWS::Lambda::Function', { Handler: handlerOf(name) })]!.Properties;
      expect(writer.Environment.Variables.PDF_RENDERER_FUNCTION, name).toEqual({ Ref: fnId });
    }
  });

  it('matches the needs the route table declares for each function', () => {
    for (const name of NAMES) {
      const actions = grants(name).map((g) => g.action);
      const { table, bucket } = FUNCTIONS[name];

      expect(actions.includes('dynamodb:GetItem'), name).toBe(table !== 'none');
      expect(actions.includes('dynamodb:PutItem'), name).toBe(table === 'read-write');
      expect(actions.includes('s3:GetObject'), name).toBe(bucket !== 'none');
      expect(actions.includes('s3:PutObject'), name).toBe(bucket === 'read-write');
    }
  });

  it('the scheduled gc scans and reads the table, queries GSI1 (pending renderings), records tenders, deletes idempotency claims, lists tenders/ and catalogues/reports/ and deletes under them (never catalogues/files/), and nothing else', () => {
    const all = grants('gc').filter((g) => !g.action.startsWith('logs:') && !g.action.startsWith('xray:'));
    const table = all.find((g) => g.action === 'dynamodb:Scan')!.resource;
    const byAction = Object.fromEntries(all.map((g) => [g.action, g]));

    expect(Object.keys(byAction).sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:Scan', 's3:DeleteObject', 's3:ListBucket']);
    // DeleteObject on two prefixes: tenders/* and catalogues/reports/*.
    expect(all).toHaveLength(9);
    // GSI1 only (its RENDERINGS#PENDING partition lists the stalled renderings): not the table, not GSI2.
    expect(byAction['dynamodb:Query']!.resource).toMatch(/\/index\/gsi1"\]\]\}$/);
    expect(byAction['dynamodb:Query']!.condition).toBeUndefined();
    for (const action of ['dynamodb:Scan', 'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem']) expect(byAction[action]!.resource, action).toBe(table);
    expect(byAction['dynamodb:PutItem']!.condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TENDER#*'] } });
    expect(byAction['dynamodb:DeleteItem']!.condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['IDEMPOTENCY#*'] } });
    expect(byAction['s3:ListBucket']!.condition).toEqual({ StringLike: { 's3:prefix': ['tenders/*', 'catalogues/reports/*'] } });
    // The bucket itself (ListBucket takes the bucket ARN), conditioned on the prefix above.
    expect(byAction['s3:ListBucket']!.resource).toContain(':s3:::cahier-documents-dev-');
    expect(byAction['s3:ListBucket']!.resource).not.toContain('/');
    const deletes = all.filter((g) => g.action === 's3:DeleteObject').map((g) => g.resource);
    expect(deletes).toHaveLength(2);
    expect(deletes.filter((r) => /cahier-documents-dev-.*\/tenders\/\*"\]\]\}$/.test(r))).toHaveLength(1);
    expect(deletes.filter((r) => /cahier-documents-dev-.*\/catalogues\/reports\/\*"\]\]\}$/.test(r))).toHaveLength(1);
    expect(deletes.some((r) => r.includes('catalogues/files'))).toBe(false);
  });
});
