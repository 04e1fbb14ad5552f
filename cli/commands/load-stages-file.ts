import type { CliIo } from '../io';
import { UsageError } from '../errors';
import { errorMessage, parseJsonFile, unreadableFileError } from './read-json-file';

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
    throw unreadableFileError(path, error);
  }
  const document = parseJsonFile(path, text);
  try {
    return parse(document);
  } catch (error) {
    throw new UsageError(`${path}: ${errorMessage(error)}`, { cause: error });
  }
};
