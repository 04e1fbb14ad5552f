/** What stands in for a webhook URL in any message, error or log line. */
export const REDACTED_URL = '[redacted webhook URL]';

const SLACK_HOOK_URL = /https?:\/\/hooks\.slack(?:-gov)?\.com\/[^\s"'<>)\]]*/gi;

/**
 * `text` with every Slack incoming-webhook URL, and each of `secrets` (also URL-encoded),
 * replaced by {@link REDACTED_URL}. Used on anything an error or a log line could carry.
 */
export const redactSecrets = (text: string, secrets: readonly string[] = []): string => {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 8) continue; // too short to be a URL; replacing it would mangle text
    for (const form of new Set([secret, encodeURIComponent(secret)]))
      out = out.split(form).join(REDACTED_URL);
  }
  return out.replace(SLACK_HOOK_URL, REDACTED_URL);
};

/** A short, safe description of an unexpected error: its name and redacted message. */
export const describeError = (error: unknown, secrets: readonly string[] = []): string => {
  if (error instanceof Error) return redactSecrets(`${error.name}: ${error.message}`, secrets);
  return redactSecrets(String(error), secrets);
};
