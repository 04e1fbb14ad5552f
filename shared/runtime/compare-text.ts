/**
 * Orders strings by UTF-16 code unit (what `<` does): the same in every locale and on every
 * machine, unlike `localeCompare`, so sorted output is byte-for-byte repeatable.
 */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
