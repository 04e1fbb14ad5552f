/** The shapes of a setting's spec (settings.ts holds the table). Plain types: the construct library compiles this file. */
import type { ArnKind } from './aws-names';

export type SettingReader = 'snapshot' | 'rescan' | 'planner' | 'publish';

export interface EnvSpec {
  /** The variable. */
  readonly name: string;
  readonly readBy: readonly SettingReader[];
  /** Its key in `ENV` / `PUBLISH_ENV` and the function's config, when not the setting's name. */
  readonly key?: string;
  /**
   * Left out of the function's environment at its default (the function falls back to it), so
   * monitors deployed before the setting existed keep their template.
   */
  readonly unsetAtDefault?: true;
}

export interface ContextSpec {
  /** The construct prop it sets; none for the stack name. */
  readonly prop?: string;
  /** A value for `-c key=value`, as the messages and docs show it. */
  readonly example: string;
}

interface SpecBase {
  /** What it does, one line (Markdown; links relative to the repository root). */
  readonly doc: string;
  /** The default as the docs write it, where there is no default value or it reads better so. */
  readonly defaultDoc?: string;
  /** Set with `-c <name>=...` and as a prop; absent for what the construct passes to the functions. */
  readonly context?: ContextSpec;
  readonly env?: EnvSpec;
}

export interface NumberSpec extends SpecBase {
  readonly type: 'number' | 'integer';
  readonly default?: number;
  readonly min: number;
  readonly max: number;
}

export interface EnumSpec extends SpecBase {
  readonly type: 'enum';
  readonly values: readonly string[];
  readonly default: string;
  /** What a value is, for messages: `"x" is not a severity: use one of ...`. */
  readonly noun: string;
  /** The doc says what each value does; messages about a bad value quote it. */
  readonly docExplainsValues?: true;
}

export interface BooleanSpec extends SpecBase {
  readonly type: 'boolean';
  readonly default: boolean;
}

/** Minutes, from `min` to `max`. */
export interface DurationSpec extends SpecBase {
  readonly type: 'duration';
  readonly default: number;
  readonly min: number;
  readonly max: number;
}

export interface ArnSpec extends SpecBase {
  readonly type: 'arn';
  readonly arn: ArnKind;
}

export interface StringSpec extends SpecBase {
  readonly type: 'string' | 'stackName';
  readonly default?: string;
}

/** A comma list in `-c` and the environment; a JSON value; CloudWatch Logs retention days. */
export interface ValueSpec extends SpecBase {
  readonly type: 'list' | 'json' | 'logRetention';
  readonly default?: number;
}

export type SettingSpec =
  NumberSpec | EnumSpec | BooleanSpec | DurationSpec | ArnSpec | StringSpec | ValueSpec;
