import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { StageDriftMonitor } from '../../infra/stage-drift-monitor';
import type { StageDriftMonitorProps } from '../../infra/stage-drift-monitor-props';
import { ChangeKind, OutOfBandMode, Severity } from '../../infra/monitor-structs';
import { StageDriftStack } from '../../infra/stage-drift-stack';
import { testApp } from './support/synth';

/**
 * The template of each configuration below, and the construct tree behind it (every path in
 * order, its metadata: the cdk-nag acknowledgements, its dependencies), must stay exactly what the
 * baselines in __baselines__/ record: a refactoring of the construct that changes a logical id
 * replaces the resource on deploy. The comparison is of the JSON text, so the order of resources,
 * statements and properties counts too. Asset hashes (of the bundles, which change with the
 * handlers' code) are the only thing normalized.
 *
 * A deliberate change to the template: regenerate with `UPDATE_BASELINES=1 npx jest
 * test/infra/template-unchanged` and review the diff of the baseline files.
 */
const BASELINES = path.join(__dirname, '__baselines__');
const UPDATE = process.env.UPDATE_BASELINES === '1';
const OU = 'ou-ab12-cd34ef56';

const monitorStack = (
  props: StageDriftMonitorProps | ((stack: Stack) => StageDriftMonitorProps),
  stackProps: StackProps = {},
): Stack => {
  const stack = new Stack(testApp(), 'Test', stackProps);
  new StageDriftMonitor(stack, 'Monitor', typeof props === 'function' ? props(stack) : props);
  return stack;
};

const CONFIGURATIONS: readonly (readonly [name: string, build: () => Stack])[] = [
  ['default', () => monitorStack({})],
  [
    'fan-out',
    () =>
      monitorStack({
        targetAccounts: ['111122223333', '444455556666'],
        externalId: 'stage-drift-7f3a',
      }),
  ],
  [
    'fan-out-organizational-unit',
    () =>
      monitorStack(
        {
          // The monitor's own account among the targets: no AssumeRole on it.
          targetAccounts: ['111122223333', '444455556666'],
          targetOrganizationalUnit: OU,
          externalId: 'stage-drift-7f3a',
          maxConcurrentScans: 20,
          regions: ['eu-west-1', 'us-east-1'],
        },
        { env: { account: '111122223333', region: 'eu-west-1' } },
      ),
  ],
  [
    'every-option',
    () =>
      monitorStack((stack) => ({
        schedule: Duration.minutes(5),
        regions: ['eu-west-1', 'us-east-1'],
        requestsPerSecond: 4,
        burst: 8,
        concurrency: 6,
        severityOverrides: [
          { path: 'tags.**', severity: Severity.INFO },
          { path: 'variables.*', severity: Severity.HIGH, kind: ChangeKind.CHANGED },
        ],
        ignore: {
          paths: ['deploymentId'],
          stages: [{ apiId: 'a1b2c3d4e5', stageName: 'dev' }],
          tag: { key: 'drift', value: 'ignore' },
        },
        revealVariables: ['LOG_LEVEL'],
        outOfBand: OutOfBandMode.DOWNGRADE,
        slackWebhookSecret: 'stage-drift/slack',
        slackMinSeverity: Severity.HIGH,
        slackDigestThreshold: 3,
        emailSubscriptions: ['ops@example.com', 'sec@example.com'],
        retentionDays: 30,
        existingTopic: Topic.fromTopicArn(stack, 'Drift', 'arn:aws:sns:eu-west-1:111122223333:drift'),
        existingTable: Table.fromTableAttributes(stack, 'Existing', {
          tableArn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/Drift',
          tableStreamArn:
            'arn:aws:dynamodb:eu-west-1:111122223333:table/Drift/stream/2026-01-01T00:00:00.000',
          encryptionKey: Key.fromKeyArn(
            stack,
            'ExistingKey',
            'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
          ),
        }),
        removalPolicy: RemovalPolicy.DESTROY,
        operationsTopic: Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:eu-west-1:111122223333:ops'),
        logRetention: RetentionDays.ONE_MONTH,
        targetAccounts: ['444455556666'],
        targetOrganizationalUnit: OU,
        readerRoleName: 'DriftReader',
        externalId: 'stage-drift-7f3a',
        maxConcurrentScans: 5,
      })),
  ],
  [
    'own-table-and-topic-with-every-channel',
    () =>
      monitorStack((stack) => ({
        slackWebhookSecret: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack-AbC123',
        emailSubscriptions: ['ops@example.com'],
        operationsTopic: new Topic(stack, 'Ops'),
        removalPolicy: RemovalPolicy.DESTROY,
      })),
  ],
  [
    'without-event-driven-rescans',
    () =>
      monitorStack({
        eventDrivenRescans: false,
        slackWebhookSecret: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack',
      }),
  ],
  [
    'stack',
    () =>
      new StageDriftStack(testApp(), 'StageDrift', {
        monitor: { regions: ['eu-west-1', 'us-east-1'], emailSubscriptions: ['ops@example.com'] },
      }),
  ],
];

