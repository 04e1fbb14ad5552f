/** `*` = any run of characters, `?` = one character; everything else literal. Anchored. */
export const compileGlob = (glob: string): RegExp =>
  new RegExp(
    `^${Array.from(glob, (ch) => {
      if (ch === '*') return '.*';
      if (ch === '?') return '.';
      return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }).join('')}$`,
    'su',
  );
