import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RefusingSts {
  /** For `AWS_ENDPOINT_URL_STS` or a client's `endpoint`. */
  readonly endpoint: string;
  /** AssumeRole requests received (each answered 403 AccessDenied). */
  readonly assumeRoleCalls: () => number;
  readonly close: () => Promise<void>;
}

/**
 * A local STS standing in for member accounts whose trust policies do not name us: it answers
 * GetCallerIdentity as `account` and every AssumeRole with the real 403 AccessDenied Query-protocol
 * error, so the real SDK parses a real refusal (moto never refuses a role).
 */
export const startRefusingSts = async (account: string): Promise<RefusingSts> => {
  let assumeRoleCalls = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'text/xml');
      if (body.includes('Action=GetCallerIdentity')) {
        res.end(
          `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::${account}:user/ci</Arn>` +
            `<UserId>AIDA</UserId><Account>${account}</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`,
        );
        return;
      }
      assumeRoleCalls += 1;
      res.statusCode = 403;
      res.end(
        '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized ' +
          'to perform: sts:AssumeRole</Message></Error><RequestId>r1</RequestId></ErrorResponse>',
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    assumeRoleCalls: () => assumeRoleCalls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
