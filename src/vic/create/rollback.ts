// A journal of what a run created, undone in reverse order when the run fails, so that a failed create leaves the
// inventory and the datastores as they were (vic-machine 1.5 left pools, folders, VMs and files behind).

export interface UndoStep {
  /** what was created, e.g. 'resource pool "vch1"' */
  what: string;
  undo: () => Promise<void>;
}

export interface RollbackReport {
  removed: string[];
  failed: { what: string; error: string }[];
}

export class RollbackJournal {
  private readonly steps: UndoStep[] = [];

  record(what: string, undo: () => Promise<void>): void {
    this.steps.push({ what, undo });
  }

  get recorded(): readonly string[] {
    return this.steps.map((s) => s.what);
  }

  /** Undoes every step, newest first; a step that fails does not stop the others. */
  async rollback(onStep?: (what: string, error?: Error) => void): Promise<RollbackReport> {
    const report: RollbackReport = { removed: [], failed: [] };
    while (this.steps.length) {
      const step = this.steps.pop()!;
      try {
        await step.undo();
        report.removed.push(step.what);
        onStep?.(step.what);
      } catch (e) {
        report.failed.push({ what: step.what, error: (e as Error).message });
        onStep?.(step.what, e as Error);
      }
    }
    return report;
  }

  /** Forgets the steps: the objects now belong to a finished VCH. */
  commit(): void {
    this.steps.length = 0;
  }
}
