import { Token } from 'aws-cdk-lib';
import { ConfigError, parseArn } from '../shared/config';

/** How the Slack webhook secret was given. */
export type SlackSecretRef =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'completeArn'; readonly arn: string }
  | { readonly kind: 'partialArn'; readonly arn: string };

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** Secrets Manager appends a hyphen and 6 random characters to the name in a secret's complete ARN. */
const COMPLETE_ARN_SUFFIX = /-[A-Za-z0-9]{6}$/;
/** A URL (`scheme://`) or a Slack webhook host: the secret's value given instead of its name. */
const LOOKS_LIKE_URL = /^[a-z][a-z0-9+.-]*:\/\/|hooks\.slack(?:-gov)?\.com/i;

/** The `slackWebhookSecret` prop: a secret name or ARN, never the webhook URL (never repeated in errors). */
export const validateSlackSecret = (value: string | undefined): SlackSecretRef | undefined => {
  if (value === undefined) return undefined;
  const fix =
    'give the secret name (e.g. stage-drift/slack) or its complete ARN, ' +
    'arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>';
  if (typeof value !== 'string' || value.trim() === '')
    throw new ConfigError('slackWebhookSecret', `empty: ${fix}`);
  if (Token.isUnresolved(value)) {
    throw new ConfigError('slackWebhookSecret', `must be a literal name or ARN, not a token: ${fix}`);
  }
  // Never repeat the value: it is the webhook URL itself, a secret that would land in logs.
  if (LOOKS_LIKE_URL.test(value)) {
    throw new ConfigError(
      'slackWebhookSecret',
      "this looks like a webhook URL; store it in Secrets Manager and pass the secret's name " +
        '(e.g. stage-drift/slack) or ARN',
    );
  }
  if (value.startsWith('arn:')) {
    const arn = parseArn('secret', value);
    if (!arn) {
      throw new ConfigError('slackWebhookSecret', `"${value}" is not a Secrets Manager secret ARN: ${fix}`);
    }
    return COMPLETE_ARN_SUFFIX.test(arn.resource)
      ? { kind: 'completeArn', arn: value }
      : { kind: 'partialArn', arn: value };
  }
  if (!SECRET_NAME.test(value)) {
    // Not repeated either: an invalid name may be a pasted secret.
    throw new ConfigError(
      'slackWebhookSecret',
      `not a valid secret name (letters, digits and /_+=.@- only, up to 512): ${fix}`,
    );
  }
  return { kind: 'name', name: value };
};
