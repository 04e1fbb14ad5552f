import type { ApiFamily, ApiType } from '../../shared/model';
import {
  API_FAMILIES,
  API_TYPES,
  apiTypesOf,
  byFamily,
  compareFamilies,
  familyOfApiType,
  isApiFamily,
} from '../../shared/model';

describe('ApiFamily', () => {
  it.each<[ApiType, ApiFamily]>([
    ['REST', 'REST'],
    ['HTTP', 'V2'],
    ['WEBSOCKET', 'V2'],
  ])('reads %s APIs with the %s family', (apiType, family) => {
    expect(familyOfApiType(apiType)).toBe(family);
  });

  it('gives each API type to exactly one family, in API_TYPES order', () => {
    expect(apiTypesOf('REST')).toEqual(['REST']);
    expect(apiTypesOf('V2')).toEqual(['HTTP', 'WEBSOCKET']);
    expect(API_FAMILIES.flatMap(apiTypesOf)).toEqual([...API_TYPES]);
  });

  it('is spelled as run records store it', () => {
    expect(API_FAMILIES).toEqual(['REST', 'V2']);
    expect(API_FAMILIES.every(isApiFamily)).toBe(true);
    expect(['rest', 'v2', 'v1', 'HTTP', undefined].some(isApiFamily)).toBe(false);
  });

  it('builds one entry per family, in family order, and sorts families in that order', () => {
    expect(Object.entries(byFamily((family) => family.length))).toEqual([
      ['REST', 4],
      ['V2', 2],
    ]);
    expect((['V2', 'REST'] as ApiFamily[]).sort(compareFamilies)).toEqual(['REST', 'V2']);
  });
});
