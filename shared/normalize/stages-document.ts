import type { ApiFamily, ApiRef, ApiType, StageSnapshot } from '../model';
import { apiTypesOf, familyOfApiType } from '../model';
import { StageNormalizeError, StagesDocumentError } from './errors';
import { describeValue, entryPath, findField, isInputObject } from './field-readers';
import type { FoundField, InputObject, NormalizeWarning } from './field-readers';
import { REST_ONLY_MEMBERS } from './rest-stage';
import type { NormalizeContext } from './stage-context';
import { STAGE_NORMALIZERS } from './stage-normalizers';

export interface ParseStagesDocumentOptions {
  /**
   * The API type, when the caller knows it. Required to tell a WebSocket from an HTTP API
   * reliably; must agree with the document's shape (REST for `item`, HTTP/WEBSOCKET for `Items`).
   * @default detected from the document (see `parseStagesDocument`)
   */
  readonly apiType?: ApiType;
  /** @default '-' */
  readonly account?: string;
  /** @default '-' */
  readonly region?: string;
  /** @default '-' */
  readonly apiId?: string;
  /** @default '-' */
  readonly apiName?: string;
}

/** An unknown member of one stage of a document (see `NormalizeContext.onWarning`). */
export interface StagesDocumentWarning extends NormalizeWarning {
  /** The name of the stage it was found in. */
  readonly stage: string;
}

/**
 * Members of a v2 document that only one protocol's stages can have, the first found of each,
 * as `stage "prod": DefaultRouteSettings.LoggingLevel`.
 */
export interface V2ProtocolEvidence {
  /** A member only WebSocket APIs support (`ClientCertificateId`, `LoggingLevel`, `$connect`, ...). */
  readonly websocket?: string;
  /** A member only HTTP APIs have (`ApiGatewayManaged: true`: quick create is HTTP only). */
  readonly http?: string;
}

export interface ParsedStagesDocument {
  readonly apiType: ApiType;
  /** Canonical snapshots, sorted by stage name. */
  readonly stages: StageSnapshot[];
  /** The document is one stage (`get-stage`), not a list of stages (`get-stages`). */
  readonly single: boolean;
  /** Members the model does not know, by stage name then path: they are not compared. */
  readonly warnings: readonly StagesDocumentWarning[];
  /** v2 documents only: what tells HTTP from WebSocket, when anything does. */
  readonly protocolEvidence?: V2ProtocolEvidence;
  /** The document's `NextToken` / `nextToken`: present when it is one page of several. */
  readonly nextToken?: string;
}

/** Where the stages of a document are and how their name member is spelled. */
interface Located {
  readonly family: ApiFamily;
  readonly items: readonly unknown[];
  readonly nameField: 'stageName' | 'StageName';
  readonly single: boolean;
}

const NOT_A_STAGES_DOCUMENT =
  'not a stages document: expected an object with `item`, `Items` or `items`, or a single stage with `stageName`';

const CONTAINERS = ['item', '_embedded', 'Items', 'items'] as const;

/** Members only a v2 (HTTP/WebSocket) stage has, in either spelling. */
const V2_ONLY_FIELDS = [
  'apiGatewayManaged',
  'autoDeploy',
  'defaultRouteSettings',
  'lastDeploymentStatusMessage',
  'routeSettings',
  'stageVariables',
  'StageName',
  'ApiGatewayManaged',
  'AutoDeploy',
  'DefaultRouteSettings',
  'LastDeploymentStatusMessage',
  'RouteSettings',
  'StageVariables',
];

const has = (input: InputObject, name: string): boolean =>
  Object.hasOwn(input, name) && input[name] !== undefined && input[name] !== null;

const expectArray = (value: unknown, where: string): readonly unknown[] => {
  if (!Array.isArray(value)) {
    throw new StagesDocumentError(`${where} must be an array of stages, got ${describeValue(value)}`);
  }
  return value as readonly unknown[];
};

