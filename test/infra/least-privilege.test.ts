import type { Template } from 'aws-cdk-lib/assertions';
import { PLANNER_ENTRY, PUBLISH_ENTRY, RESCAN_ENTRY, SNAPSHOT_ENTRY } from '../../infra/runtime-contract';
import { GSI1_NAME } from '../../shared/store/table-definition';
import { flat, logicalId, roleStatements } from './support/policies';
import { bundledSources, commandsSent, readSources } from './support/sdk-calls';
import { synthMonitor } from './support/synth';

const DYNAMODB = '@aws-sdk/client-dynamodb';

/**
 * The IAM action of a DynamoDB command. A transaction is authorized by its items' actions
 * (PutItem, UpdateItem, DeleteItem, ConditionCheckItem for a ConditionCheck): the command name
 * alone does not say which, so a transaction in the code fails this test until it is mapped here.
 */
const actionOf = (command: string): string => {
  if (command.startsWith('Transact')) {
    throw new Error(
      `${command}: IAM authorizes a transaction by its items' actions; map it to those here (and grant them)`,
    );
  }
  return `dynamodb:${command.replace(/Command$/, '')}`;
};

/** What a function's own code sends to DynamoDB, grep-proven over the files its bundle keeps. */
const dynamoCallsOf = async (entry: string) => {
  const sources = readSources(await bundledSources(entry));
  const calls = sources.map(({ file, text }) => ({ file, commands: commandsSent(text, DYNAMODB), text }));
  const actions = [...new Set(calls.flatMap((c) => c.commands.map(actionOf)))].sort();
  return {
    actions,
    // A Query with an IndexName anywhere in the code it runs (the store's queries go through one helper).
    queriesAnIndex: actions.includes('dynamodb:Query') && calls.some((c) => /\bIndexName\s*:/.test(c.text)),
    files: calls.filter((c) => c.commands.length > 0).map((c) => c.file),
  };
};

/** `Allow a,b on r1 r2 [if {...}]` (support/policies.ts) as resource -> actions, for one service. */
const grantsOf = (template: Template, roleId: string, service: string): Map<string, string[]> => {
  const grants = new Map<string, string[]>();
  for (const line of roleStatements(template, roleId)) {
    const match = /^Allow (\S+) on (.*?)(?: if .*)?$/.exec(line);
    if (!match) continue;
    const actions = match[1]!.split(',').filter((a) => a.startsWith(`${service}:`));
    if (actions.length === 0) continue;
    for (const resource of match[2]!.split(' ')) {
      grants.set(resource, [...new Set([...(grants.get(resource) ?? []), ...actions])].sort());
    }
  }
  return grants;
};

