import { DiffConfigError } from './errors';

/** One segment of a dot path pattern. */
export type PathPatternSegment =
  /** `**`: any number of segments, including none. */
  | { readonly kind: 'any-depth' }
  /** `*`: exactly one segment, whatever it is. */
  | { readonly kind: 'any' }
  /** A segment with `*` / `?` inside, e.g. `aws:*`: one segment matching the glob. */
  | { readonly kind: 'glob'; readonly regex: RegExp }
  /** A segment matched exactly, e.g. `methodSettings` or `GET /pets`. */
  | { readonly kind: 'literal'; readonly value: string };

/**
 * A parsed dot path pattern, e.g. `tags.**`, `methodSettings.*.loggingLevel`,
 * `routeSettings.GET /pets.throttlingRateLimit`.
 *
 * Grammar: segments separated by `.`; a segment that is exactly `*` matches one segment, exactly
 * `**` matches any depth (zero or more segments); `*` and `?` inside a segment glob within that
 * segment (`tags.aws:*`). `\` escapes `.`, `*`, `?` and `\`, so keys holding them can be named
 * exactly: the catch-all method settings key alone is `methodSettings.` + `\*` + `/` + `\*`, while
 * the unescaped star-slash-star segment globs every `resource/METHOD` key.
 * {@link formatPathAsPattern} writes any path as a pattern matching exactly that path.
 */
export interface PathPattern {
  readonly source: string;
  readonly segments: readonly PathPatternSegment[];
}

const ESCAPABLE = new Set(['.', '*', '?', '\\']);
const HOW_TO =
  "write segments separated by single dots, '*' for one segment, '**' for any depth, e.g. 'tags.**' or 'methodSettings.*.loggingLevel'";

interface RawChar {
  readonly ch: string;
  readonly escaped: boolean;
}

const splitSegments = (pattern: string, field: string): RawChar[][] => {
  const bad = (what: string): DiffConfigError =>
    new DiffConfigError(field, `bad path pattern ${JSON.stringify(pattern)}: ${what}; ${HOW_TO}`);
  const segments: RawChar[][] = [[]];
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i += 1) {
    const ch = chars[i] as string;
    const current = segments[segments.length - 1] as RawChar[];
    if (ch === '\\') {
      const next = chars[i + 1];
      if (next === undefined) throw bad("it ends with a lone '\\'");
      if (!ESCAPABLE.has(next))
        throw bad(`'\\${next}' is not an escape (only '\\.', '\\*', '\\?' and '\\\\' are)`);
      current.push({ ch: next, escaped: true });
      i += 1;
    } else if (ch === '.') {
      segments.push([]);
    } else {
      current.push({ ch, escaped: false });
    }
  }
  segments.forEach((segment, index) => {
    if (segment.length === 0) throw bad(`segment ${index + 1} is empty`);
  });
  return segments;
};

const toSegment = (raw: readonly RawChar[], pattern: string, field: string): PathPatternSegment => {
  const text = raw.map((c) => c.ch).join('');
  const wild = raw.filter((c) => !c.escaped && (c.ch === '*' || c.ch === '?'));
  if (wild.length === 0) return { kind: 'literal', value: text };
  if (raw.length === 1 && wild.length === 1 && text === '*') return { kind: 'any' };
  if (raw.length === 2 && wild.length === 2 && text === '**') return { kind: 'any-depth' };
  const source = raw
    .map((c, i) => {
      if (c.escaped || (c.ch !== '*' && c.ch !== '?')) return c.ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      if (c.ch === '*' && raw[i + 1]?.ch === '*' && raw[i + 1]?.escaped === false) {
        throw new DiffConfigError(
          field,
          `bad path pattern ${JSON.stringify(pattern)}: '**' must be a whole segment (in ${JSON.stringify(text)}); ${HOW_TO}`,
        );
      }
      return c.ch === '*' ? '.*' : '.';
    })
    .join('');
  return { kind: 'glob', regex: new RegExp(`^${source}$`, 'su') };
};

/**
 * Parses a dot path pattern. Throws a {@link DiffConfigError} naming `field` (default `pattern`) and
 * saying how to write it when the pattern is empty, has an empty segment, a bad escape, or a `**`
 * that is not a whole segment.
 */
export const parsePathPattern = (pattern: string, field = 'pattern'): PathPattern => {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    throw new DiffConfigError(field, `a path pattern must be a non-empty string; ${HOW_TO}`);
  }
  const segments = splitSegments(pattern, field).map((raw) => toSegment(raw, pattern, field));
  return { source: pattern, segments };
};

const segmentMatches = (segment: PathPatternSegment, value: string): boolean => {
  switch (segment.kind) {
    case 'any':
    case 'any-depth':
      return true;
    case 'glob':
      return segment.regex.test(value);
    case 'literal':
      return segment.value === value;
  }
};

const matchFrom = (
  segments: readonly PathPatternSegment[],
  si: number,
  path: readonly string[],
  pi: number,
): boolean => {
  const segment = segments[si];
  if (segment === undefined) return pi === path.length;
  if (segment.kind === 'any-depth') {
    for (let next = pi; next <= path.length; next += 1) {
      if (matchFrom(segments, si + 1, path, next)) return true;
    }
    return false;
  }
  const value = path[pi];
  if (value === undefined || !segmentMatches(segment, value)) return false;
  return matchFrom(segments, si + 1, path, pi + 1);
};

/** Whether `path` (segments from the config root) matches the whole pattern. */
export const matchesPathPattern = (pattern: PathPattern, path: readonly string[]): boolean =>
  matchFrom(pattern.segments, 0, path, 0);

/**
 * Whether `path` or one of the paths above it matches the pattern: a pattern names a subtree, so
 * `methodSettings.*` covers each field of an entry and `accessLogSettings` each of its members.
 */
export const matchesPathOrAbove = (pattern: PathPattern, path: readonly string[]): boolean => {
  for (let length = path.length; length >= 1; length -= 1) {
    if (matchFrom(pattern.segments, 0, path.slice(0, length), 0)) return true;
  }
  return false;
};

/** Writes a path as a pattern that matches exactly that path (escapes `.`, `*`, `?` and `\`). */
export const formatPathAsPattern = (path: readonly string[]): string =>
  path.map((segment) => segment.replace(/[.*?\\]/g, '\\$&')).join('.');

/** Segment-wise string order (UTF-16 code units, as `Array.prototype.sort`); a path sorts before the paths below it. */
export const comparePaths = (a: readonly string[], b: readonly string[]): number => {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
};