/** v1 or v2 for a single camelCase stage, from the members only one of them has. */
const detectSingleStageFamily = (stage: InputObject, apiType: ApiType | undefined): ApiFamily => {
  const v1 = REST_ONLY_MEMBERS.filter((name) => has(stage, name));
  const v2 = V2_ONLY_FIELDS.filter((name) => has(stage, name));
  if (v1.length > 0 && v2.length > 0) {
    throw new StagesDocumentError(
      `ambiguous stage: it has REST (v1) members (${v1.join(', ')}) and HTTP/WebSocket (v2) members (${v2.join(', ')})`,
    );
  }
  if (v2.length > 0) return 'V2';
  if (v1.length > 0) return 'REST';
  return apiType === undefined ? 'REST' : familyOfApiType(apiType);
};

const locateStages = (document: InputObject, apiType: ApiType | undefined): Located => {
  const present = CONTAINERS.filter((name) => has(document, name));
  if (present.length > 1) {
    throw new StagesDocumentError(
      `ambiguous stages document: it has both \`${present[0]}\` and \`${present[1]}\`; expected one of them`,
    );
  }
  switch (present[0]) {
    case 'item':
      return {
        family: 'REST',
        items: expectArray(document.item, '`item`'),
        nameField: 'stageName',
        single: false,
      };
    case '_embedded': {
      const embedded = document._embedded;
      if (!isInputObject(embedded)) {
        throw new StagesDocumentError(`\`_embedded\` must be an object, got ${describeValue(embedded)}`);
      }
      const item = embedded.item;
      const items = item === undefined || item === null ? [] : isInputObject(item) ? [item] : item;
      return {
        family: 'REST',
        items: expectArray(items, '`_embedded.item`'),
        nameField: 'stageName',
        single: false,
      };
    }
    case 'Items':
      return {
        family: 'V2',
        items: expectArray(document.Items, '`Items`'),
        nameField: 'StageName',
        single: false,
      };
    case 'items':
      return {
        family: 'V2',
        items: expectArray(document.items, '`items`'),
        nameField: 'stageName',
        single: false,
      };
    case undefined:
      break;
  }
  if (Object.hasOwn(document, 'StageName')) {
    return { family: 'V2', items: [document], nameField: 'StageName', single: true };
  }
  if (Object.hasOwn(document, 'stageName')) {
    const family = detectSingleStageFamily(document, apiType);
    return { family, items: [document], nameField: 'stageName', single: true };
  }
  throw new StagesDocumentError(NOT_A_STAGES_DOCUMENT);
};

const WEBSOCKET_ROUTE_KEYS = ['$connect', '$disconnect'];
const WEBSOCKET_ROUTE_SETTINGS = ['DataTraceEnabled', 'dataTraceEnabled', 'LoggingLevel', 'loggingLevel'];

/** The first route setting member of `settings` that only WebSocket APIs support, by path. */
const websocketSettingIn = (settings: FoundField | undefined): string | undefined => {
  if (settings === undefined || !isInputObject(settings.value)) return undefined;
  const { value } = settings;
  const name = WEBSOCKET_ROUTE_SETTINGS.find((member) => has(value, member));
  return name === undefined ? undefined : `${settings.path}.${name}`;
};

/**
 * The path of the first member of a v2 stage that only WebSocket APIs support (AWS documents
 * each as "Supported only for WebSocket APIs" and returns it only there): a stage-level
 * `clientCertificateId`, `dataTraceEnabled` / `loggingLevel` (any value, either spelling) in
 * the default or a route's settings, a `$connect` or `$disconnect` route setting.
 */
const websocketMemberOf = (stage: InputObject): string | undefined => {
  const certificate = findField(stage, '', ['ClientCertificateId', 'clientCertificateId']);
  if (typeof certificate?.value === 'string' && certificate.value !== '') return certificate.path;
  const defaults = websocketSettingIn(findField(stage, '', ['DefaultRouteSettings', 'defaultRouteSettings']));
  if (defaults !== undefined) return defaults;
  const routes = findField(stage, '', ['RouteSettings', 'routeSettings']);
  if (routes === undefined || !isInputObject(routes.value)) return undefined;
  const routeMap = routes.value;
  const connect = WEBSOCKET_ROUTE_KEYS.find((key) => has(routeMap, key));
  if (connect !== undefined) return entryPath(routes.path, connect);
  for (const key of Object.keys(routeMap)) {
    const found = websocketSettingIn({ path: entryPath(routes.path, key), value: routeMap[key] });
    if (found !== undefined) return found;
  }
  return undefined;
};

