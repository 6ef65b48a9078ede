// Readers for hcl2json's JSON shape: labelled blocks are `{label: [body]}`, unlabelled blocks
// `[body]`, and a block written as an attribute (`mount = {...}`) is a bare object.
import { createHash } from 'node:crypto';
import { stableJson } from '../../../json.js';

export type RawBody = Record<string, unknown>;

export function isBody(value: unknown): value is RawBody {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Bodies of an unlabelled block (or of an object / list of objects given as an attribute). */
export function bodies(value: unknown): RawBody[] {
  if (Array.isArray(value)) return value.filter(isBody);
  if (isBody(value)) return [value];
  return [];
}

/** The first body of an unlabelled block, or undefined. */
export function firstBody(value: unknown): RawBody | undefined {
  return bodies(value)[0];
}

/** Labelled blocks as [label, body] pairs, in the parser's order (a label written twice gives two). */
export function labelled(value: unknown): Array<[string, RawBody]> {
  if (!isBody(value)) return [];
  const out: Array<[string, RawBody]> = [];
  for (const [label, list] of Object.entries(value)) for (const body of bodies(list)) out.push([label, body]);
  return out;
}

export function str(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** A number, also from a numeric string (`static = "1400"` is valid Nomad HCL). */
export function num(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return null;
}

export function int(value: unknown): number | null {
  const n = num(value);
  return n !== null && Number.isInteger(n) ? n : null;
}

export function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

/** A list of strings; a single string becomes a one-element list; expressions stay as strings. */
export function strList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(str).filter((v): v is string => v !== null);
  const one = str(value);
  return one === null ? [] : [one];
}

/** A flat string map from `meta { ... }` / `meta = {...}` (merging repeated blocks). */
export function strMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const body of bodies(value)) {
    for (const [k, v] of Object.entries(body)) {
      const s = str(v);
      out[k] = s ?? JSON.stringify(v);
    }
  }
  return out;
}

/** Short, stable digest of any JSON value (for content we must not keep, or only compare). */
export function digest(value: unknown): string {
  return `sha256:${createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 16)}`;
}

