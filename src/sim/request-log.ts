// Every exchange the simulator served, for tests and for `steward sim`: which path, whether a
// token was sent (never its value), the status, and (when asked) both bodies for contract checks.

export type SimService = 'nomad' | 'consul';

export interface RequestRecord {
  service: SimService;
  method: string;
  path: string;
  /** The query string, `?` included (e.g. `?index=12&wait=60000ms`). */
  query: string;
  tokenPresent: boolean;
  status?: number;
  durationMs?: number;
  requestBody?: unknown;
  responseBody?: unknown;
  responseHeaders?: Record<string, string>;
}

export interface RequestFilter {
  service?: SimService;
  method?: string;
  /** A path prefix, or a pattern tested against the path. */
  path?: string | RegExp;
}

export class RequestLog {
  private readonly records: RequestRecord[] = [];

  /** `keepBodies` stores request and response bodies (contract tests); `limit` bounds memory. */
  constructor(
    private readonly keepBodies: boolean,
    private readonly limit = 10_000,
  ) {}

  start(service: SimService, method: string, path: string, query: string, tokenPresent: boolean): RequestRecord {
    const record: RequestRecord = { service, method, path, query, tokenPresent };
    this.records.push(record);
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
    return record;
  }

  /** Keeps the request body as it arrived (when bodies are kept). */
  request(record: RequestRecord, raw: string): void {
    if (this.keepBodies) record.requestBody = parseOrText(raw);
  }

  /** Keeps the answer exactly as sent: a copy, not the live state object it was built from. */
  finish(record: RequestRecord, status: number, text: string, headers: Record<string, string>, durationMs: number): void {
    Object.assign(record, { status, durationMs: Math.round(durationMs) });
    if (this.keepBodies) Object.assign(record, { responseBody: status < 300 ? parseOrText(text) : text, responseHeaders: headers });
  }

  all(filter: RequestFilter = {}): RequestRecord[] {
    return this.records.filter((r) => matches(r, filter));
  }

  count(filter: RequestFilter = {}): number {
    return this.all(filter).length;
  }

  clear(): void {
    this.records.length = 0;
  }
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function matches(record: RequestRecord, filter: RequestFilter): boolean {
  if (filter.service && record.service !== filter.service) return false;
  if (filter.method && record.method !== filter.method) return false;
  if (filter.path === undefined) return true;
  return typeof filter.path === 'string' ? record.path.startsWith(filter.path) : filter.path.test(record.path);
}

/**
 * How many requests watched one deployment (`/v1/deployment/<id>` and its allocations). With
 * blocking queries this stays near the number of changes the deployment went through; tight
 * polling makes it grow with time instead.
 */
export function countDeploymentRequests(log: Pick<RequestLog, 'all'>, deploymentId: string): number {
  return log.all({ service: 'nomad', path: new RegExp(`^/v1/deployment/(?:allocations/)?${deploymentId.replace(/[^A-Za-z0-9-]/g, '')}$`) }).length;
}