/** The path of a member only HTTP APIs have: `apiGatewayManaged: true` (quick create is HTTP only). */
const httpMemberOf = (stage: InputObject): string | undefined => {
  const managed = findField(stage, '', ['ApiGatewayManaged', 'apiGatewayManaged']);
  return managed?.value === true ? managed.path : undefined;
};

const stageLabel = (stage: InputObject): string => {
  const name = findField(stage, '', ['StageName', 'stageName'])?.value;
  return typeof name === 'string' ? `stage ${JSON.stringify(name)}` : 'a stage';
};

/** The first member of `stages` that `memberOf` finds, as `stage "prod": ClientCertificateId`. */
const firstEvidence = (
  stages: readonly unknown[],
  memberOf: (stage: InputObject) => string | undefined,
): string | undefined => {
  for (const stage of stages) {
    if (!isInputObject(stage)) continue;
    const member = memberOf(stage);
    if (member !== undefined) return `${stageLabel(stage)}: ${member}`;
  }
  return undefined;
};

const protocolEvidenceOf = (stages: readonly unknown[]): V2ProtocolEvidence => {
  const websocket = firstEvidence(stages, websocketMemberOf);
  const http = firstEvidence(stages, httpMemberOf);
  return { ...(websocket === undefined ? {} : { websocket }), ...(http === undefined ? {} : { http }) };
};

/** How each family's stages documents read. */
const DOCUMENT_FAMILIES: Readonly<
  Record<
    ApiFamily,
    {
      /** As in "this is ... stages document". */
      readonly description: string;
      /** The stage name members, in the order looked up. */
      readonly nameFields: readonly string[];
      /** What tells the family's API types apart, for a family of several. */
      readonly protocolEvidenceOf?: (stages: readonly unknown[]) => V2ProtocolEvidence;
    }
  >
> = {
  REST: { description: 'a REST API (v1)', nameFields: ['stageName'] },
  V2: {
    description: 'an HTTP or WebSocket API (v2)',
    nameFields: ['StageName', 'stageName'],
    protocolEvidenceOf,
  },
};

const resolveApiType = (
  located: Located,
  requested: ApiType | undefined,
  evidence: V2ProtocolEvidence,
): ApiType => {
  if (requested !== undefined && familyOfApiType(requested) !== located.family) {
    throw new StagesDocumentError(
      `apiType ${requested} was given, but this is ${DOCUMENT_FAMILIES[located.family].description} stages document`,
    );
  }
  const [only, ...others] = apiTypesOf(located.family);
  if (only !== undefined && others.length === 0) return only;
  if (requested === 'HTTP' && evidence.websocket !== undefined) {
    throw new StagesDocumentError(
      `apiType HTTP was given, but this document has a member only WebSocket APIs have (${evidence.websocket})`,
    );
  }
  if (requested === 'WEBSOCKET' && evidence.http !== undefined) {
    throw new StagesDocumentError(
      `apiType WEBSOCKET was given, but this document has a member only HTTP APIs have (${evidence.http})`,
    );
  }
  return requested ?? (evidence.websocket === undefined ? 'HTTP' : 'WEBSOCKET');
};

