import type { BundlingOptions, Duration, ILocalBundling } from 'aws-cdk-lib';
import { AssetHashType, RemovalPolicy } from 'aws-cdk-lib';
import type { Policy } from 'aws-cdk-lib/aws-iam';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { policyOnEveryResource } from './nag-acknowledgements';
import {
  BUNDLE_FILE,
  BUNDLE_HANDLER,
  FUNCTION_BUNDLES,
  METRICS_NAMESPACE,
  PREBUILT_ASSETS_DIR,
  PROJECT_ROOT,
  RUNS_FROM_SOURCE,
} from './runtime-contract';

/** The newest Node.js runtime of the installed aws-cdk-lib (cdk-nag's L1 rule checks exactly this). */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;
export const FUNCTION_ARCHITECTURE = Architecture.ARM_64;

/**
 * Each function's memory (MB), sized from the peak RSS `npm run bench` measures (bench/RESULTS.md)
 * with headroom, not more: a scan mostly waits on the request budget, and Lambda bills memory ×
 * that wait. CPU scales with memory (1,769 MB = 1 vCPU), which only the cold start notices here.
 * - snapshot 384: peak RSS 238 MB in the first scan of the maximal account (1,200 APIs, 12,000
 *   stages; bench (b)–(d) on 2026-12-04: 238, 167, 164 MB), 1.6x; a fan-out task is one scope in
 *   its environment, no more.
 * - rescan 256: the same scan modules and the scope's latest items, one API read: the unchanged
 *   rescan of the maximal account, 167 MB, is its bound (1.5x).
 * - planner 128 and publish 128: 53 and 54 MB after loading the bundle (`node` 20 importing
 *   dist/assets/<function>/index.mjs), working sets of a task list and a stream batch of 25, 2.4x.
 * See docs/deploy.md, "What is deployed".
 */
export const FUNCTION_MEMORY_MB = { snapshot: 384, rescan: 256, planner: 128, publish: 128 } as const;

/** The bundling script (it runs infra/bundle/bundle-function.ts), run with tsx in a child `node`. */
export const BUNDLE_SCRIPT = path.join(__dirname, 'bundle', 'bundle-cli.ts');

/**
 * Local bundling with the project's esbuild and its plugins (infra/bundle). `tryBundle` is
 * synchronous and esbuild runs plugins only in its asynchronous `build()`, so the bundle is built
 * in a child process. `entry` is a field, not only a closure: CDK keys its asset cache on the
 * bundling options as JSON, and two functions must not share one bundle.
 */
class EsbuildLocalBundling implements ILocalBundling {
  constructor(readonly entry: string) {}

  tryBundle(outputDir: string, _options: BundlingOptions): boolean {
    const tsx = pathToFileURL(require.resolve('tsx')).href;
    const run = spawnSync(process.execPath, ['--import', tsx, BUNDLE_SCRIPT, this.entry, outputDir], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (run.error) {
      throw new Error(`could not start the bundling of ${this.entry}: ${run.error.message}`, {
        cause: run.error,
      });
    }
    if (run.status !== 0) {
      throw new Error(`bundling ${this.entry} failed (exit ${String(run.status)}):\n${run.stderr}`);
    }
    // esbuild's warnings, if any.
    if (run.stderr) process.stderr.write(run.stderr);
    return true;
  }
}

/**
 * The function's code: bundled from source at synth in this repository (`RUNS_FROM_SOURCE`), the
 * package's prebuilt bundle once installed. A package without its bundle was not built with
 * `npm run package`: say so rather than deploy a function without code.
 */
export const functionCode = (entry: string): Code => {
  if (RUNS_FROM_SOURCE) {
    return Code.fromAsset(PROJECT_ROOT, {
      assetHashType: AssetHashType.OUTPUT,
      bundling: { image: FUNCTION_RUNTIME.bundlingImage, local: new EsbuildLocalBundling(entry) },
    });
  }
  const bundle = FUNCTION_BUNDLES.find((b) => b.entry === entry);
  if (!bundle) throw new Error(`stage-drift: no prebuilt bundle is defined for ${entry}`);
  const dir = path.join(PREBUILT_ASSETS_DIR, bundle.name);
  if (!existsSync(path.join(dir, BUNDLE_FILE))) {
    throw new Error(
      `stage-drift: the prebuilt bundle of the ${bundle.name} function is missing (${path.join(dir, BUNDLE_FILE)}). ` +
        'The package was not built with `npm run package`: reinstall stage-drift from the registry or a packed tarball.',
    );
  }
  return Code.fromAsset(dir);
};

export interface MonitorFunctionProps {
  /** The handler file (it exports `handler`). */
  readonly entry: string;
  readonly description: string;
  /** Powertools service name: the logger's `service` key and the metrics' `service` dimension. */
  readonly serviceName: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  /** @default - no reserved concurrency */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * A monitor Lambda with the house defaults in one place: local esbuild bundle (minified ESM,
 * SDK bundled, external source maps, the SDK size plugins: infra/bundle), arm64, the newest
 * Node.js runtime, an explicit log group with retention, a role of its own whose only built-in
 * permission is writing to that log group (no `AWSLambdaBasicExecutionRole`: it allows writing
 * to every log group), and the Powertools environment.
 *
 * The asset is staged as `NodejsFunction` stages it: the project root as the source, hashed by
 * its output, bundled locally; the Docker image is required by CDK's types and never used. An
 * app with bundling skipped (`aws:cdk:bundling-stacks: []`) builds nothing.
 */
export class MonitorFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: MonitorFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      // Operational logs only (no secrets, no stage variable values); the table keeps the history.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `stage-drift: execution role of ${props.serviceName}`,
    });
    this.logGroup.grantWrite(this.role);
    this.function = new LambdaFunction(this, 'Function', {
      code: functionCode(props.entry),
      handler: BUNDLE_HANDLER,
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: FUNCTION_ARCHITECTURE,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });
  }

  /**
   * Grants `actions`, which have no resource-level permissions, on `*` in a policy of its own
   * (`policyOnEveryResource`: the cdk-nag acknowledgement covers that policy only). The function
   * is created after it, so its first run already has the permission.
   */
  allowOnEveryResource(
    id: string,
    statement: { sid: string; actions: readonly string[] },
    reason: string,
  ): Policy {
    const policy = policyOnEveryResource(this, id, this.role, statement, reason);
    this.function.node.addDependency(policy);
    return policy;
  }
}
