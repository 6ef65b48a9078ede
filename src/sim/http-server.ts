// The simulator's HTTP layer (node:http on loopback): routing, ACL tokens, blocking queries that
// really wait for the index to move, injected faults (delays, 5xx) and a log of every exchange.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimError, type ClusterState } from './cluster-state.js';
import type { RequestLog, SimService } from './request-log.js';

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export interface RouteAnswer {
  status?: number;
  body: unknown;
  /** The X-*-Index of the answer; blocking queries wait until it passes the asked index. */
  index?: number;
  /** A body sent as is (a string) with this type instead of JSON, e.g. `text/plain` logs. */
  contentType?: string;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: string;
  /** Answered without a leader (agent-local endpoints such as /v1/status/leader). */
  noLeader?: boolean;
  /** Answered without a token even when ACLs are on. */
  noAcl?: boolean;
  /** GET handlers are synchronous, so that a blocking query can re-run them on every change. */
  handle(request: RouteRequest): RouteAnswer | Promise<RouteAnswer>;
}

export interface FailureRule {
  service?: SimService;
  match: string | RegExp;
  status: number;
  /** How many requests fail before the rule expires; Infinity for all. */
  remaining: number;
}

export interface DelayRule {
  service?: SimService;
  match?: string | RegExp;
  ms: number;
}

export interface Faults {
  failures: FailureRule[];
  delays: DelayRule[];
}

export interface ServerOptions {
  service: SimService;
  host: string;
  port: number;
  token?: string;
  routes: Route[];
  state: ClusterState;
  faults: Faults;
  log: RequestLog;
}

const MAX_WAIT_MS = 10 * 60_000;

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startHttpServer(options: ServerOptions): Promise<RunningServer> {
  const releases = new Set<() => void>();
  const prefix = options.service === 'nomad' ? 'X-Nomad' : 'X-Consul';
  const server = http.createServer((req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://sim');
    const entry = options.log.start(options.service, req.method ?? 'GET', url.pathname, url.search, Boolean(req.headers[`${prefix.toLowerCase()}-token`]));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void respond(req, Buffer.concat(chunks).toString('utf8')).then(({ status, body, index, contentType }) => {
        const raw = typeof body === 'string' && (status >= 300 || contentType !== undefined);
        const headers: Record<string, string> = { 'content-type': contentType ?? (raw ? 'text/plain' : 'application/json') };
        if (index !== undefined) headers[`${prefix}-Index`] = String(Math.max(1, index));
        if (status < 300) Object.assign(headers, { [`${prefix}-KnownLeader`]: String(Boolean(options.state.leaders[options.service])), [`${prefix}-LastContact`]: '0' });
        const text = raw ? (body as string) : JSON.stringify(body);
        res.writeHead(status, headers).end(text);
        options.log.finish(entry, status, text, headers, performance.now() - started);
      });
    });

    async function respond(request: http.IncomingMessage, raw: string): Promise<{ status: number; body: unknown; index?: number; contentType?: string }> {
      const delay = options.faults.delays.find((d) => (!d.service || d.service === options.service) && matches(d.match, url.pathname));
      if (delay) await sleep(delay.ms, releases, res);
      const failure = options.faults.failures.find((f) => (!f.service || f.service === options.service) && f.remaining > 0 && matches(f.match, url.pathname));
      if (failure) {
        failure.remaining -= 1;
        return { status: failure.status, body: `simulated failure (${failure.status})` };
      }
      const found = findRoute(options.routes, request.method ?? 'GET', url.pathname);
      if (!found) return { status: 404, body: '404 page not found' };
      if (found === 'method') return { status: 405, body: 'Invalid method' };
      const [route, params] = found;
      if (options.token && !route.noAcl && request.headers[`${prefix.toLowerCase()}-token`] !== options.token) return { status: 403, body: 'Permission denied' };
      let body: unknown;
      if (raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          return { status: 400, body: 'Failed to decode request body' };
        }
        options.log.request(entry, raw);
      }
      try {
        if (!route.noLeader) options.state.requireLeader(options.service);
        const run = () => route.handle({ params, query: url.searchParams, body }) as RouteAnswer;
        const minIndex = Number(url.searchParams.get('index') ?? 0);
        let answer = await route.handle({ params, query: url.searchParams, body });
        if (request.method === 'GET' && minIndex > 0 && answer.index !== undefined && answer.index <= minIndex) {
          answer = await block(options.state, run, minIndex, parseWait(url.searchParams.get('wait')), releases, res);
        }
        return { status: answer.status ?? 200, body: answer.body, index: answer.index, ...(answer.contentType ? { contentType: answer.contentType } : {}) };
      } catch (error) {
        if (error instanceof SimError) return { status: error.status, body: error.message };
        return { status: 500, body: error instanceof Error ? error.message : String(error) };
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const release of [...releases]) release();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Waits until the answer's index passes `minIndex`, the wait runs out, or the server closes. */
function block(state: ClusterState, run: () => RouteAnswer, minIndex: number, waitMs: number, releases: Set<() => void>, res: http.ServerResponse): Promise<RouteAnswer> {
  return new Promise((resolve) => {
    let last = run();
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      releases.delete(done);
      resolve(last);
    };
    const timer = setTimeout(done, waitMs);
    const unsubscribe = state.onChange(() => {
      try {
        last = run();
      } catch {
        // The object may be gone or the leader lost: answer with what there was when the wait ends.
        return;
      }
      if ((last.index ?? 0) > minIndex) done();
    });
    releases.add(done);
    // A client that gave up (its own timeout) must not keep a listener until the wait ends.
    res.once('close', done);
  });
}

function findRoute(routes: Route[], method: string, path: string): [Route, Record<string, string>] | 'method' | undefined {
  let wrongMethod = false;
  for (const route of routes) {
    const params = matchPattern(route.pattern, path);
    if (!params) continue;
    if (route.method === method || (route.method === 'POST' && method === 'PUT')) return [route, params];
    wrongMethod = true;
  }
  return wrongMethod ? 'method' : undefined;
}

function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i]!.startsWith(':')) params[want[i]!.slice(1)] = decodeURIComponent(got[i]!);
    else if (want[i] !== got[i]) return undefined;
  }
  return params;
}

function matches(match: string | RegExp | undefined, path: string): boolean {
  if (match === undefined) return true;
  return typeof match === 'string' ? path.startsWith(match) : match.test(path);
}

/** Go duration as Nomad and Consul accept it for `wait` ("300ms", "5s", "1m"); default 5 minutes. */
export function parseWait(value: string | null): number {
  const m = value ? /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value) : null;
  if (!m) return 5 * 60_000;
  const ms = Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000);
  return Math.min(ms, MAX_WAIT_MS);
}

function sleep(ms: number, releases: Set<() => void>, res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      releases.delete(done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    releases.add(done);
    res.once('close', done);
  });
}
