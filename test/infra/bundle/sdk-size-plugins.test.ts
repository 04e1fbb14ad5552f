import { rewriteSchemaKeys } from '../../../infra/bundle/sdk-size-plugins';

describe('rewriteSchemaKeys', () => {
  it.each<[string, string, string, number]>([
    [
      'a key whose const is a string literal of the same file',
      'const _ht = "http";\nexport var Get$ = [9, n0, _G, { [_ht]: ["GET", "/apis", 200] }];',
      'const _ht = "http";\nexport var Get$ = [9, n0, _G, { "http": ["GET", "/apis", 200] }];',
      1,
    ],
    [
      'every key of a nested trait object',
      'const _hQ = "httpQuery";\nconst _jN = "jsonName";\nx = { [_hQ]: "limit", [_jN]: { [_hQ]: 1 } };',
      'const _hQ = "httpQuery";\nconst _jN = "jsonName";\nx = { "httpQuery": "limit", "jsonName": { "httpQuery": 1 } };',
      3,
    ],
    [
      'a key with quotes and escapes in its literal',
      'const _q = "a\\"b";\nx = { [_q]: 1 };',
      'const _q = "a\\"b";\nx = { "a\\"b": 1 };',
      1,
    ],
    ['a let (it could change)', 'let _a = "a";\nx = { [_a]: 1 };', 'let _a = "a";\nx = { [_a]: 1 };', 0],
    ['a const that is not a string', 'const _n = 1;\nx = { [_n]: 1 };', 'const _n = 1;\nx = { [_n]: 1 };', 0],
    [
      'a name from another module',
      'import { _i } from "./x";\nx = { [_i]: 1 };',
      'import { _i } from "./x";\nx = { [_i]: 1 };',
      0,
    ],
    [
      'a name shadowed by a parameter',
      'const _s = "s";\nconst f = (_s) => ({ [_s]: 1 });',
      'const _s = "s";\nconst f = (_s) => ({ [_s]: 1 });',
      0,
    ],
    [
      '__proto__ (a literal key would set the prototype)',
      'const _p = "__proto__";\nx = { [_p]: {} };',
      'const _p = "__proto__";\nx = { [_p]: {} };',
      0,
    ],
    [
      'a member access in a conditional, which only looks like a key',
      'const _k = "k";\nx = c ? o[_k]: d;',
      'const _k = "k";\nx = c ? o[_k]: d;',
      0,
    ],
    ['a class member', 'const _m = "m";\nclass C { [_m]() {} }', 'const _m = "m";\nclass C { [_m]() {} }', 0],
    ['text inside a string', 'const _t = "t";\nx = "{ [_t]: 1 }";', 'const _t = "t";\nx = "{ [_t]: 1 }";', 0],
  ])('handles %s', (_label, source, code, keys) => {
    expect(rewriteSchemaKeys(source)).toEqual({ code, keys });
  });
});