/** Code-unit order, as `canonicalJson` sorts keys: the same in every locale. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const readNextToken = (document: InputObject): string | undefined => {
  for (const name of ['NextToken', 'nextToken']) {
    const value = document[name];
    if (Object.hasOwn(document, name) && typeof value === 'string' && value !== '') return value;
  }
  return undefined;
};

/**
 * The stages of a stages document, as canonical snapshots sorted by stage name.
 *
 * Accepts what `aws apigateway get-stages` / the v1 SDK print (`{"item": [...]}`), what
 * `aws apigatewayv2 get-stages` prints (`{"Items": [...], "NextToken"?}`), the v2 raw REST
 * form (`{"items": [...]}`), the v1 HAL form (`{"_embedded": {"item": [...] | {...}}}`), and a
 * single stage (`get-stage` of either API: `stageName` or `StageName` at the top).
 *
 * v1 or v2 comes from the container; for a single camelCase stage from the members only one
 * API has (`methodSettings`, `variables`, ... vs `routeSettings`, `stageVariables`, ...),
 * falling back to `options.apiType`, then REST. HTTP vs WEBSOCKET is `options.apiType` when
 * given (refused when a stage has a member only the other protocol has), else the WebSocket-only members (see `protocolEvidenceOf`).
 * The key is `options.account` / `region` / `apiId` (each `-` by default). Members the model
 * does not know are listed in `warnings`, with the stage they were found in.
 *
 * @throws StagesDocumentError saying what is wrong; stages are numbered from 1 (`stage #3`).
 *   The file name is for the caller to prefix.
 */
export const parseStagesDocument = (
  document: unknown,
  options: ParseStagesDocumentOptions = {},
): ParsedStagesDocument => {
  if (!isInputObject(document)) {
    throw new StagesDocumentError(`${NOT_A_STAGES_DOCUMENT}, got ${describeValue(document)}`);
  }
  const located = locateStages(document, options.apiType);
  const family = DOCUMENT_FAMILIES[located.family];
  const protocolEvidence = family.protocolEvidenceOf?.(located.items);
  const apiType = resolveApiType(located, options.apiType, protocolEvidence ?? {});
  const api: ApiRef = { apiId: options.apiId ?? '-', apiType, name: options.apiName ?? '-' };
  const context: NormalizeContext = { account: options.account ?? '-', region: options.region ?? '-', api };
  const normalize = STAGE_NORMALIZERS[located.family];
  const { nameFields } = family;

  const stages: StageSnapshot[] = [];
  const stageWarnings: StagesDocumentWarning[] = [];
  const seen = new Map<string, number>();
  located.items.forEach((item, index) => {
    const label = located.single ? 'the stage' : `stage #${index + 1}`;
    if (!isInputObject(item)) {
      throw new StagesDocumentError(`${label} is not an object (got ${describeValue(item)})`);
    }
    const name = nameFields
      .map((field) => item[field])
      .find((value) => value !== undefined && value !== null);
    if (name === undefined || name === '')
      throw new StagesDocumentError(`${label} has no ${located.nameField}`);
    const named = typeof name === 'string' ? `${label} (${JSON.stringify(name)})` : label;
    let snapshot: StageSnapshot;
    const warnings: NormalizeWarning[] = [];
    try {
      snapshot = normalize(item, { ...context, onWarning: (warning) => warnings.push(warning) });
    } catch (error) {
      if (error instanceof StageNormalizeError) {
        throw new StagesDocumentError(`${named}: ${error.message}`, { cause: error });
      }
      throw error;
    }
    const stageName = snapshot.key.stageName;
    const first = seen.get(stageName);
    if (first !== undefined) {
      throw new StagesDocumentError(
        `duplicate stage name ${JSON.stringify(stageName)} (stages #${first} and #${index + 1})`,
      );
    }
    seen.set(stageName, index + 1);
    stages.push(snapshot);
    stageWarnings.push(...warnings.map((warning) => ({ stage: stageName, ...warning })));
  });
  stages.sort((a, b) => compareText(a.key.stageName, b.key.stageName));
  stageWarnings.sort((a, b) => compareText(a.stage, b.stage) || compareText(a.path, b.path));

  const nextToken = readNextToken(document);
  return {
    apiType,
    stages,
    single: located.single,
    warnings: stageWarnings,
    ...(protocolEvidence === undefined ? {} : { protocolEvidence }),
    ...(nextToken === undefined ? {} : { nextToken }),
  };
};
