/** Which control plane a path belongs to: v1 (`/restapis`) or v2 (`/v2/apis`). */
export type ApiFamily = 'v1' | 'v2';

/** How a request is answered on the wire: an API Gateway family (restJson1) or WAFv2 (JSON 1.1). */
export type WireFamily = ApiFamily | 'waf';

/** One HTTP answer, before it is written to the socket. */
export interface SimResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const epochSeconds = (date: Date): number => date.getTime() / 1000;
const isoDateTime = (date: Date): string => date.toISOString().replace('.000Z', 'Z');

/**
 * JSON as the service writes it. Dates are restJson1 timestamps: v1 shapes carry no
 * timestampFormat trait, so the SDK reads epoch seconds (numbers); v2 shapes are marked
 * date-time, so the SDK reads ISO-8601 strings. A `Date` anywhere in `value` is written in the
 * family's format; numbers and strings already in wire form pass through.
 */
export const toWireJson = (family: ApiFamily, value: unknown): string =>
  JSON.stringify(value, function (this: Record<string, unknown>, key: string, current: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return family === 'v1' ? epochSeconds(raw) : isoDateTime(raw);
    return current;
  });

/** A JSON answer, 200 unless told; `family` picks the date format. */
export const jsonResponse = (family: ApiFamily, value: unknown, status = 200): SimResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: toWireJson(family, value),
});

/** An answer without a body (v1 DeleteStage's 202, v2's 204s). */
export const emptyResponse = (status: number): SimResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: '',
});

/** A WAFv2 (JSON 1.1) answer: always 200, `application/x-amz-json-1.1`. */
export const wafJsonResponse = (value: unknown): SimResponse => ({
  status: 200,
  headers: { 'content-type': 'application/x-amz-json-1.1' },
  body: JSON.stringify(value),
});