const ASSET_HASH = /[0-9a-f]{64}/g;

/** Where CDK recorded each construct's creation: a stack trace, which names our source lines. */
const CREATION_STACK = 'aws:cdk:creationStack';

/** Every construct of the stack in tree order: its path, metadata (creation traces left out) and dependencies. */
const constructTree = (stack: Stack) =>
  stack.node.findAll().map((construct) => {
    const metadata = construct.node.metadata
      .filter(({ type }) => type !== CREATION_STACK)
      .map(({ type, data }) => ({ type, data: stack.resolve(data) as unknown }));
    const dependencies = construct.node.dependencies.map((d) => d.node.path);
    return {
      path: construct.node.path,
      ...(metadata.length > 0 ? { metadata } : {}),
      ...(dependencies.length > 0 ? { dependencies } : {}),
    };
  });

const render = (stack: Stack): string => {
  const template = Template.fromStack(stack).toJSON();
  const text = JSON.stringify({ template, constructs: constructTree(stack) }, null, 2);
  return `${text.replace(ASSET_HASH, '[ASSET_HASH]')}\n`;
};

type Json = Record<string, unknown>;

/** What differs first, by resource (then output, then construct), readably. */
const firstDifference = (expected: string, actual: string): string => {
  const e = JSON.parse(expected) as { template: Json; constructs: Json[] };
  const a = JSON.parse(actual) as { template: Json; constructs: Json[] };
  for (const section of Object.keys({ ...e.template, ...a.template })) {
    const es = (e.template[section] ?? {}) as Json;
    const as = (a.template[section] ?? {}) as Json;
    const eIds = Object.keys(es);
    const aIds = Object.keys(as);
    const missing = eIds.filter((id) => !(id in as));
    const added = aIds.filter((id) => !(id in es));
    if (missing.length > 0 || added.length > 0) {
      return `${section}: logical ids gone: [${missing.join(', ')}]; new: [${added.join(', ')}]`;
    }
    for (const id of eIds) {
      const ej = JSON.stringify(es[id], null, 2);
      const aj = JSON.stringify(as[id], null, 2);
      if (ej !== aj) return `${section}.${id} differs.\n--- baseline\n${ej}\n+++ now\n${aj}`;
    }
    if (eIds.join() !== aIds.join()) {
      return `${section}: same content, other order.\nbaseline: ${eIds.join(', ')}\nnow:      ${aIds.join(', ')}`;
    }
  }
  const count = Math.max(e.constructs.length, a.constructs.length);
  for (let i = 0; i < count; i++) {
    const ej = JSON.stringify(e.constructs[i], null, 2);
    const aj = JSON.stringify(a.constructs[i], null, 2);
    if (ej !== aj) return `construct #${i} differs.\n--- baseline\n${ej}\n+++ now\n${aj}`;
  }
  return 'the texts differ outside the resources and the construct tree';
};

describe('the synthesized template', () => {
  it.each(CONFIGURATIONS)('of the %s configuration is the baseline, byte for byte', (name, build) => {
    const file = path.join(BASELINES, `${name}.json`);
    const actual = render(build());
    if (UPDATE || !existsSync(file)) {
      if (!UPDATE) throw new Error(`no baseline ${file}: write it with UPDATE_BASELINES=1`);
      mkdirSync(BASELINES, { recursive: true });
      writeFileSync(file, actual);
      return;
    }
    const expected = readFileSync(file, 'utf8');
    if (actual !== expected) {
      throw new Error(`the ${name} template changed: ${firstDifference(expected, actual)}`);
    }
  });
});
