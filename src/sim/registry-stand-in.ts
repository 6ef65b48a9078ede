// A registry stand-in that follows the OCI distribution spec for what Steward reads: the tag list
// (`GET /v2/<name>/tags/list`, lexical order, `n`/`last` and a `Link: <...>; rel="next"` header)
// behind the anonymous bearer token flow of Docker Hub and GHCR (401 + `WWW-Authenticate`).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RegistryStandIn {
  url: string;
  /** name (`library/postgres`) → tags. */
  readonly repositories: Map<string, string[]>;
  /** Every request: method, path with query, and whether it carried a valid token. */
  readonly requests: { path: string; authorized: boolean }[];
  close(): Promise<void>;
}

export interface RegistryStandInOptions {
  repositories?: Record<string, string[]>;
  /** Tags per page when the client sends no `n` (registries cap pages; Docker Hub at 100 or so). */
  pageSize?: number;
  /** Require a bearer token (the Docker Hub / GHCR flow); false: an open registry. */
  requireToken?: boolean;
}

const SERVICE = 'registry.stand-in';

export async function startRegistryStandIn(options: RegistryStandInOptions = {}): Promise<RegistryStandIn> {
  const repositories = new Map(Object.entries(options.repositories ?? {}));
  const requests: RegistryStandIn['requests'] = [];
  const tokens = new Map<string, string>(); // token → scope it grants
  let base = '';

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0', ...headers });
    res.end(JSON.stringify(body));
  };
  const errors = (code: string, message: string) => ({ errors: [{ code, message, detail: null }] });

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    if (url.pathname === '/token') {
      const scope = url.searchParams.get('scope') ?? '';
      if (url.searchParams.get('service') !== SERVICE || !/^repository:[^:]+:pull$/.test(scope)) return json(res, 400, errors('DENIED', 'bad token request'));
      const token = randomBytes(12).toString('hex');
      tokens.set(token, scope);
      return json(res, 200, { token, access_token: token, expires_in: 300, issued_at: new Date(0).toISOString() });
    }
    const m = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
    const name = m?.[1];
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const authorized = !!name && !!bearer && tokens.get(bearer) === `repository:${name}:pull`;
    requests.push({ path: `${url.pathname}${url.search}`, authorized });
    if (!name) return json(res, 404, errors('UNSUPPORTED', 'not a tags/list request'));
    if (options.requireToken !== false && !authorized) {
      return json(res, 401, errors('UNAUTHORIZED', 'authentication required'), {
        'www-authenticate': `Bearer realm="${base}/token",service="${SERVICE}",scope="repository:${name}:pull"`,
      });
    }
    const all = repositories.get(name);
    if (!all) return json(res, 404, errors('NAME_UNKNOWN', 'repository name not known to registry'));
    const sorted = [...all].sort();
    const last = url.searchParams.get('last');
    const n = Number(url.searchParams.get('n') ?? options.pageSize ?? sorted.length);
    const after = last === null ? sorted : sorted.filter((t) => t > last);
    const page = after.slice(0, n);
    const headers: Record<string, string> = {};
    if (after.length > page.length && page.length > 0) headers.link = `</v2/${name}/tags/list?n=${n}&last=${encodeURIComponent(page.at(-1)!)}>; rel="next"`;
    return json(res, 200, { name, tags: page }, headers);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    repositories,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
