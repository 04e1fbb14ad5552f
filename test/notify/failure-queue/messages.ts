import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanFailureReport } from '../../../shared/scan';

/** One of this directory's AWS-documented messages (README.md says where each comes from). */
export const failureQueueFixture = (name: string): string => readFileSync(join(__dirname, name), 'utf8');

/** What a scheduled scan sends when one API's stages were refused, built by the code that sends it. */
export const scanFailureMessage = (): string =>
  JSON.stringify(
    scanFailureReport(
      {
        scopes: [
          {
            account: '123456789012',
            region: 'eu-west-1',
            failures: [
              {
                kind: 'collect',
                apiType: 'REST',
                apiId: 'r0orders01',
                errorName: 'AccessDeniedException',
                message: 'denied',
              },
            ],
          },
        ],
      } as never,
      { source: 'scheduled-scan', runId: 'run-1', failedAt: new Date('2026-12-04T10:00:00Z') },
    ),
  );
