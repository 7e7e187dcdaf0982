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
    for (const cause of v.causes) this.byCause[cause.id] = (this.byCause[cause.id] ?? 0) + 1;
    this.flows++;
  }

  /** Adds another tally's counts (one shard's, `--jobs`): the sum is the tally of both. */
  addSummary(other: Report['summary']): void {
    for (const [k, n] of Object.entries(other.byClass)) this.byClass[k as TeardownClass] = (this.byClass[k as TeardownClass] ?? 0) + (n ?? 0);
    for (const [k, n] of Object.entries(other.byCause)) this.byCause[k as CauseId] = (this.byCause[k as CauseId] ?? 0) + (n ?? 0);
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
