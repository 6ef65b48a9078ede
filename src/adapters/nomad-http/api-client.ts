// The request loop shared by the Nomad and Consul clients: token header, default query
// (namespace, region), blocking queries, deadline, retries of idempotent calls, zod validation of
// every answer, and errors as ApiError with the token redacted.
import type { z } from 'zod';
import { ApiError } from '../../errors.js';
import { silentLogger, type Logger } from '../../ports/logger.js';
import type { BlockingQuery } from '../../ports/nomad.js';
import { Redactor } from '../../redact.js';
import { createTransport, TransportError, type TlsOptions, type Transport } from './transport.js';

export interface ApiClientOptions {
  /** `nomad` or `consul`: names the service in errors and logs. */
  service: string;
  address: string;
  token?: string;
  tokenHeader: string;
  indexHeader: string;
  /** Sent with every request when set (Nomad: namespace, region; Consul: dc). */
  defaultQuery?: Record<string, string | undefined>;
  tls?: TlsOptions;
  /** Deadline of one exchange; a blocking query gets its wait on top. Default 10 s. */
  timeoutMs?: number;
  /** Extra attempts for idempotent calls after a 5xx or a transport failure. Default 2. */
  retries?: number;
  /** First back-off delay, doubled on each retry. Default 250 ms. */
  retryDelayMs?: number;
  logger?: Logger;
  redactor?: Redactor;
  /** For tests: a transport other than node:http/https. */
  transport?: Transport;
}

export interface CallOptions<S extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  schema: S;
  /** Whether a failure may be retried: reads and dry-runs yes; registers and reverts never. */
  idempotent: boolean;
  blocking?: BlockingQuery;
  /** `text`: the answer is plain text (a task's logs with `plain=true`), checked by `schema` as a string. */
  answer?: 'json' | 'text';
}

export interface CallResult<T> {
  status: number;
  index: number;
  value: T;
}

/** Nomad and Consul cap a blocking wait at 10 minutes and add up to wait/16 of jitter. */
const MAX_WAIT_MS = 10 * 60_000;

export class ApiClient {
  private readonly transport: Transport;
  private readonly redactor: Redactor;
  private readonly logger: Logger;
  private readonly base: URL;

  constructor(private readonly options: ApiClientOptions) {
    this.transport = options.transport ?? createTransport(options.tls);
    this.redactor = options.redactor ?? new Redactor();
    this.redactor.add(options.token);
    this.logger = options.logger ?? silentLogger;
    this.base = new URL(options.address.endsWith('/') ? options.address : `${options.address}/`);
  }

  /** Calls the API; any answer outside 2xx throws ApiError (callers turn an expected 404 into null). */
  async call<S extends z.ZodType>(call: CallOptions<S>): Promise<CallResult<z.infer<S>>> {
    const url = this.buildUrl(call);
    const waitMs = call.blocking?.index ? Math.min(call.blocking.waitMs ?? 5 * 60_000, MAX_WAIT_MS) : 0;
    const timeoutMs = (this.options.timeoutMs ?? 10_000) + waitMs + Math.ceil(waitMs / 16);
    const headers: Record<string, string> = { accept: call.answer === 'text' ? 'text/plain' : 'application/json' };
    if (this.options.token) headers[this.options.tokenHeader] = this.options.token;
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const label = `${call.method} ${url.pathname}`;
    const attempts = call.idempotent ? 1 + (this.options.retries ?? 2) : 1;
    let lastError: ApiError | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep((this.options.retryDelayMs ?? 250) * 2 ** (attempt - 1));
      const started = performance.now();
      try {
        const response = await this.transport.send({ method: call.method, url, headers, body, timeoutMs });
        this.logger.debug(this.redactor.redact(`${this.options.service} ${label}${url.search} -> ${response.status} in ${Math.round(performance.now() - started)} ms`));
        if (response.status >= 200 && response.status < 300) {
          return { status: response.status, index: Number(response.headers[this.options.indexHeader.toLowerCase()] ?? 0) || 0, value: call.answer === 'text' ? (call.schema.parse(response.body) as z.infer<S>) : this.parse(call.schema, response.body, label, response.status) };
        }
        lastError = this.error(response.status, `${label}: ${response.status} ${response.body.trim().slice(0, 300) || '(no body)'}`);
        if (response.status < 500) throw lastError;
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        this.logger.debug(this.redactor.redact(`${this.options.service} ${label}: ${error.message}`));
        lastError = this.error(undefined, `${label}: ${error.message} (${this.base.origin})`);
      }
      if (attempt + 1 < attempts) this.logger.debug(this.redactor.redact(`${this.options.service} ${label}: retrying (${lastError.message})`));
    }
    throw lastError ?? this.error(undefined, `${label}: no attempt made`);
  }

  close(): void {
    this.transport.close();
  }

  private buildUrl(call: CallOptions<z.ZodType>): URL {
    const url = new URL(call.path.replace(/^\//, ''), this.base);
    const query = { ...this.options.defaultQuery, ...call.query };
    if (call.blocking?.index) {
      query.index = String(call.blocking.index);
      query.wait = `${Math.min(call.blocking.waitMs ?? 5 * 60_000, MAX_WAIT_MS)}ms`;
    }
    for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') url.searchParams.set(name, value);
    return url;
  }

  private parse<S extends z.ZodType>(schema: S, body: string, label: string, status: number): z.infer<S> {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw this.error(status, `${label}: answer is not JSON: ${body.slice(0, 120)}`);
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data as z.infer<S>;
    const issues = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw this.error(status, `${label}: unexpected answer (${issues.join('; ')})`);
  }

  private error(status: number | undefined, message: string): ApiError {
    return new ApiError(this.options.service, status, this.redactor.redact(message));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
