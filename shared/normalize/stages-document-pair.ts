import type { ApiType } from '../model';
import { apiTypesOf, familyOfApiType } from '../model';
import { StagesDocumentError } from './errors';
import { parseStagesDocument } from './stages-document';
import type { ParsedStagesDocument, ParseStagesDocumentOptions } from './stages-document';

/** A stages document and the name to give it in messages (the CLI's file path). */
export interface LabelledStagesDocument {
  readonly label: string;
  readonly document: unknown;
}

/** Two stages documents of one API, their stages keyed under the same API type. */
export interface ParsedStagesDocumentPair {
  readonly apiType: ApiType;
  readonly before: ParsedStagesDocument;
  readonly after: ParsedStagesDocument;
}

const parseLabelled = (
  { label, document }: LabelledStagesDocument,
  options: ParseStagesDocumentOptions,
): ParsedStagesDocument => {
  try {
    return parseStagesDocument(document, options);
  } catch (error) {
    if (error instanceof StagesDocumentError) {
      throw new StagesDocumentError(`${label}: ${error.message}`, { cause: error });
    }
    throw error;
  }
};

/** `before` has a WebSocket-only member and `after` an HTTP-only one (and none of its own). */
const websocketAgainstHttp = (
  websocket: { readonly label: string; readonly parsed: ParsedStagesDocument },
  http: { readonly label: string; readonly parsed: ParsedStagesDocument },
): string | undefined => {
  const ws = websocket.parsed.protocolEvidence;
  const ht = http.parsed.protocolEvidence;
  if (ws?.websocket === undefined || ht?.http === undefined || ht.websocket !== undefined) return undefined;
  return (
    `${http.label} holds HTTP stages (${ht.http}, which only HTTP APIs have) but ${websocket.label} ` +
    `holds WebSocket stages (${ws.websocket}, which only WebSocket APIs have)`
  );
};

/**
 * HTTP vs WebSocket for both documents at once: a member that only WebSocket APIs support on
 * either side makes both WEBSOCKET, else both are HTTP. What cannot be told apart is never
 * guessed twice: a stage keeps its key when one side lacks every WebSocket-only member.
 */
const decideV2ApiType = (
  before: { readonly label: string; readonly parsed: ParsedStagesDocument },
  after: { readonly label: string; readonly parsed: ParsedStagesDocument },
): 'HTTP' | 'WEBSOCKET' => {
  const conflict = websocketAgainstHttp(before, after) ?? websocketAgainstHttp(after, before);
  if (conflict !== undefined) {
    throw new StagesDocumentError(`${conflict}: diff two documents of the same API`);
  }
  const websocket = [before, after].some((side) => side.parsed.protocolEvidence?.websocket !== undefined);
  return websocket ? 'WEBSOCKET' : 'HTTP';
};

/**
 * Parses the two documents of a diff (`parseStagesDocument`) with one API type, so a stage has
 * the same key on both sides. REST and v2 documents never mix. For v2, an explicit
 * `options.apiType` must agree with both documents; otherwise the type is decided once for the
 * pair: WEBSOCKET when either side has a member only WebSocket APIs support, else HTTP. An HTTP
 * document (`ApiGatewayManaged: true`) against a WebSocket one is refused.
 *
 * @throws StagesDocumentError starting with the label of the document at fault, or naming both.
 */
export const parseStagesDocumentPair = (
  before: LabelledStagesDocument,
  after: LabelledStagesDocument,
  options: ParseStagesDocumentOptions = {},
): ParsedStagesDocumentPair => {
  const first = { label: before.label, parsed: parseLabelled(before, options) };
  const second = { label: after.label, parsed: parseLabelled(after, options) };
  const family = familyOfApiType(first.parsed.apiType);
  if (familyOfApiType(second.parsed.apiType) !== family) {
    throw new StagesDocumentError(
      `${before.label} holds ${first.parsed.apiType} stages but ${after.label} holds ${second.parsed.apiType} stages: diff two documents of the same API`,
    );
  }
  // A family of one API type, or a type given: both documents are keyed under it already.
  if (apiTypesOf(family).length === 1 || options.apiType !== undefined) {
    return { apiType: first.parsed.apiType, before: first.parsed, after: second.parsed };
  }
  const apiType = decideV2ApiType(first, second);
  const keyed = (side: LabelledStagesDocument, parsed: ParsedStagesDocument): ParsedStagesDocument =>
    parsed.apiType === apiType ? parsed : parseLabelled(side, { ...options, apiType });
  return { apiType, before: keyed(before, first.parsed), after: keyed(after, second.parsed) };
};
