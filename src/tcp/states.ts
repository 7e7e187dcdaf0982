/** Endpoint states, RFC 9293 §3.3.2 names with underscores, as docs/contract.md, "State names" lists them. */
export const TCP_STATES = [
  'CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2',
  'CLOSING', 'TIME_WAIT', 'CLOSE_WAIT', 'LAST_ACK',
] as const;

export type TcpState = (typeof TCP_STATES)[number];

/** The two endpoints of a connection, as the report names them. */
export type Side = 'client' | 'server';

/** Both endpoints' states, as the report reads them (tcp/machine.ts moves them). */
export interface EndpointStates {
  get(side: Side): TcpState;
  readonly client: TcpState;
  readonly server: TcpState;
}
