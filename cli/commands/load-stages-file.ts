import { describeJsonSyntaxError } from '../../shared/model';
import type { CliIo } from '../io';
import { UsageError } from '../errors';

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Reads and parses one JSON file; every failure becomes a one-line UsageError naming the file. */
export const loadStagesFile = async <T>(
  path: string,
  io: CliIo,
  parse: (document: unknown) => T,
): Promise<T> => {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : errorMessage(error);
    throw new UsageError(`${path}: ${why}`, { cause: error });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    // Not V8's message, nor it as the cause: it quotes the text around the error, maybe a secret.
    throw new UsageError(`${path}: ${describeJsonSyntaxError(text)}`);
  }
  try {
    return parse(document);
  } catch (error) {
    throw new UsageError(`${path}: ${errorMessage(error)}`, { cause: error });
  }
};
