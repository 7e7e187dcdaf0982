import type { FlowReport } from '../analysis/report.js';
import type { ViewOptions } from './options.js';

/** `--flow` and `--port` pick the connections to show; with neither, all of them. */
export function selected(f: Pick<FlowReport, 'id' | 'client' | 'server'>, o: Pick<ViewOptions, 'flow' | 'port'>): boolean {
  if (o.flow?.length && !o.flow.includes(f.id)) return false;
  if (o.port?.length && !o.port.includes(f.client.port) && !o.port.includes(f.server.port)) return false;
  return true;
}
