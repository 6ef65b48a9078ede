// HCL2 variables and locals in job files: resolved when the file itself gives their value
// (a literal default or local), otherwise KEPT as written and reported, never guessed.
// Nomad's runtime interpolations (`${attr.kernel.name}`, `${NOMAD_PORT_http}`, `${meta.x}`) are not
// HCL2 expressions: Nomad passes them through to the client, so they count as resolved text.
import type { UnresolvedExpression } from '../../../model/nomad-job.js';
import { isBody, labelled, bodies, type RawBody } from './raw-hcl.js';

interface Interpolation {
  start: number;
  end: number;
  /** The text between `${` and `}`, or null for a `%{` directive. */
  expr: string | null;
}

/** Finds `${...}` interpolations and `%{...}` directives; `$${` and `%%{` are escapes. */
export function findInterpolations(text: string): Interpolation[] {
  const out: Interpolation[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      i += 3;
      continue;
    }
    if ((c === '$' || c === '%') && text[i + 1] === '{') {
      const close = matchingBrace(text, i + 2);
      out.push({ start: i, end: close + 1, expr: c === '$' ? text.slice(i + 2, close).trim() : null });
      i = close + 1;
      continue;
    }
    i++;
  }
  return out;
}

function matchingBrace(text: string, from: number): number {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return text.length - 1;
}

const HCL_ROOTS = new Set(['var', 'local', 'each', 'count', 'self', 'path', 'module', 'data', 'terraform']);
const TRAVERSAL = /^([A-Za-z_][A-Za-z0-9_-]*)(\.[A-Za-z0-9_-]+|\[\s*("[^"]*"|\d+)\s*\])*$/;

/** `attr.kernel.name`, `NOMAD_PORT_http`, `node.unique.name`: left for Nomad to fill in at runtime. */
export function isRuntimeInterpolation(expr: string): boolean {
  const m = TRAVERSAL.exec(expr);
  return m !== null && !HCL_ROOTS.has(m[1] ?? '');
}

/** True when a value still holds an HCL2 expression that is not a Nomad runtime interpolation. */
export function isUnresolved(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  return findInterpolations(value).some((i) => i.expr === null || !isRuntimeInterpolation(i.expr));
}

export interface Scope {
  variables: string[];
  /** Known values of `var.x` (literal defaults) and `local.x` (locals that resolved fully). */
  values: Map<string, unknown>;
  /** For each known local, the variables whose defaults it was built from. */
  localDefaults?: Map<string, string[]>;
}

export interface ResolveResult {
  value: unknown;
  unresolved: UnresolvedExpression[];
  defaultsUsed: Set<string>;
}

const SIMPLE_REF = /^(var|local)\.([A-Za-z_][A-Za-z0-9_-]*)$/;

/** Builds the scope of a file from its `variable` and `locals` blocks. */
export function buildScope(top: RawBody): Scope {
  const values = new Map<string, unknown>();
  const localDefaults = new Map<string, string[]>();
  const variables: string[] = [];
  for (const [name, body] of labelled(top.variable)) {
    variables.push(name);
    if ('default' in body && body.default !== null && !containsUnresolved(body.default)) values.set(`var.${name}`, body.default);
  }
  const locals = bodies(top.locals).flatMap((b) => Object.entries(b));
  // Locals may refer to each other in any order: a few passes settle every chain a file uses.
  for (let pass = 0; pass < 5; pass++) {
    let progressed = false;
    for (const [name, raw] of locals) {
      const key = `local.${name}`;
      if (values.has(key)) continue;
      const r = resolveValue(raw, { variables, values, localDefaults }, name);
      if (r.unresolved.length === 0) {
        values.set(key, r.value);
        localDefaults.set(key, [...r.defaultsUsed]);
        progressed = true;
      }
    }
    if (!progressed) break;
  }
  return { variables, values, localDefaults };
}

function containsUnresolved(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsUnresolved);
  if (isBody(value)) return Object.values(value).some(containsUnresolved);
  return isUnresolved(value);
}

/** Resolves what the scope knows inside any raw value; `path` names the field for reports. */
export function resolveValue(value: unknown, scope: Scope, path: string): ResolveResult {
  const acc: ResolveResult = { value: undefined, unresolved: [], defaultsUsed: new Set() };
  acc.value = walk(value, scope, path, acc);
  return acc;
}

function walk(value: unknown, scope: Scope, path: string, acc: ResolveResult): unknown {
  if (typeof value === 'string') return resolveString(value, scope, path, acc);
  if (Array.isArray(value)) {
    return value.map((v, i) => walk(v, scope, value.length > 1 || !isBody(v) ? `${path}[${i}]` : path, acc));
  }
  if (isBody(value)) {
    const out: RawBody = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'dynamic') {
        for (const [label] of labelled(v)) acc.unresolved.push({ path: join(path, `dynamic.${label}`), expression: `dynamic "${label}" block` });
      }
      out[k] = walk(v, scope, join(path, k), acc);
    }
    return out;
  }
  return value;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function resolveString(text: string, scope: Scope, path: string, acc: ResolveResult): unknown {
  const found = findInterpolations(text);
  if (found.length === 0) return text;
  const whole = found.length === 1 && found[0]!.start === 0 && found[0]!.end === text.length ? found[0]! : null;
  if (whole?.expr) {
    const known = lookup(whole.expr, scope, acc);
    if (known.found) return known.value;
  }
  let out = '';
  let last = 0;
  const unresolved: string[] = [];
  for (const i of found) {
    out += text.slice(last, i.start);
    last = i.end;
    const piece = text.slice(i.start, i.end);
    const known = i.expr === null ? { found: false } : lookup(i.expr, scope, acc);
    if (known.found && ['string', 'number', 'boolean'].includes(typeof known.value)) out += String(known.value);
    else {
      if (i.expr === null || !isRuntimeInterpolation(i.expr)) unresolved.push(piece);
      out += piece;
    }
  }
  out += text.slice(last);
  // Only the expressions are reported, never the literal text around them: a value such as a
  // connection string may carry a password beside its `${var.host}`.
  if (unresolved.length > 0) {
    const expression = unresolved.join(' ');
    acc.unresolved.push({ path, expression: expression.length > 200 ? `${expression.slice(0, 197)}...` : expression });
  }
  return out;
}

function lookup(expr: string, scope: Scope, acc: ResolveResult): { found: boolean; value?: unknown } {
  const m = SIMPLE_REF.exec(expr);
  if (!m) return { found: false };
  const key = `${m[1]}.${m[2]}`;
  if (!scope.values.has(key)) return { found: false };
  if (m[1] === 'var') acc.defaultsUsed.add(m[2]!);
  for (const name of scope.localDefaults?.get(key) ?? []) acc.defaultsUsed.add(name);
  return { found: true, value: scope.values.get(key) };
}
