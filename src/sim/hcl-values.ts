// Small readers over @cdktn/hcl2json's output (labelled blocks `{label: [body]}`, unlabelled
// blocks `[body]`) and Nomad's value conversions (durations in nanoseconds, string maps).

export type Body = Record<string, unknown>;

/** A job file the simulator cannot turn into a job: answered with 400, like Nomad's parse errors. */
export class JobParseError extends Error {
  override readonly name = 'JobParseError';
}

export function isBody(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The bodies of an unlabelled block kind (`update`, `config`, `service`). */
export function blocks(body: Body, key: string): Body[] {
  const value = body[key];
  return Array.isArray(value) ? value.filter(isBody) : [];
}

export function block(body: Body, key: string): Body | undefined {
  return blocks(body, key)[0];
}

/** The `[label, body]` pairs of a labelled block kind (`group "web"`, `port "http"`). */
export function labelled(body: Body, key: string): Array<[string, Body]> {
  const value = body[key];
  if (!isBody(value)) return [];
  const out: Array<[string, Body]> = [];
  for (const [label, bodies] of Object.entries(value)) for (const b of Array.isArray(bodies) ? bodies.filter(isBody) : []) out.push([label, b]);
  return out;
}

export function str(body: Body, key: string): string | undefined {
  const value = body[key];
  return value === undefined || value === null ? undefined : String(value);
}

export function num(body: Body, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new JobParseError(`${key}: expected a number, got ${JSON.stringify(value)}`);
  return n;
}

export function bool(body: Body, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new JobParseError(`${key}: expected a boolean, got ${JSON.stringify(value)}`);
}

export function strings(body: Body, key: string): string[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new JobParseError(`${key}: expected a list, got ${JSON.stringify(value)}`);
  return value.map(String);
}

/** A `meta {}` or `env {}` block (or map attribute) as Nomad stores it: every value a string. */
export function stringMap(body: Body, key: string): Record<string, string> | undefined {
  const value = body[key];
  const source = Array.isArray(value) ? Object.assign({}, ...value.filter(isBody)) : isBody(value) ? value : undefined;
  if (!source) return undefined;
  return Object.fromEntries(Object.entries(source as Body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration, to nanoseconds ("1h30m", "500ms", "10s"). */
export function durationNs(body: Body, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  const text = String(value).trim();
  if (text === '0') return 0;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw new JobParseError(`${key}: invalid duration ${JSON.stringify(value)}`);
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_NS[p[2]!]!, 0));
}

/** Drops undefined members so that the JSON carries only what was set or defaulted. */
export function compact<T extends Body>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export const SECOND_NS = 1e9;
export const MINUTE_NS = 60 * SECOND_NS;
export const HOUR_NS = 60 * MINUTE_NS;
