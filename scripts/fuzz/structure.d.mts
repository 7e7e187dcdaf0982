export type FieldKind = 'length' | 'block-length' | 'option-length' | 'ip-length' | 'header-length' | 'block-type'
  | 'linktype' | 'timestamp' | 'tsresol' | 'flags' | 'other';
export interface Field { at: number; size: 1 | 2 | 4; le: boolean; kind: FieldKind; nibble?: 'hi' | 'lo' }
export interface Unit { at: number; length: number }
export interface Structure { format: 'pcap' | 'pcapng' | 'unknown'; boundaries: number[]; fields: Field[]; units: Unit[] }
export declare function describe(b: Uint8Array): Structure;
