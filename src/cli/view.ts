import type { FlowReport } from '../analysis/report.js';
import type { ViewOptions } from './options.js';

type Picks = Pick<ViewOptions, 'flow' | 'port'>;

/**
 * `--flow` and `--port` pick the connections to show; with neither, all of them. `f` is a report
 * or a connection view (both have an id and two endpoints with ports).
 */
export function selected(f: Pick<FlowReport, 'id' | 'client' | 'server'>, o: Picks): boolean {
  if (o.flow?.length && !o.flow.includes(f.id)) return false;
  if (o.port?.length && !o.port.includes(f.client.port) && !o.port.includes(f.server.port)) return false;
  return true;
}
