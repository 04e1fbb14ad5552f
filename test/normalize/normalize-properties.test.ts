import * as fc from 'fast-check';
import { canonicalJson } from '../../shared/model';
import type { ApiRef } from '../../shared/model';
import { normalizeRestStage, normalizeV2Stage, parseStagesDocument } from '../../shared/normalize';
import type { NormalizeContext } from '../../shared/normalize';
import {
  rawRestStageArb,
  rawV2StageArb,
  shuffleKeys,
  stageDateArb,
  stageSnapshotArb,
  stripNoise,
  toCliJson,
  toV2WireShape,
  withEpochDates,
} from '../support/arbitraries';
import type { RawStage } from '../support/arbitraries';

const REST: NormalizeContext = {
  account: '123456789012',
  region: 'us-east-1',
  api: { apiId: 'a1b2c3d4e5', apiType: 'REST', name: 'pets' },
};
const websocketApi: ApiRef = { apiId: 'w5x6y7z8a9', apiType: 'WEBSOCKET', name: 'chat' };
const V2: NormalizeContext = { ...REST, api: websocketApi };

const normalizeRest = (stage: unknown) => normalizeRestStage(stage, REST);
const normalizeV2 = (stage: unknown) => normalizeV2Stage(stage, V2);

describe.each([
  ['REST', rawRestStageArb, normalizeRest],
  ['v2', rawV2StageArb, normalizeV2],
] as const)('normalizing %s stages', (_api, stageArb, normalize) => {
  it('is idempotent: a snapshot config normalized again gives the same config and hash', () => {
    fc.assert(
      fc.property(stageArb, (stage) => {
        const first = normalize(stage);

        const fromConfig = normalize({ stageName: first.key.stageName, ...first.config });

        expect(fromConfig.config).toStrictEqual(first.config);
        expect(fromConfig.hash).toBe(first.hash);
      }),
    );
  });

  it('emits the config already in canonical key order', () => {
    fc.assert(
      fc.property(stageArb, (stage) => {
        const { config } = normalize(stage);

        expect(JSON.stringify(config)).toBe(canonicalJson(config));
      }),
    );
  });

  it('is insensitive to the key order of its input, maps included', () => {
    fc.assert(
      fc.property(stageArb, fc.integer(), (stage, seed) => {
        expect(normalize(shuffleKeys(stage, seed))).toStrictEqual(normalize(stage));
      }),
    );
  });

  it('is insensitive to null, absent and empty members', () => {
    fc.assert(
      fc.property(stageArb, (stage) => {
        expect(normalize(stripNoise(stage))).toStrictEqual(normalize(stage));
      }),
    );
  });

  it('reads CLI JSON (ISO string dates) like the SDK output (Date dates)', () => {
    fc.assert(
      fc.property(stageArb, (stage) => {
        expect(normalize(toCliJson(stage))).toStrictEqual(normalize(stage));
      }),
    );
  });

  it('reads epoch-second dates like Date dates', () => {
    fc.assert(
      fc.property(stageArb, (stage) => {
        expect(normalize(withEpochDates(stage)).volatile).toStrictEqual(normalize(stage).volatile);
      }),
    );
  });
});

describe('normalizing volatile fields', () => {
  it.each([
    ['REST', rawRestStageArb, normalizeRest, 'lastUpdatedDate', 'cacheClusterStatus'],
    ['v2', rawV2StageArb, normalizeV2, 'LastUpdatedDate', 'LastDeploymentStatusMessage'],
  ] as const)(
    'keeps the %s hash whatever the dates and status say',
    (_api, stageArb, normalize, dateField, statusField) => {
      fc.assert(
        fc.property(stageArb, stageDateArb, stageDateArb, fc.string(), (stage, updated, created, status) => {
          const createdField = dateField.replace('LastUpdated', 'Created').replace('lastUpdated', 'created');
          const changed: RawStage = {
            ...stage,
            [dateField]: updated,
            [createdField]: created,
            [statusField]: status,
          };

          expect(normalize(changed).hash).toBe(normalize(stage).hash);
          expect(normalize(changed).config).toStrictEqual(normalize(stage).config);
        }),
      );
    },
  );
});

describe('normalizing v2 stages in both spellings', () => {
  it('gives identical snapshots for the PascalCase SDK shape and the camelCase wire shape', () => {
    fc.assert(
      fc.property(rawV2StageArb, (stage) => {
        expect(normalizeV2(toV2WireShape(stage))).toStrictEqual(normalizeV2(stage));
      }),
    );
  });
});

describe('parsing stages documents', () => {
  it('gives each stage of a get-stages document the snapshot of normalizing it alone, sorted by name', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(rawRestStageArb, { maxLength: 5, selector: (stage) => stage.stageName }),
        (stages) => {
          const parsed = parseStagesDocument(toCliJson({ item: stages }), {
            account: REST.account,
            region: REST.region,
            apiId: REST.api.apiId,
            apiName: REST.api.name,
          });

          const expected = stages
            .map(normalizeRest)
            .sort((a, b) => (a.key.stageName < b.key.stageName ? -1 : 1));
          expect(parsed.stages).toStrictEqual(expected);
        },
      ),
    );
  });

  it('reads a v2 get-stages page in either spelling to the same snapshots', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(rawV2StageArb, { maxLength: 5, selector: (stage) => stage.StageName }),
        (stages) => {
          const pascal = parseStagesDocument(toCliJson({ Items: stages }));
          const camel = parseStagesDocument({ items: stages.map(toV2WireShape) });

          // The same stages, type and warnings; what told the type apart is named as spelled.
          expect(camel.stages).toStrictEqual(pascal.stages);
          expect(camel.apiType).toBe(pascal.apiType);
          expect(camel.warnings).toStrictEqual(pascal.warnings);
        },
      ),
    );
  });
});

describe('the snapshot arbitraries', () => {
  it('only produce snapshots whose hash is the hash of their config', () => {
    fc.assert(
      fc.property(stageSnapshotArb, (snapshot) => {
        const renormalized =
          snapshot.key.apiType === 'REST'
            ? normalizeRestStage(snapshot.config, { ...REST, stageName: snapshot.key.stageName })
            : normalizeV2Stage(snapshot.config, {
                ...REST,
                api: { ...websocketApi, apiType: snapshot.key.apiType },
                stageName: snapshot.key.stageName,
              });

        expect(renormalized.hash).toBe(snapshot.hash);
      }),
    );
  });
});
