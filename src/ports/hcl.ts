// Parsing a Nomad job file: analyze reads jobs through this port, the WASM parser is its adapter
// (adapters/hcl). Bad HCL is an expected outcome, returned as located errors, never thrown.
import type { OutlineBlock } from '../model/hcl-outline.js';

export interface HclError {
  file: string;
  line: number;
  column: number;
  message: string;
}

export type HclParseResult =
  | { ok: true; file: string; body: Record<string, unknown>; outline: OutlineBlock[] }
  | { ok: false; file: string; errors: HclError[] };

export interface HclJobParser {
  parseJob(file: string, source: string): Promise<HclParseResult>;
}
