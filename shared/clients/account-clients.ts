import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { STSClient } from '@aws-sdk/client-sts';

/**
 * The caller's own clients beside the scopes' (STS: who am I, and AssumeRole; DynamoDB: the
 * table). The SDK's defaults otherwise (its retries included): only the scopes' clients leave
 * retrying to the collector.
 */
export interface AccountClientOptions {
  /** @default the SDK's resolution (`AWS_REGION`, the profile) */
  readonly region?: string;
  /** @default the SDK's resolution (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`, else AWS) */
  readonly endpoint?: string;
}

const accountClientConfig = (options: AccountClientOptions) => ({
  ...(options.region === undefined ? {} : { region: options.region }),
  ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
});

export const createStsClient = (options: AccountClientOptions = {}): STSClient =>
  new STSClient(accountClientConfig(options));

export const createDynamoClient = (options: AccountClientOptions = {}): DynamoDBClient =>
  new DynamoDBClient(accountClientConfig(options));

/**
 * The region the SDK would use with no region given (its provider chain: the environment, then
 * the shared config file's profile); undefined when it finds none.
 */
export const sdkDefaultRegion = async (): Promise<string | undefined> => {
  try {
    return await createStsClient().config.region();
  } catch {
    return undefined;
  }
};
