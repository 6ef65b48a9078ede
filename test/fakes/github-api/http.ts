// Shared pieces of the double's handlers: the handler context, replies, GitHub-shaped errors and
// Link-header pagination.
import type { ObjectBuilder } from './objects.js';
import type { RepoState } from './state.js';

export interface HandlerContext {
  state: RepoState;
  objects: ObjectBuilder;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Validated against the operation's schema by the contract layer before the handler runs. */
  body: any;
  /** The request URL without query, for Link headers. */
  url: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: HandlerContext) => Reply;

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** The OpenAPI path template, e.g. `/repos/{owner}/{repo}/check-runs`. */
  template: string;
  /**
   * GitHub's operationId, e.g. `checks/create`: how tests name calls when ../shared is absent
   * (the contract test holds it to the description and fails a route without one).
   */
  operationId?: string;
  handler: Handler;
}

const DOCS = 'https://docs.github.com/rest';

export function ok(body: unknown, status = 200): Reply {
  return { status, body };
}

export function fail(status: number, message: string): Reply {
  return { status, body: { message, documentation_url: DOCS } };
}

/** GitHub's 422 shape. */
export function invalid(resource: string, field: string, message: string, code = 'custom'): Reply {
  return { status: 422, body: { message: 'Validation Failed', errors: [{ resource, field, code, message }], documentation_url: DOCS } };
}

/** One page of `items` (per_page defaults to 30, at most 100) with GitHub's Link header. */
export function paginate<T>(ctx: HandlerContext, items: T[]): Reply {
  const perPage = Math.min(100, Math.max(1, Number(ctx.query.get('per_page') ?? 30)));
  const page = Math.max(1, Number(ctx.query.get('page') ?? 1));
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const body = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number) => {
    const q = new URLSearchParams(ctx.query);
    q.set('page', String(p));
    q.set('per_page', String(perPage));
    return `<${ctx.url}?${q.toString()}>`;
  };
  const rels: string[] = [];
  if (page < last) rels.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
  if (page > 1) rels.push(`${link(1)}; rel="first"`, `${link(page - 1)}; rel="prev"`);
  return { status: 200, body, ...(rels.length ? { headers: { link: rels.join(', ') } } : {}) };
}

export function int(value: string | undefined): number {
  return Number.parseInt(value ?? '', 10);
}
