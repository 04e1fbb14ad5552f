import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const SHARED = join(ROOT, 'shared');

const sourceFilesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFilesUnder(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });

const outsideClients = () =>
  sourceFilesUnder(SHARED).filter((file) => !file.startsWith(join(SHARED, 'clients') + '/'));

describe('shared/clients, the one place of shared/ that builds AWS clients', () => {
  it('is imported by no other module of shared/ (so model/, normalize/ and diff/ never reach it)', () => {
    // Act
    const importers = outsideClients().filter((file) =>
      /from '(\.\.\/)+clients(\/[^']*)?'|from '\.\.\/\.\.\/shared\/clients/.test(readFileSync(file, 'utf8')),
    );

    // Assess
    expect(importers.map((file) => relative(ROOT, file))).toEqual([]);
  });

  it('is the only module of shared/ that calls new XClient()', () => {
    // Act
    const builders = outsideClients().filter((file) =>
      /new [A-Z][A-Za-z0-9]*Client\(/.test(readFileSync(file, 'utf8')),
    );

    // Assess
    expect(builders.map((file) => relative(ROOT, file))).toEqual([]);
  });
});
