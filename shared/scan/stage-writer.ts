import type { DriftEventRecord, SnapshotStore } from '../store';
import { toDriftEventRecord } from '../store';
import type { AnnotatedChange } from './attribute-drifts';
import type { SeverityCounts } from './scan-types';
import { zeroCounts } from './scan-types';
import type { WriteQueue } from './write-queue';
import { createWriteQueue } from './write-queue';

/** What the stage writes of a run recorded, for its summary. */
export interface WriteTally {
  /** Drift events recorded, by severity (a replayed one is not counted again). */
  readonly events: SeverityCounts;
  /** The drift events recorded, in the order their writes ended. */
  readonly recorded: readonly DriftEventRecord[];
  /** Housekeeping that failed after a change was recorded. */
  readonly warnings: readonly string[];
  readonly replayed: number;
  readonly superseded: number;
}

/**
 * The stage writes of one scope's run (or chunk): each started as it comes, at most `concurrency`
 * at a time (`write-queue.ts`), each in the store's crash-safe order (event, version, latest
 * pointer: `SnapshotStore.writeStage`), and what they recorded. Once a write has failed no further
 * write starts, and `settle` rejects with that first failure.
 */
export class StageWriter {
  private readonly queue: WriteQueue<AnnotatedChange>;
  private readonly events = zeroCounts();
  private readonly recorded: DriftEventRecord[] = [];
  private readonly warnings: string[] = [];
  private replayed = 0;
  private superseded = 0;

  constructor(
    private readonly store: Pick<SnapshotStore, 'writeStage'>,
    private readonly capturedAt: string,
    concurrency: number,
  ) {
    this.queue = createWriteQueue(concurrency, (change) => this.write(change));
  }

  /** The first write's failure, once a write has failed. */
  get failure(): { readonly error: unknown } | undefined {
    return this.queue.failure;
  }

  /**
   * Starts one write as soon as the queue has room (at once after a failure, when it is dropped):
   * a producer that awaits each holds only a bounded number of writes.
   */
  async writeWhenRoom(change: AnnotatedChange): Promise<void> {
    await this.queue.room();
    this.queue.push(change);
  }

  /** Queues every write of `changes`, in order. */
  writeAll(changes: readonly AnnotatedChange[]): void {
    for (const change of changes) this.queue.push(change);
  }

  /** Resolves once every write started has settled; rejects with the first failure, if any. */
  settle(): Promise<void> {
    return this.queue.settle();
  }

  /** Resolves once every write started has settled, whatever became of them. */
  settled(): Promise<void> {
    return this.queue.settle().catch(() => undefined);
  }

  /** What the writes have recorded so far. */
  tally(): WriteTally {
    const { events, recorded, warnings, replayed, superseded } = this;
    return { events, recorded, warnings, replayed, superseded };
  }

  private async write({ change, drift, annotations }: AnnotatedChange): Promise<void> {
    const result = await this.store.writeStage({
      key: change.key,
      ...(change.previous ? { previous: change.previous } : {}),
      ...(change.next ? { next: change.next } : {}),
      ...(drift ? { drift } : {}),
      ...(drift && annotations ? { annotations } : {}),
      capturedAt: this.capturedAt,
    });
    if (result.warning) this.warnings.push(result.warning);
    if (result.outcome === 'replayed') this.replayed += 1;
    if (result.outcome === 'superseded') this.superseded += 1;
    if (drift && result.eventId && result.outcome !== 'replayed') {
      this.events[drift.severity] += 1;
      this.recorded.push(toDriftEventRecord(drift, result.eventId, this.capturedAt, annotations));
    }
  }
}
