import type { ApiFamily, SimResponse } from './wire-response';

/**
 * v1 answers errors with a Coral-qualified type in `x-amzn-ErrorType`; the SDK keeps the part
 * before ':' (sanitizeErrorCode), so both forms parse to the same exception.
 */
const V1_ERROR_NAMESPACE = 'http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/';

/** An error the simulated service answers with, as a status and an error type. */
export class SimulatedServiceError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = 'SimulatedServiceError';
  }
}

/**
 * An error on the wire: status, `x-amzn-ErrorType` (what the SDK's restJson1 protocol reads
 * first, before a body `code` or `__type`) and a `{"message": ...}` body.
 */
export const errorResponse = (
  family: ApiFamily,
  status: number,
  errorType: string,
  message: string,
): SimResponse => ({
  status,
  headers: {
    'content-type': 'application/json',
    'x-amzn-errortype': family === 'v1' ? `${errorType}:${V1_ERROR_NAMESPACE}` : errorType,
  },
  body: JSON.stringify({ message }),
});

export const badRequest = (message: string): SimulatedServiceError =>
  new SimulatedServiceError(400, 'BadRequestException', message);

export const notFound = (message: string): SimulatedServiceError =>
  new SimulatedServiceError(404, 'NotFoundException', message);

/** Status 429 with the body the service sends; no Retry-After header (the service sends none). */
export const tooManyRequests = (family: ApiFamily): SimResponse =>
  errorResponse(family, 429, 'TooManyRequestsException', 'Too Many Requests');
