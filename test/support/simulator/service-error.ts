import type { SimResponse, WireFamily } from './wire-response';

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
 * WAFv2 (JSON 1.1) errors: `{"__type": ..., "Message": ...}`, which the SDK's awsJson1_1
 * protocol reads (it takes the type from `__type`, the message from `Message`).
 */
const wafErrorResponse = (status: number, errorType: string, message: string): SimResponse => ({
  status,
  headers: { 'content-type': 'application/x-amz-json-1.1' },
  body: JSON.stringify({ __type: errorType, Message: message }),
});

/**
 * An error on the wire: status, `x-amzn-ErrorType` (what the SDK's restJson1 protocol reads
 * first, before a body `code` or `__type`) and a `{"message": ...}` body; WAFv2 errors in the
 * JSON 1.1 form instead.
 */
export const errorResponse = (
  family: WireFamily,
  status: number,
  errorType: string,
  message: string,
): SimResponse =>
  family === 'waf'
    ? wafErrorResponse(status, errorType, message)
    : restJsonErrorResponse(family, status, errorType, message);

const restJsonErrorResponse = (
  family: 'v1' | 'v2',
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

/** 409 ConflictException, e.g. CreateStage of a stage that exists. */
export const conflict = (message: string): SimulatedServiceError =>
  new SimulatedServiceError(409, 'ConflictException', message);

/** A WAFv2 error: status 400 and a `WAF...Exception` type, as WAFv2 answers client errors. */
export const wafError = (errorType: string, message: string): SimulatedServiceError =>
  new SimulatedServiceError(400, errorType, message);

/**
 * Status 429 with the body the service sends; no Retry-After header (the service sends none).
 * WAFv2 has no TooManyRequestsException: it gets the JSON protocol's ThrottlingException
 * (still status 429 here, so the simulator counts it as throttled).
 */
export const tooManyRequests = (family: WireFamily): SimResponse =>
  family === 'waf'
    ? errorResponse(family, 429, 'ThrottlingException', 'Rate exceeded')
    : errorResponse(family, 429, 'TooManyRequestsException', 'Too Many Requests');
