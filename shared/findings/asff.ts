/**
 * Posture changes as Security Hub findings (the AWS Security Finding Format, ASFF): pure, no I/O.
 * One finding per stage × control, with a stable `Id`, so a later import of the same pair
 * replaces it (BatchImportFindings updates a finding of the same `ProductArn` and `Id`).
 */
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { StageKey } from '../model';
import type { ControlResult, ControlStatus, PostureChange, PostureControl, StagePosture } from '../posture';
import { controlTransitions, DEFAULT_CONTROLS } from '../posture';

export type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
/** The ASFF finding type of every stage-drift finding: a configuration check. */
export const FINDING_TYPE = 'Software and Configuration Checks/AWS Security Best Practices';
/** ASFF limits: Title 256, Description 1024 characters. */
const TITLE_MAX = 256;
const DESCRIPTION_MAX = 1024;

/** Where the findings are imported: the caller's account, as the default product requires. */
export interface FindingsTarget {
  /** The account calling BatchImportFindings; only its stages' findings are built (`AwsAccountId`). */
  readonly account: string;
  /** `aws`, `aws-cn`, `aws-us-gov`: of the product ARN and the stage ARNs. */
  readonly partition: string;
}

export interface BuildFindingsOptions extends FindingsTarget {
  /** The capture time of the scan: `CreatedAt` / `UpdatedAt` of every finding. */
  readonly capturedAt: Date;
  /** Titles, severities and links of the controls. @default DEFAULT_CONTROLS */
  readonly controls?: readonly PostureControl[];
}

export interface BuiltFindings {
  readonly findings: AwsSecurityFinding[];
  /**
   * Findings not built because their stage is in another account: BatchImportFindings with the
   * default product takes only the caller's own account's findings.
   */
  readonly otherAccounts: number;
}

/** `arn:<partition>:securityhub:<region>:<account>:product/<account>/default`: the account's own product. */
export const defaultProductArn = (partition: string, region: string, account: string): string =>
  `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`;

/** The stage's ARN: `/restapis/<id>/stages/<name>` (REST) or `/apis/<id>/stages/<name>` (HTTP, WebSocket). */
export const stageArn = (partition: string, key: StageKey): string =>
  `arn:${partition}:apigateway:${key.region}::/${key.apiType === 'REST' ? 'restapis' : 'apis'}/${key.apiId}/stages/${key.stageName}`;

/** One finding per stage × control: `stage-drift/<region>/<apiId>/<stage>/<control>` (no config values). */
export const findingId = (key: StageKey, controlId: string): string =>
  `stage-drift/${key.region}/${key.apiId}/${key.stageName}/${controlId}`;

/** `stage-drift/<controlId>`: the rule that generated the finding. */
export const generatorId = (controlId: string): string => `stage-drift/${controlId}`;

/** What to say about one control of one stage. */
interface Verdict {
  readonly result: ControlResult;
  /** The compliance status Security Hub shows. */
  readonly compliance: 'PASSED' | 'FAILED';
  /** ARCHIVED: the stage is gone or the control no longer applies to it. */
  readonly archived: boolean;
}

const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/** A stage's findings-worthy results: every PASSED or FAILED one (NOT_APPLICABLE files nothing). */
const activeVerdicts = (posture: StagePosture): Verdict[] =>
  posture.results.flatMap((result): Verdict[] =>
    result.status === 'NOT_APPLICABLE' ? [] : [{ result, compliance: result.status, archived: false }],
  );

/** A finding that no longer applies keeps its last compliance status, archived. */
const archivedVerdict = (result: ControlResult, last: Exclude<ControlStatus, 'NOT_APPLICABLE'>): Verdict => ({
  result,
  compliance: last,
  archived: true,
});

/**
 * What changed, control by control: a new stage (or a baseline) files every PASSED or FAILED
 * control; a deleted stage archives them; a changed stage files only the controls whose status
 * moved (a control that stops applying archives its finding, one that starts applying files one).
 */
