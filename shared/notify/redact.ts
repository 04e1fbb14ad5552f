/** What stands in for a webhook URL in any message, error or log line. */
export const REDACTED_URL = '[redacted webhook URL]';

const SLACK_HOOK_URL = /https?:\/\/hooks\.slack(?:-gov)?\.com\/[^\s"'<>)\]]*/gi;

/** A secret to take out of text: its literal value, or a pattern (e.g. a channel's webhook URLs). */
export type Secret = string | RegExp;

const everywhere = (pattern: RegExp): RegExp =>
  pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);

/**
 * `text` with every Slack incoming-webhook URL, and each of `secrets` (a value, also URL-encoded,
 * or every match of a pattern), replaced by {@link REDACTED_URL}. Used on anything an error or a
 * log line could carry.
 */
export const redactSecrets = (text: string, secrets: readonly Secret[] = []): string => {
  let out = text;
  for (const secret of secrets) {
    if (typeof secret !== 'string') {
      out = out.replace(everywhere(secret), REDACTED_URL);
      continue;
    }
    if (secret.length < 8) continue; // too short to be a URL; replacing it would mangle text
    for (const form of new Set([secret, encodeURIComponent(secret)]))
      out = out.split(form).join(REDACTED_URL);
  }
  return out.replace(SLACK_HOOK_URL, REDACTED_URL);
};

/** A short, safe description of an unexpected error: its name and redacted message. */
export const describeError = (error: unknown, secrets: readonly Secret[] = []): string => {
  if (error instanceof Error) return redactSecrets(`${error.name}: ${error.message}`, secrets);
  return redactSecrets(String(error), secrets);
};
