import type { FlowReport } from '../analysis/report.js';
import type { StoredSlot } from '../analysis/teardown.js';
import type { ViewOptions } from './options.js';

type Picks = Pick<ViewOptions, 'flow' | 'port'>;

function picked(id: number, clientPort: number, serverPort: number, o: Picks): boolean {
  if (o.flow?.length && !o.flow.includes(id)) return false;
  if (o.port?.length && !o.port.includes(clientPort) && !o.port.includes(serverPort)) return false;
  return true;
}

/** `--flow` and `--port` pick the connections to show; with neither, all of them. */
export function selected(f: Pick<FlowReport, 'id' | 'client' | 'server'>, o: Picks): boolean {
  return picked(f.id, f.client.port, f.server.port, o);
}

/** `selected` for a connection read from the store's columns. */
export function selectedSlot({ store: s, slot }: StoredSlot, o: Picks): boolean {
  return picked(s.id[slot] as number, s.clientPort[slot] as number, s.serverPort[slot] as number, o);
}
