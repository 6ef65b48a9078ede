// A local GitHub REST API double on loopback. Every request and response is checked against
// GitHub's OpenAPI description; faults (403 for check runs, rate limits, 5xx) can be injected.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sharedContract, type ContractViolation, type ResolvedOperation } from './contract.js';
import { fail, type Reply, type Route } from './http.js';
import { ObjectBuilder } from './objects.js';
import { checkAndIssueRoutes } from './routes-checks-issues.js';
import { issueRoutes } from './routes-issues.js';
import { gitAndDeploymentRoutes } from './routes-git-deployments.js';
import { pullRoutes } from './routes-pulls.js';
import { RepoState } from './state.js';

export type FaultKind = 'integration-forbidden' | 'rate-limit' | 'secondary-rate-limit' | 'server-error';

export interface Fault {
  /** e.g. `checks/create`; every operation when absent. */
  operationId?: string;
  kind: FaultKind;
  /** How many matching requests fail before the fault clears (Infinity: always). */
  times: number;
}

export interface Exchange {
  method: string;
  url: string;
  operationId: string | null;
  authorization: string | undefined;
  /** Every other request header, as sent. */
  headers: Record<string, string | string[] | undefined>;
  requestBody: string;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: string;
}

const ROUTES: Route[] = [...checkAndIssueRoutes, ...issueRoutes, ...pullRoutes, ...gitAndDeploymentRoutes];

interface CompiledRoute {
  route: Route;
  op: ResolvedOperation;
  segments: string[];
}

export interface GitHubDoubleOptions {
  repository?: string;
  token: string;
}

function faultReply(kind: FaultKind): Reply {
  const reset = String(Math.floor(Date.now() / 1000) + 1);
  switch (kind) {
    case 'integration-forbidden':
      return fail(403, 'Resource not accessible by integration');
    case 'rate-limit':
      return { ...fail(403, 'API rate limit exceeded for installation ID 1.'), headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '5000', 'x-ratelimit-reset': reset } };
    case 'secondary-rate-limit':
      return { ...fail(429, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'), headers: { 'retry-after': '1' } };
    case 'server-error':
      return fail(502, 'Server Error');
  }
}

/** The operation as the route names it, when there is no description to resolve it from. */
function uncheckedOperation(route: Route): ResolvedOperation {
  return { method: route.method, template: route.template, operationId: route.operationId ?? `${route.method} ${route.template}`, params: [] };
}

export class GitHubDouble {
  readonly state: RepoState;
  readonly exchanges: Exchange[] = [];
  readonly violations: ContractViolation[] = [];
  readonly faults: Fault[] = [];
  private readonly contract = sharedContract();
  private readonly routes: CompiledRoute[];
  private server = createServer((req, res) => void this.handle(req, res));
  url = '';

  constructor(private readonly options: GitHubDoubleOptions) {
    this.state = new RepoState(options.repository ?? 'homelab/infra');
    this.routes = ROUTES.map((route) => ({ route, op: this.contract?.operation(route.method, route.template) ?? uncheckedOperation(route), segments: route.template.split('/') }));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  inject(fault: Fault): void {
    this.faults.push(fault);
  }

  /** Requests that reached an operation, e.g. `calls('checks/create')`. */
  calls(operationId: string): Exchange[] {
    return this.exchanges.filter((e) => e.operationId === operationId);
  }

  private match(method: string, path: string): { compiled: CompiledRoute; params: Record<string, string> } | null {
    const parts = path.split('/');
    for (const compiled of this.routes) {
      if (compiled.route.method !== method || compiled.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const hit = compiled.segments.every((segment, i) => {
        const param = /^\{(\w+)\}$/.exec(segment);
        if (param) {
          params[param[1]!] = decodeURIComponent(parts[i]!);
          return parts[i] !== '';
        }
        return segment === parts[i];
      });
      if (hit) return { compiled, params };
    }
    return null;
  }

  private takeFault(operationId: string): Fault | undefined {
    const fault = this.faults.find((f) => f.times > 0 && (!f.operationId || f.operationId === operationId));
    if (fault) fault.times -= 1;
    return fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.exchange(req, res);
    } catch (error) {
      // A bug in the double must fail the test, not hang the client.
      this.violations.push({ operation: `${req.method} ${req.url}`, where: 'response', message: `the double crashed: ${(error as Error).message}` });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'double crashed' }));
    }
  }

  private async exchange(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const requestBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const found = this.match(method, url.pathname);
    const { authorization, ...headers } = req.headers;
    let reply: Reply;
    if (!found) {
      this.violations.push({ operation: `${method} ${url.pathname}`, where: 'path', message: 'no such operation in the double' });
      reply = fail(404, 'Not Found');
    } else {
      reply = this.reply(found.compiled, found.params, url, requestBody, authorization);
      this.violations.push(...(this.contract?.validateResponse(found.compiled.op, reply.status, reply.body) ?? []));
    }
    const responseBody = reply.body === undefined ? '' : JSON.stringify(reply.body);
    const responseHeaders = { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', 'x-github-api-version-selected': '2022-11-28', ...reply.headers };
    this.exchanges.push({ method, url: url.pathname + url.search, operationId: found?.compiled.op.operationId ?? null, authorization, headers, requestBody, status: reply.status, responseHeaders, responseBody });
    res.writeHead(reply.status, responseHeaders);
    res.end(responseBody);
  }

  private reply(compiled: CompiledRoute, params: Record<string, string>, url: URL, requestBody: string, authorization: string | undefined): Reply {
    const expected = [`token ${this.options.token}`, `bearer ${this.options.token}`];
    if (!authorization || !expected.includes(authorization.replace(/^Bearer /, 'bearer '))) return fail(401, 'Bad credentials');
    let body: unknown;
    try {
      body = requestBody === '' ? undefined : JSON.parse(requestBody);
    } catch {
      return fail(400, 'Problems parsing JSON');
    }
    const problems = this.contract?.validateRequest(compiled.op, params, url.searchParams, body) ?? [];
    if (problems.length > 0) {
      this.violations.push(...problems);
      return { status: 422, body: { message: 'Invalid request.', documentation_url: 'https://docs.github.com/rest', errors: problems.map((p) => p.message) } };
    }
    if (params.owner !== this.state.owner || params.repo !== this.state.name) return fail(404, 'Not Found');
    const fault = this.takeFault(compiled.op.operationId);
    if (fault) return faultReply(fault.kind);
    const objects = new ObjectBuilder(this.state, this.url);
    return compiled.route.handler({ state: this.state, objects, params, query: url.searchParams, body, url: `${this.url}${url.pathname}` });
  }
}

export async function startGitHubDouble(options: GitHubDoubleOptions): Promise<GitHubDouble> {
  return new GitHubDouble(options).start();
}

/** Every operation the double serves (for the contract test). */
export const DOUBLE_ROUTES: readonly Route[] = ROUTES;
