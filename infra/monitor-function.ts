import type { Duration } from 'aws-cdk-lib';
import { RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LOCK_FILE, METRICS_NAMESPACE, PROJECT_ROOT } from './runtime-contract';

/** The newest Node.js runtime of the installed aws-cdk-lib (cdk-nag's L1 rule checks exactly this). */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;
export const FUNCTION_ARCHITECTURE = Architecture.ARM_64;

/**
 * ESM bundles keep CommonJS dependencies that call `require` working (esbuild's documented
 * banner); `node:module` is a built-in, so the banner adds no bytes to load.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __stageDriftCreateRequire } from 'node:module'; const require = __stageDriftCreateRequire(import.meta.url);";

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
 * SDK bundled, external source maps), arm64, the newest Node.js runtime, an explicit log group
 * with retention, a role of its own whose only built-in permission is writing to that log group
 * (no `AWSLambdaBasicExecutionRole`: it allows writing to every log group), and the Powertools
 * environment.
 */
export class MonitorFunction extends Construct {
  readonly function: NodejsFunction;
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
    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: LOCK_FILE,
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
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        // Bundling the SDK loads faster than the runtime's copy (docs: TOOLCHAIN.md "Bundles").
        bundleAwsSDK: true,
        banner: ESM_REQUIRE_BANNER,
      },
    });
  }
}
