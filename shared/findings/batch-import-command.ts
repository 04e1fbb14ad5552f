/**
 * BatchImportFindings with a schema of its own, sent by `SecurityHubClient`. The SDK's command
 * carries the schema of the whole ASFF (every resource's `Details`, ~125 KB once bundled), which
 * would push the snapshot bundle over its 500 KB target; the findings built here are plain JSON,
 * so this command sends each one as a document (the wire format is the same JSON body, `POST
 * /findings/import`), and reads the response as the SDK's does. Everything else (endpoints,
 * signing, retries, error parsing) is the SDK client's.
 */
import type {
  BatchImportFindingsCommand,
  BatchImportFindingsCommandInput,
} from '@aws-sdk/client-securityhub';
import { makeBuilder } from '@smithy/core/client';
import { getEndpointPlugin } from '@smithy/core/endpoints';

const NAMESPACE = 'com.amazonaws.securityhub';
/** Smithy schema codes (@smithy/core/schema `SCHEMA`): 0 string, 1 number, 15 document. */
const STRING = 0;
const NUMBER = 1;
const DOCUMENT = 15;

const importError = [
  3,
  NAMESPACE,
  'ImportFindingsError',
  0,
  ['Id', 'ErrorCode', 'ErrorMessage'],
  [STRING, STRING, STRING],
  3,
];
const importErrors = [1, NAMESPACE, 'ImportFindingsErrorList', 0, () => importError];
const findings = [1, NAMESPACE, 'BatchImportFindingsRequestFindingList', 0, DOCUMENT];
const request = [3, NAMESPACE, 'BatchImportFindingsRequest', 0, ['Findings'], [() => findings], 1];
const response = [
  3,
  NAMESPACE,
  'BatchImportFindingsResponse',
  0,
  ['FailedCount', 'SuccessCount', 'FailedFindings'],
  [NUMBER, NUMBER, () => importErrors],
  2,
];
const operation = [
  9,
  NAMESPACE,
  'BatchImportFindings',
  { http: ['POST', '/findings/import', 200] },
  () => request,
  () => response,
];

/** The endpoint parameters of Security Hub's rule set (the client's `commonParams`). */
const ENDPOINT_PARAMS = {
  UseFIPS: { type: 'builtInParams', name: 'useFipsEndpoint' },
  Endpoint: { type: 'builtInParams', name: 'endpoint' },
  Region: { type: 'builtInParams', name: 'region' },
  UseDualStack: { type: 'builtInParams', name: 'useDualstackEndpoint' },
} as const;

type Build = (
  ...args: unknown[]
) => new (input: BatchImportFindingsCommandInput) => BatchImportFindingsCommand;
const build = makeBuilder(
  ENDPOINT_PARAMS,
  'SecurityHubAPIService',
  'SecurityHubClient',
  getEndpointPlugin,
) as unknown as Build;

/**
 * `new BatchImportFindings({ Findings })`, for `SecurityHubClient.send`: typed as the SDK's
 * command (same input and output), built on the lean schema above.
 */
export const BatchImportFindings = build({}, () => [], 'BatchImportFindings', operation);
