/**
 * The notes a packet row can carry: what tracking found about the packet, as a stable id and its
 * parameters (analysis/track.ts adds them). Their words, in English and Chinese, and their colours
 * are render/notes.ts's catalogue (docs/contract.md, "Packet table").
 */

export type NoteId =
  | 'syn' | 'syn-retransmitted' | 'syn-ack' | 'handshake-ack'
  | 'fin' | 'fin-retransmitted' | 'fin-ack'
  | 'trailing-data' | 'trailing-ack' | 'data-after-fin'
  | 'rst-refused' | 'rst-closed-socket' | 'rst-after-fin' | 'rst-abort'
  | 'fin-inferred' | 'rst-unacceptable' | 'rst-unacknowledged-syn';

/** Parameters a note's text may use. `side` is who sent the FIN or the packet the note is about. */
export interface NoteParams {
  side?: 'client' | 'server';
  bytes?: number;
}

export interface NoteRef {
  id: NoteId;
  params: NoteParams;
}