const verdictsOf = (change: PostureChange): Verdict[] => {
  const { before, after } = change;
  if (after === undefined) {
    if (before === undefined) return [];
    return activeVerdicts(before).map((v) => archivedVerdict(v.result, v.compliance));
  }
  if (before === undefined) return activeVerdicts(after);
  const results = new Map(after.results.map((r) => [r.id, r]));
  return controlTransitions(before, after).flatMap((t): Verdict[] => {
    const result = results.get(t.id);
    if (result === undefined) return [];
    if (t.to !== 'NOT_APPLICABLE') return [{ result, compliance: t.to, archived: false }];
    return t.from === 'NOT_APPLICABLE' ? [] : [archivedVerdict(result, t.from)];
  });
};

const findingOf = (
  change: PostureChange,
  verdict: Verdict,
  control: PostureControl | undefined,
  options: BuildFindingsOptions,
): AwsSecurityFinding => {
  const { key, apiName } = change;
  const { result, compliance, archived } = verdict;
  const { partition } = options;
  const at = options.capturedAt.toISOString();
  const title = control?.title ?? result.id;
  const severity = control?.severity ?? 'MEDIUM';
  const gone = change.after === undefined ? 'the stage was deleted' : 'the control no longer applies';
  const description = archived
    ? `${title}. Archived: ${gone} (${result.reason}).`
    : `${title}. ${compliance === 'FAILED' ? 'Fails' : 'Passes'}: ${result.reason}.`;
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: findingId(key, result.id),
    ProductArn: defaultProductArn(partition, key.region, key.account),
    GeneratorId: generatorId(result.id),
    AwsAccountId: key.account,
    Types: [FINDING_TYPE],
    CreatedAt: at,
    UpdatedAt: at,
    Severity: { Label: severity },
    // Severity and Types of a finding that exists are the provider's to update through these.
    FindingProviderFields: { Severity: { Label: severity }, Types: [FINDING_TYPE] },
    Title: clip(`${result.id} ${title} (${apiName} ${key.stageName})`, TITLE_MAX),
    Description: clip(description, DESCRIPTION_MAX),
    ...(control?.url ? { Remediation: { Recommendation: { Text: title, Url: control.url } } } : {}),
    ProductFields: {
      'stage-drift/ControlId': result.id,
      'stage-drift/ApiType': key.apiType,
      ...(control ? { 'stage-drift/Source': control.source } : {}),
    },
    Resources: [
      {
        Type: key.apiType === 'REST' ? 'AwsApiGatewayStage' : 'AwsApiGatewayV2Stage',
        Id: stageArn(partition, key),
        Partition: partition as NonNullable<AwsSecurityFinding['Resources']>[number]['Partition'],
        Region: key.region,
      },
    ],
    Compliance: { Status: compliance },
    // Security Hub keeps the workflow of an existing finding for its users; it sets RESOLVED itself
    // when the compliance status turns PASSED, and NEW again when it turns FAILED.
    Workflow: { Status: compliance === 'FAILED' && !archived ? 'NEW' : 'RESOLVED' },
    RecordState: archived ? 'ARCHIVED' : 'ACTIVE',
  };
};

/**
 * The findings of a scan's posture changes, in the order given, control by control in table
 * order: only what changed (see {@link verdictsOf}), only the target account's stages.
 */
export const buildFindings = (
  changes: readonly PostureChange[],
  options: BuildFindingsOptions,
): BuiltFindings => {
  const controls = new Map((options.controls ?? DEFAULT_CONTROLS).map((c) => [c.id, c]));
  let otherAccounts = 0;
  const findings = changes.flatMap((change) => {
    const verdicts = verdictsOf(change);
    if (change.key.account !== options.account) {
      otherAccounts += verdicts.length;
      return [];
    }
    return verdicts.map((v) => findingOf(change, v, controls.get(v.result.id), options));
  });
  return { findings, otherAccounts };
};
