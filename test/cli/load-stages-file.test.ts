import { loadStagesFile } from '../../cli/commands/load-stages-file';
import type { CliIo } from '../../cli/io';
import { UsageError } from '../../cli/errors';

// A file that is not JSON: the error says where and how to fix it, never the text around the
// error (V8's own message quotes it: `..."Password":S3cr3t-Hun"... is not valid JSON`).

const ioReading = (text: string): CliIo => ({
  stdout: () => undefined,
  stderr: () => undefined,
  readFile: () => Promise.resolve(text),
  env: {},
});

const errorOf = async (text: string): Promise<UsageError> => {
  const error = await loadStagesFile('before.json', ioReading(text), (d) => d).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
};

describe('loadStagesFile', () => {
  it('names the line and column of a JSON error and the fix, never the secret next to it', async () => {
    const text = '{\n  "item": [\n    { "variables": { "Password": S3cr3t-Hunter2 } }\n  ]\n}\n';
    const error = await errorOf(text);
    expect(error.message).toBe(
      'before.json: not valid JSON at line 3, column 34: check for a missing quote or comma near there ' +
        '(keys and strings take double quotes)',
    );
    // Nothing of the text, in the message or in anything a logger could print with it.
    const printed = [error.message, String(error), error.stack, JSON.stringify(error), String(error.cause)];
    for (const fragment of ['S3cr3t', 'Hunter', 'Password', 'variables']) {
      expect(printed.join('\n')).not.toContain(fragment);
    }
  });

  it('says so when the file ends too soon', async () => {
    expect((await errorOf('{"item": [')).message).toBe(
      'before.json: not valid JSON: it ends at line 1, column 11 before the document is complete: ' +
        'check for a missing closing bracket, brace or quote',
    );
  });

  it('says so when the file is empty', async () => {
    expect((await errorOf('')).message).toBe('before.json: not valid JSON: it is empty');
  });
});
