// The HTTP listener of `steward serve` (node:http): validate, enqueue durably, answer 202 within
// milliseconds; the work happens later in the worker. Routes: POST /alertmanager, POST /github,
// GET /healthz. Every refusal is a clear 4xx with a JSON body saying why.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '@octokit/webhooks-methods';
import type { Logger } from '../../ports/logger.js';
import type { ServeQueue } from '../../ports/serve-queue.js';
import { AlertmanagerPayload } from '../../stages/serve/alertmanager-payload.js';
import { planGitHubEvent } from '../../stages/serve/github-event.js';
import { isAuthorized, type ExpectedCredential } from '../../stages/serve/request-auth.js';
import { createIntakeBatcher, type IntakeBatcher } from './intake-batcher.js';
import { readBody } from './read-body.js';

export interface ServeListenerOptions {
  host: string;
  port: number;
  maxBodyBytes: number;
  requestTimeoutMs: number;
  /** POST /alertmanager is served when set. */
  alertmanager?: ExpectedCredential;
  /** POST /github is served when set. */
  github?: { secret: string; mainBranch: string };
}

export interface ServeListenerDeps {
  queue: ServeQueue;
  logger: Logger;
  /** Called after a job was queued, to wake the worker. */
  onQueued?: () => void;
}

export interface ServeListener {
  url: string;
  server: Server;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

const refuse = (status: number, error: string, headers?: Record<string, string>): Reply => ({ status, body: { error }, ...(headers ? { headers } : {}) });
const ROUTES: Record<string, string> = { '/alertmanager': 'POST', '/github': 'POST', '/healthz': 'GET' };

export async function startServeListener(deps: ServeListenerDeps, options: ServeListenerOptions): Promise<ServeListener> {
  const batcher = createIntakeBatcher(deps.queue);
  // Whole request (headers and body) within the deadline, else 408: a slow client holds nothing.
  const timeouts = {
    requestTimeout: options.requestTimeoutMs,
    headersTimeout: Math.min(options.requestTimeoutMs, 60_000),
    // Node checks the deadlines on this interval (30 s by default, too coarse for a 10 s deadline).
    connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(options.requestTimeoutMs / 4))),
    keepAliveTimeout: 5_000,
  };
  const server = createServer(timeouts, (req, res) => {
    handle(deps, batcher, options, req)
      .catch((error: unknown): Reply => {
        deps.logger.error(`serve: ${req.method} ${req.url}: ${(error as Error).message}`);
        return refuse(503, 'could not queue the request; retry');
      })
      .then((reply) => send(res, reply));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent) return;
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...reply.headers });
  res.end(body);
}

async function handle(deps: ServeListenerDeps, batcher: IntakeBatcher, options: ServeListenerOptions, req: IncomingMessage): Promise<Reply> {
  const pathname = new URL(req.url ?? '/', 'http://serve').pathname;
  const enabled = pathname === '/healthz' || (pathname === '/alertmanager' && options.alertmanager) || (pathname === '/github' && options.github);
  const method = ROUTES[pathname];
  if (!method || !enabled) return refuse(404, `no route ${pathname}`);
  if (req.method !== method) return refuse(405, `${pathname} takes ${method}`, { allow: method });
  if (pathname === '/healthz') return { status: 200, body: { status: 'ok' } };
  if (pathname === '/alertmanager' && !isAuthorized(req.headers.authorization, options.alertmanager!)) {
    // Refused before the body is read: an unauthenticated client cannot make Steward buffer anything.
    return refuse(401, 'missing or wrong credentials', { 'www-authenticate': options.alertmanager!.type === 'bearer' ? 'Bearer' : 'Basic realm="steward"' });
  }
  const body = await readBody(req, options.maxBodyBytes);
  if (body.kind === 'too-large') return refuse(413, `body larger than ${options.maxBodyBytes} bytes`, { connection: 'close' });
  if (body.kind === 'aborted') return refuse(400, 'request aborted');
  return pathname === '/alertmanager' ? intakeAlertmanager(deps, batcher, body.text) : intakeGitHub(deps, batcher, options.github!, req, body.text);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

async function intakeAlertmanager(deps: ServeListenerDeps, batcher: IntakeBatcher, text: string): Promise<Reply> {
  const json = parseJson(text);
  if (!json.ok) return refuse(400, 'body is not JSON');
  const payload = AlertmanagerPayload.safeParse(json.value);
  if (!payload.success) return refuse(400, `not an Alertmanager webhook payload (version 4): ${payload.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  // Alertmanager cut the group short (max_alerts): what is missing is said, not guessed.
  if (payload.data.truncatedAlerts > 0) deps.logger.warn(`serve: Alertmanager left out ${payload.data.truncatedAlerts} alerts of a group (its max_alerts)`);
  const intake = await batcher.submit(() => deps.queue.intakeAlerts(payload.data));
  if (intake.queued === 'new-job' || intake.resolved) deps.onQueued?.();
  return { status: 202, body: { ...intake } };
}

async function intakeGitHub(deps: ServeListenerDeps, batcher: IntakeBatcher, github: { secret: string; mainBranch: string }, req: IncomingMessage, text: string): Promise<Reply> {
  const signature = header(req, 'x-hub-signature-256');
  if (!signature || !(await verify(github.secret, text, signature).catch(() => false))) return refuse(401, 'missing or wrong X-Hub-Signature-256');
  const event = header(req, 'x-github-event');
  const delivery = header(req, 'x-github-delivery');
  if (!event || !delivery) return refuse(400, 'X-GitHub-Event and X-GitHub-Delivery are required');
  const json = parseJson(text);
  if (!json.ok) return refuse(400, 'body is not JSON');
  const plan = planGitHubEvent(event, json.value, { mainBranch: github.mainBranch });
  if (plan.kind === 'invalid') return refuse(400, plan.why);
  const job = plan.kind === 'job' ? { dedupKey: plan.dedupKey, payload: plan.payload } : null;
  const result = await batcher.submit(() => deps.queue.intakeDelivery('github', delivery, job));
  if (result.status === 'queued') deps.onQueued?.();
  return { status: plan.kind === 'ignored' && result.status === 'recorded' ? 200 : 202, body: { ...result, ...(plan.kind === 'ignored' ? { ignored: plan.why } : {}) } };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
