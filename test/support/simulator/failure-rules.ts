import type { SimOperation } from './routes';

/** An injected failure: matching requests get this status and error type instead of an answer. */
export interface FailureRule {
  /** @default every operation */
  operation?: SimOperation;
  /**
   * Matches only the per-API operations (GetStages, GetStagesV2, GetStage, GetStageV2, GetRestApi,
   * GetApi, the stage writes, and the tag and WAF operations whose resource ARN names this API)
   * for this API. @default every API
   */
  apiId?: string;
  /** HTTP status, 400 to 599. */
  status: number;
  /** e.g. 'NotFoundException', 'AccessDeniedException'; the SDK surfaces it as the error's name. */
  errorType: string;
  /** @default `Simulated ${errorType}` */
  message?: string;
  /** How many matching requests fail before the rule is spent. @default forever */
  times?: number;
}

export interface FailureRules {
  add(rule: FailureRule): void;
  clear(): void;
  /** The first rule matching the request, spending one of its `times`; undefined when none matches. */
  take(operation: SimOperation, apiId: string | undefined): FailureRule | undefined;
}

const validate = (rule: FailureRule): void => {
  if (!Number.isInteger(rule.status) || rule.status < 400 || rule.status > 599) {
    throw new RangeError(`failOn: status must be an HTTP error status from 400 to 599; got ${rule.status}`);
  }
  if (rule.errorType.trim() === '') {
    throw new RangeError("failOn: errorType must name the exception, e.g. 'NotFoundException'");
  }
  if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) {
    throw new RangeError(
      `failOn: times must be a positive integer, or left out to fail forever; got ${rule.times}`,
    );
  }
};

export const createFailureRules = (): FailureRules => {
  let rules: Array<{ rule: FailureRule; remaining: number }> = [];
  return {
    add: (rule) => {
      validate(rule);
      rules.push({ rule: { ...rule }, remaining: rule.times ?? Number.POSITIVE_INFINITY });
    },
    clear: () => {
      rules = [];
    },
    take: (operation, apiId) => {
      const entry = rules.find(
        ({ rule }) =>
          (rule.operation === undefined || rule.operation === operation) &&
          (rule.apiId === undefined || rule.apiId === apiId),
      );
      if (!entry) return undefined;
      entry.remaining -= 1;
      if (entry.remaining <= 0) rules = rules.filter((candidate) => candidate !== entry);
      return entry.rule;
    },
  };
};
