import { fromStoredRemainingApiIds, toStoredRemainingApiIds } from '../../shared/scan/run-record';

// Run records and task messages keep the APIs a chunked run has left under `rest` and `v2`, as
// the first release wrote them; the code between them reads them by `ApiFamily`.

describe('the stored form of the APIs a run has left', () => {
  it('keeps the keys run records and task messages hold, byte for byte', () => {
    // Act
    const stored = toStoredRemainingApiIds({ REST: ['r1', 'r2'], V2: ['h1'] });

    // Assess
    expect(JSON.stringify(stored)).toBe('{"rest":["r1","r2"],"v2":["h1"]}');
  });

  it('reads a stored record back by family', () => {
    expect(fromStoredRemainingApiIds({ rest: ['r1'], v2: ['h1', 'w1'] })).toEqual({
      REST: ['r1'],
      V2: ['h1', 'w1'],
    });
  });
});
