import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');

const anchorsIn = (text: string): Set<string> => {
  const outsideCode = text.replace(/```[\s\S]*?```/g, '');
  return new Set([...outsideCode.matchAll(/^#{1,6} +(.+)$/gm)].map((m) => anchorOf(m[1] as string)));
};

/** Every relative link `[text](target)` outside fenced code, with its line. */
const relativeLinks = (text: string): { target: string; line: number }[] => {
  const links: { target: string; line: number }[] = [];
  let inFence = false;
  text.split('\n').forEach((lineText, index) => {
    if (lineText.trimStart().startsWith('```')) inFence = !inFence;
    if (inFence) return;
    for (const match of lineText.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1] as string;
      if (!/^[a-z]+:/i.test(target)) links.push({ target, line: index + 1 });
    }
  });
  return links;
};

describe('relative links in README.md and docs/', () => {
  it.each(documents)('every relative link of %s reaches a file (and a heading)', (document) => {
    const text = readFileSync(join(root, document), 'utf8');
    const broken: string[] = [];
    for (const { target, line } of relativeLinks(text)) {
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const file = path === '' ? join(root, document) : join(root, dirname(document), path);
      if (!existsSync(file)) {
        broken.push(`${document}:${line} ${target}: no file ${relative(root, file)}`);
      } else if (
        anchor !== undefined &&
        file.endsWith('.md') &&
        !anchorsIn(readFileSync(file, 'utf8')).has(anchor)
      ) {
        broken.push(`${document}:${line} ${target}: no heading #${anchor} in ${relative(root, file)}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
