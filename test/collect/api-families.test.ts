import type { CallCounts } from '../../shared/collect';
import {
  API_FAMILY_ADAPTERS,
  FAMILY_OPERATIONS,
  addCallCounts,
  apiFamilyOf,
  emptyCallCounts,
  restFamily,
  totalCalls,
  v2Family,
} from '../../shared/collect';
import { API_FAMILIES, API_TYPES, apiTypesOf } from '../../shared/model';
import {
  API_GATEWAY_READ_PATHS,
  API_ID_PATTERN,
  RESCAN_API_GATEWAY_READ_PATHS,
} from '../../infra/stage-drift-monitor';

// One adapter per API family (STYLE.md section 6a); what varies between them is data the rest
// of the collector, the counters and the IAM statements are derived from or checked against.

describe('the API family adapters', () => {
  it('registers one adapter per family, each under its own name, with its own operations', () => {
    expect(Object.keys(API_FAMILY_ADAPTERS)).toEqual([...API_FAMILIES]);
    for (const family of API_FAMILIES) {
      expect(API_FAMILY_ADAPTERS[family].family).toBe(family);
      expect(API_FAMILY_ADAPTERS[family].operations).toBe(FAMILY_OPERATIONS[family]);
    }
    expect(API_FAMILY_ADAPTERS).toEqual({ REST: restFamily, V2: v2Family });
  });

  it.each(API_TYPES.map((apiType) => [apiType]))(
    'reads %s APIs with the family that has the type',
    (apiType) => {
      expect(apiTypesOf(apiFamilyOf(apiType).family)).toContain(apiType);
    },
  );

  it('names operations no two families share', () => {
    const operations = API_FAMILIES.flatMap((family) => Object.values(FAMILY_OPERATIONS[family]));
    expect(new Set(operations).size).toBe(operations.length);
  });

  it("reads each family's stage name as its SDK spells the member", () => {
    expect(restFamily.stageNameOf({ stageName: 'prod' })).toBe('prod');
    expect(v2Family.stageNameOf({ StageName: 'prod' })).toBe('prod');
  });

  it('needs the API Gateway resource paths the monitor grants, and no other', () => {
    // Prepare
    const scan = API_FAMILIES.flatMap((family) => API_FAMILY_ADAPTERS[family].readPaths.scan);
    const rescan = API_FAMILIES.flatMap((family) =>
      API_FAMILY_ADAPTERS[family].readPaths.rescan.map((path) => path.replace('{apiId}', API_ID_PATTERN)),
    );

    // Assess
    expect(scan).toEqual([...API_GATEWAY_READ_PATHS]);
    expect(rescan).toEqual([...RESCAN_API_GATEWAY_READ_PATHS]);
  });
});

describe('the call counters', () => {
  it('hold every operation of a full collect, in the order run records store them', () => {
    expect(Object.keys(emptyCallCounts())).toEqual([
      'GetRestApis',
      'GetStages',
      'GetApis',
      'GetStagesV2',
      'throttled',
      'retries',
    ]);
    expect(Object.values(emptyCallCounts()).every((count) => count === 0)).toBe(true);
  });

  it('add up, keeping a single-API read only when one was made', () => {
    // Prepare
    const full: CallCounts = { ...emptyCallCounts(), GetRestApis: 1, GetStages: 3, throttled: 1 };
    const targeted: CallCounts = { ...emptyCallCounts(), GetApi: 1, GetStagesV2: 2, retries: 1 };

    // Act
    const both = addCallCounts(full, targeted);
    const fullOnly = addCallCounts(full, emptyCallCounts());

    // Assess
    expect(JSON.stringify(fullOnly)).toBe(JSON.stringify(full));
    expect(both).toEqual({
      GetRestApis: 1,
      GetStages: 3,
      GetApis: 0,
      GetStagesV2: 2,
      throttled: 1,
      retries: 1,
      GetApi: 1,
    });
  });

  it('total every send, single-API reads included, and not throttled or retries', () => {
    const calls: CallCounts = {
      ...emptyCallCounts(),
      GetRestApis: 1,
      GetStages: 2,
      GetApis: 3,
      GetStagesV2: 4,
      GetRestApi: 5,
      GetApi: 6,
      throttled: 100,
      retries: 100,
    };
    expect(totalCalls(calls)).toBe(21);
  });
});