describe('least privilege: each role allows what its own code calls', () => {
  // Every function: fan-out (the planner) and event-driven rescans (the rescan function).
  const { template } = synthMonitor({
    targetAccounts: ['111122223333'],
    targetOrganizationalUnit: 'ou-ab12-cd34ef56',
    externalId: 'stage-drift-7f3a',
    regions: ['eu-west-1'],
    // The key grants are asserted statement by statement; without a key there are none (below).
    customerManagedKey: true,
  });
  const tableId = logicalId(template, 'AWS::DynamoDB::Table', 'MonitorTable');
  const keyId = logicalId(template, 'AWS::KMS::Key', 'MonitorKey');
  const table = `<${tableId}.Arn>`;
  const roleOf = (name: string) => logicalId(template, 'AWS::IAM::Role', `Monitor${name}FunctionRole`);

  it.each([
    ['Snapshot', SNAPSHOT_ENTRY],
    ['Rescan', RESCAN_ENTRY],
    ['Planner', PLANNER_ENTRY],
    ['Publish', PUBLISH_ENTRY],
  ])(
    'grants the %s function exactly the DynamoDB calls of the code it runs, on the table (and GSI1 if it queries it)',
    async (name, entry) => {
      const code = await dynamoCallsOf(entry);
      const expected = new Map<string, string[]>();
      if (code.actions.length > 0) expected.set(table, code.actions);
      if (code.queriesAnIndex) expected.set(`${table}/index/${GSI1_NAME}`, ['dynamodb:Query']);
      if (name === 'Publish') {
        // Not the code's: Lambda's stream event source mapping reads the stream with the role.
        expected.set(`<${tableId}.StreamArn>`, [
          'dynamodb:DescribeStream',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
        ]);
        expected.set('*', ['dynamodb:ListStreams']);
      }
      expect(Object.fromEntries(grantsOf(template, roleOf(name), 'dynamodb'))).toEqual(
        Object.fromEntries(expected),
      );
    },
  );

  it('finds the store calls where they are (the grep sees what the scan sends)', async () => {
    const snapshot = await dynamoCallsOf(SNAPSHOT_ENTRY);
    expect(snapshot.files).toEqual(expect.arrayContaining(['shared/store/table-access.ts']));
    expect(snapshot.actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query']));
    expect((await dynamoCallsOf(PLANNER_ENTRY)).actions).toEqual([]);
  });

  it('grants no kms:ReEncrypt* to any role, and the table key to the scanning roles without it', () => {
    for (const id of Object.keys(template.findResources('AWS::IAM::Role'))) {
      expect(roleStatements(template, id).filter((l) => l.includes('kms:ReEncrypt'))).toEqual([]);
    }
    for (const name of ['Snapshot', 'Rescan']) {
      expect(roleStatements(template, roleOf(name))).toContain(
        `Allow kms:Decrypt,kms:DescribeKey,kms:Encrypt,kms:GenerateDataKey* on <${keyId}.Arn>`,
      );
    }
  });

  it('lets the AWS services use the key only for this account and its own rules and alarms', () => {
    const key = template.findResources('AWS::KMS::Key')[keyId]!;
    const statements = key.Properties.KeyPolicy.Statement as Record<string, unknown>[];
    const services = statements.filter((s) => (s.Principal as { Service?: string }).Service !== undefined);
    expect(services.map((s) => (s.Principal as { Service: string }).Service).sort()).toEqual([
      'cloudwatch.amazonaws.com',
      'events.amazonaws.com',
    ]);
    // By the names the construct gives them (a reference to the rules would be a cycle: key -> rules -> queue -> key).
    const ruleArns = Object.values(template.findResources('AWS::Events::Rule')).map(
      (rule) =>
        `arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/${rule.Properties.Name as string}`,
    );
    const conditionsOf = (service: string) => {
      const statement = services.find((s) => (s.Principal as { Service: string }).Service === service)!;
      return JSON.parse(JSON.stringify(statement.Condition)) as Record<string, Record<string, unknown>>;
    };
    const events = conditionsOf('events.amazonaws.com');
    expect(flat(events.StringEquals?.['aws:SourceAccount'])).toBe('<AWS::AccountId>');
    expect((events.ArnEquals?.['aws:SourceArn'] as unknown[]).map(flat).sort()).toEqual(ruleArns.sort());
    const alarms = conditionsOf('cloudwatch.amazonaws.com');
    expect(flat(alarms.StringEquals?.['aws:SourceAccount'])).toBe('<AWS::AccountId>');
    expect(flat(alarms.ArnLike?.['aws:SourceArn'])).toBe(
      'arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:*',
    );
    const actionsOf = (service: string) =>
      services.find((s) => (s.Principal as { Service: string }).Service === service)!.Action;
    // SQS producers' two actions; SNS's documented pair for services publishing to an encrypted topic.
    expect(actionsOf('events.amazonaws.com')).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(actionsOf('cloudwatch.amazonaws.com')).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
  });

  /** IAM's resource matching: `*` any run of characters (`/` included), `?` exactly one. */
  const matches = (pattern: string, resource: string) =>
    new RegExp(
      `^${pattern
        .split('')
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('')}$`,
    ).test(resource);

  it.each([
    ['/restapis/a1b2c3d4e5', true],
    ['/restapis/a1b2c3d4e5/stages', true],
    ['/apis/a1b2c3d4e5', true],
    ['/apis/a1b2c3d4e5/stages', true],
    ['/restapis', false],
    ['/apis', false],
    ['/restapis/a1b2c3d4e5/resources/abc123/methods/GET', false],
    ['/restapis/a1b2c3d4e5/deployments/abc123', false],
    ['/restapis/a1b2c3d4e5/stages/prod', false],
    ['/apis/a1b2c3d4e5/routes/abc1234', false],
    ['/apis/a1b2c3d4e5/integrations', false],
  ])('lets the rescan role GET %s: %s', (path, allowed) => {
    const resources = grantsOf(template, roleOf('Rescan'), 'apigateway');
    const arn = `arn:<AWS::Partition>:apigateway:eu-west-1::${path}`;
    expect([...resources.keys()].some((pattern) => matches(pattern, arn))).toBe(allowed);
  });
});

describe('least privilege without a customer-managed key (the default)', () => {
  it('grants no KMS action to any role: the AWS owned table key, SSE-SQS and the topic need none', () => {
    const { template } = synthMonitor({
      targetAccounts: ['111122223333'],
      targetOrganizationalUnit: 'ou-ab12-cd34ef56',
      externalId: 'stage-drift-7f3a',
      regions: ['eu-west-1'],
    });
    const actions = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((s) =>
        [s.Action].flat(),
      ),
    );
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => a.startsWith('kms:'))).toEqual([]);
    template.resourceCountIs('AWS::KMS::Key', 0);
  });
});
