import type { RunEvent } from '../../../shared/run/events';

type Finished = Extract<RunEvent, { type: 'run_finished' }>;

/**
 * The run events the API service emits, gathered by run id, so that the run tool can answer
 * when its run has finished. Events may arrive before the tool learns its run's id (the
 * service resolves the id on `run_started`, and nodes may start in the same turn), so every
 * run's events are kept from its first one until the tool takes them.
 */
export class RunEvents {
  private readonly byRun = new Map<string, { events: RunEvent[]; done: boolean; wake: (() => void) | null }>();

  private entry(runId: string) {
    let e = this.byRun.get(runId);
    if (!e) {
      e = { events: [], done: false, wake: null };
      this.byRun.set(runId, e);
    }
    return e;
  }

  push(event: RunEvent): void {
    const e = this.entry(event.runId);
    e.events.push(event);
    if (event.type === 'run_finished') e.done = true;
    const wake = e.wake;
    e.wake = null;
    wake?.();
  }

  /** Every event of the run once it has finished; `onEvent` sees each as it comes. The run's events are then forgotten. */
  async finished(runId: string, onEvent?: (event: RunEvent) => void): Promise<{ events: RunEvent[]; finished: Finished }> {
    const e = this.entry(runId);
    for (let seen = 0; ; ) {
      for (; seen < e.events.length; seen++) onEvent?.(e.events[seen]!);
      if (e.done) break;
      await new Promise<void>((wake) => (e.wake = wake));
    }
    this.byRun.delete(runId);
    const finished = e.events.find((x): x is Finished => x.type === 'run_finished')!;
    return { events: e.events, finished };
  }
}
