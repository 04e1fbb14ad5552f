import { AWS_TEST_CREDENTIALS } from '../support/moto';

/**
 * The environment a scanning function (snapshot, rescan) starts with in these tests: every AWS
 * call to `endpoint` (moto) with moto's test keys, the table, and a request budget generous
 * enough that the small fleets never wait on it. Tests add what their case needs.
 */
export const scanningEnv = (endpoint: string, region: string, table: string): Record<string, string> => ({
  AWS_ENDPOINT_URL: endpoint,
  AWS_REGION: region,
  AWS_ACCESS_KEY_ID: AWS_TEST_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: AWS_TEST_CREDENTIALS.secretAccessKey,
  STAGE_DRIFT_TABLE: table,
  STAGE_DRIFT_REQUESTS_PER_SECOND: '10',
  STAGE_DRIFT_BURST: '40',
});
