import {
  LISTING_OPERATIONS,
  type ListingOperation,
  type SimOperation,
  type SingleApiOperation,
  type SingleStageOperation,
  type WriteOperation,
} from './routes';

/**
 * Requests per operation. The four listing operations are always present; the single-stage
 * reads (`GetStage`, `GetStageV2`), the single-API reads (`GetRestApi`, `GetApi`) and the writes,
 * tag and WAF operations (`UpdateStage`, `TagResourceV2`, `AssociateWebACL`, ...) appear once the
 * first one is made, so the counts of a collector that makes none are exactly its four
 * operations.
 */
export type OperationCounts = Record<ListingOperation, number> &
  Partial<Record<SingleStageOperation | SingleApiOperation | WriteOperation, number>>;

/** Requests the simulator has answered since it started or since resetCounts(). */
export interface SimulatorCounts {
  /** Every request, throttled and failed ones included. */
  total: number;
  /** Requests per recognised operation, throttled and failed ones included. */
  byOperation: OperationCounts;
  /** 429 answers (from the token bucket or from a failure rule with status 429). */
  throttled: number;
  /** Non-2xx answers other than 429. */
  errors: number;
}

export const emptyCounts = (): SimulatorCounts => ({
  total: 0,
  byOperation: Object.fromEntries(LISTING_OPERATIONS.map((operation) => [operation, 0])) as Record<
    ListingOperation,
    number
  >,
  throttled: 0,
  errors: 0,
});

export const countOperation = (counts: SimulatorCounts, operation: SimOperation): void => {
  counts.byOperation[operation] = (counts.byOperation[operation] ?? 0) + 1;
};

export const copyCounts = (counts: SimulatorCounts): SimulatorCounts => ({
  ...counts,
  byOperation: { ...counts.byOperation },
});
