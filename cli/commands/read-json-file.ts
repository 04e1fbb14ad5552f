import { describeJsonSyntaxError } from '../../shared/model';
import { UsageError } from '../errors';

/** An error's message, or the thrown value as a string. */
export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** ` (--option)` after a message when an option is named, else nothing. */
const optionTail = (option: string | undefined): string => (option === undefined ? '' : ` (${option})`);

/**
 * The one-line UsageError for a JSON file that could not be read, naming the file (and the
 * option it was given to, e.g. `rules.json: no such file (--posture-rules)`), the read error
 * as its cause.
 */
export const unreadableFileError = (path: string, error: unknown, option?: string): UsageError => {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'is a directory, not a file'
        : errorMessage(error);
  return new UsageError(`${path}: ${why}${optionTail(option)}`, { cause: error });
};

/** The JSON document of a file's text; a syntax error is a one-line UsageError naming the file (and the option). */
export const parseJsonFile = (path: string, text: string, option?: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    // Not V8's message, nor it as the cause: it quotes the text around the error, maybe a secret.
    throw new UsageError(`${path}: ${describeJsonSyntaxError(text)}${optionTail(option)}`);
  }
};

/** A JSON file read and parsed with `readFile`; every failure is a one-line UsageError naming the file (and the option). */
export const readJsonFile = (path: string, readFile: (path: string) => string, option?: string): unknown => {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    throw unreadableFileError(path, error, option);
  }
  return parseJsonFile(path, text, option);
};
