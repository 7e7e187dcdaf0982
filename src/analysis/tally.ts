import type { Cause, CauseId } from './causes.js';
import { CAUSE_IDS } from './causes.js';
import type { Report } from './report.js';
import type { TeardownClass } from './verdict-keys.js';
import { TEARDOWN_CLASSES } from './verdict-keys.js';

/**
 * The summary's counts (docs/contract.md, "summary and errors"): connections, by class and by
 * cause. The analyzer keeps one for the whole capture; `analyze` one for the connections a
 * selection shows.
 */
export class Tally {
  private readonly byClass: Partial<Record<TeardownClass, number>> = {};
  private readonly byCause: Partial<Record<CauseId, number>> = {};
  private flows = 0;

  add(v: { class: TeardownClass; causes: readonly Cause[] }): void {
    this.byClass[v.class] = (this.byClass[v.class] ?? 0) + 1;
    const causes = v.causes;
    for (let i = 0; i < causes.length; i++) {
      const id = (causes[i] as Cause).id;
      this.byCause[id] = (this.byCause[id] ?? 0) + 1;
    }
    this.flows++;
  }

  /** Adds the counts of another summary: a shard's or a job's, or another capture's (teardown merge). */
  addSummary(other: Report['summary']): void {
    for (const k of TEARDOWN_CLASSES) this.byClass[k] = (this.byClass[k] ?? 0) + (other.byClass[k] ?? 0);
    for (const k of CAUSE_IDS) this.byCause[k] = (this.byCause[k] ?? 0) + (other.byCause[k] ?? 0);
    this.flows += other.flows;
  }

  /** In the canonical order of classes and causes, whatever order connections were counted in: output stays deterministic. */
  summary(): Report['summary'] {
    const byClass: Partial<Record<TeardownClass, number>> = {};
    for (const k of TEARDOWN_CLASSES) if (this.byClass[k]) byClass[k] = this.byClass[k];
    const byCause: Partial<Record<CauseId, number>> = {};
    for (const k of CAUSE_IDS) if (this.byCause[k]) byCause[k] = this.byCause[k];
    return { flows: this.flows, byClass, byCause };
  }
}
