// Parses a Nomad job file with @cdktn/hcl2json (HCL -> JSON in WASM) into a result value:
// bad HCL is an expected outcome, reported as errors with file, line and column, never thrown.
import { z } from 'zod';
import type { OutlineBlock } from '../../model/hcl-outline.js';
import type { HclError, HclJobParser, HclParseResult } from '../../ports/hcl.js';
import { buildHclOutline } from './hcl-outline.js';

export type { HclError, HclParseResult };

/** The port analyze reads job files through. */
export const hclJobParser: HclJobParser = { parseJob: (file, source) => parseJobHcl(file, source) };

/** The top level of hcl2json's answer: an object of attributes and blocks. */
const HclBody = z.record(z.string(), z.unknown());

// The name handed to the parser: fixed and plain, so that positions can be found in its messages
// whatever characters the real path holds (hcl2json prints `name:line,col-line,col: summary; detail`).
const PARSER_NAME = 'steward-input.hcl';
const POSITION = /steward-input\.hcl:(\d+),(\d+)(?:-(?:\d+,)?\d+)?: /g;

// Loaded on first use: importing the package starts its WASM runtime (~0.1 s), which commands
// that never read a job file should not pay for.
let parser: Promise<typeof import('@cdktn/hcl2json')> | undefined;

// Base and head of a change share most job files: a file parsed once is not parsed again.
// Keyed by content (results carry no file name until returned); bounded, oldest out first.
const CACHE_LIMIT = 4096;
type Parsed = { ok: true; body: Record<string, unknown>; outline: OutlineBlock[] } | { ok: false; errors: Array<Omit<HclError, 'file'>> };
const cache = new Map<string, Parsed>();

export async function parseJobHcl(file: string, source: string): Promise<HclParseResult> {
  let parsed = cache.get(source);
  if (!parsed) {
    parsed = await parseUncached(source);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(source, parsed);
  }
  // Callers read these results and never change them (normalisation builds new objects).
  if (parsed.ok) return { ok: true, file, body: parsed.body, outline: parsed.outline };
  return { ok: false, file, errors: parsed.errors.map((e) => ({ file, ...e, message: e.message.replaceAll(PARSER_NAME, file) })) };
}

async function parseUncached(source: string): Promise<Parsed> {
  // A failure to load the parser is a broken installation, not bad HCL: it throws.
  const { parse } = await (parser ??= import('@cdktn/hcl2json'));
  let raw: unknown;
  try {
    raw = await parse(PARSER_NAME, source);
  } catch (error) {
    const errors = parseHclErrorMessage(PARSER_NAME, error instanceof Error ? error.message : String(error));
    return { ok: false, errors: errors.map(({ file: _file, ...rest }) => rest) };
  }
  const body = HclBody.safeParse(raw);
  if (!body.success) return { ok: false, errors: [{ line: 1, column: 1, message: 'the HCL parser returned no object' }] };
  return { ok: true, body: body.data, outline: outlineOf(source) };
}

/** Positions are a convenience: a file too deeply nested for the scanner just has none. */
function outlineOf(source: string): OutlineBlock[] {
  try {
    return buildHclOutline(source);
  } catch {
    return [];
  }
}

/** Splits hcl2json's one-string error into located errors (several can come at once); the
 *  parser's name for the input is replaced by `file`. */
export function parseHclErrorMessage(file: string, message: string): HclError[] {
  const text = message.replace(/^parse config: \[/, '').replace(/\]\s*$/, '');
  const matches = [...text.matchAll(POSITION)];
  if (matches.length === 0) return [{ file, line: 1, column: 1, message: text.replaceAll(PARSER_NAME, file) }];
  return matches.map((m, i) => {
    const start = (m.index ?? 0) + m[0].length;
    const end = matches[i + 1]?.index ?? text.length;
    return {
      file,
      line: Number(m[1]),
      column: Number(m[2]),
      message: text.slice(start, end).trim().replaceAll(PARSER_NAME, file),
    };
  });
}
