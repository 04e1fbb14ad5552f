import { SIM_OPERATIONS, type SimOperation } from './routes';

/** Requests the simulator has answered since it started or since resetCounts(). */
export interface SimulatorCounts {
  /** Every request, throttled and failed ones included. */
  total: number;
  /** Requests per recognised operation, throttled and failed ones included. */
  byOperation: Record<SimOperation, number>;
  /** 429 answers (from the token bucket or from a failure rule with status 429). */
  throttled: number;
  /** Non-2xx answers other than 429. */
  errors: number;
}

export const emptyCounts = (): SimulatorCounts => ({
  total: 0,
  byOperation: Object.fromEntries(SIM_OPERATIONS.map((operation) => [operation, 0])) as Record<
    SimOperation,
    number
  >,
  throttled: 0,
  errors: 0,
});

export const copyCounts = (counts: SimulatorCounts): SimulatorCounts => ({
  ...counts,
  byOperation: { ...counts.byOperation },
});
