import { readFileSync } from 'node:fs';
import type { PostureControl, PostureRule } from '../../shared/posture';
import { compilePostureRules, DEFAULT_CONTROLS, PostureConfigError } from '../../shared/posture';
import { UsageError } from '../errors';
import { readJsonFile } from './read-json-file';

/** The option's flag and its help line, for the commands that register it. */
export const POSTURE_RULES_FLAG = '--posture-rules <file>';
export const POSTURE_RULES_HELP =
  'a JSON file of your own posture rules, the `postureRules` setting\'s form (README "Posture")';

type ReadFile = (path: string) => string;

const readUtf8: ReadFile = (path) => readFileSync(path, 'utf8');

/**
 * The rules of a `--posture-rules` file, checked (the `postureRules` setting's JSON: a list of
 * rules). Every failure is one line naming the file and, for a bad rule, its field, e.g.
 * `rules.json: postureRules[0].expect[1].paths: must be a non-empty list of dot patterns, ...`,
 * as a UsageError (exit code 2). No file: no rules.
 */
export const readPostureRules = (path: string | undefined, readFile: ReadFile = readUtf8): PostureRule[] => {
  if (path === undefined) return [];
  const document = readJsonFile(path, readFile, '--posture-rules');
  try {
    compilePostureRules(document);
  } catch (error) {
    if (!(error instanceof PostureConfigError)) throw error;
    throw new UsageError(`${path}: ${error.message}`, { cause: error });
  }
  return document as PostureRule[];
};

/**
 * The controls a command evaluates with `--posture-rules <file>`: the Security Hub controls
 * (DEFAULT_CONTROLS), then the file's rules; DEFAULT_CONTROLS alone when the option is not given.
 * Throws a UsageError (exit code 2) naming the file and the field, see {@link readPostureRules}.
 */
export const readPostureRulesOption = (
  path: string | undefined,
  readFile: ReadFile = readUtf8,
): PostureControl[] => [...DEFAULT_CONTROLS, ...compilePostureRules(readPostureRules(path, readFile))];
