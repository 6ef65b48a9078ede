// Traefik routers declared in Nomad service tags (the Consul catalog / Nomad provider):
// `traefik.http.routers.<name>.rule=...`, `.entrypoints=`, `.middlewares=`, `.priority=`. Pure.
import type { NomadJob } from '../../../model/nomad-job.js';

export interface TraefikRouter {
  name: string;
  protocol: 'http' | 'tcp' | 'udp';
  rule: string | null;
  /** Empty means every entrypoint (Traefik's default). */
  entrypoints: string[];
  middlewares: string[];
  priority: number | null;
  job: string;
  namespace: string;
  group: string;
  service: string;
  file: string;
  line: number | null;
}

const ROUTER_TAG = /^traefik\.(http|tcp|udp)\.routers\.([^.=]+)\.([A-Za-z.]+)=(.*)$/;
const AUTH_MIDDLEWARE_TAG = /^traefik\.http\.middlewares\.([^.=]+)\.(forwardauth|basicauth|digestauth|ipallowlist|ipwhitelist)\./i;

/** Middleware names that restrict access, by convention (forward auth, SSO, basic auth, allow lists). */
export const DEFAULT_AUTH_MIDDLEWARE_PATTERN = /auth|authelia|authentik|oauth|oidc|sso|keycloak|tinyauth|pocket-?id|vouch|allowlist|whitelist/i;

export function routersOfJobs(jobs: NomadJob[]): TraefikRouter[] {
  const out: TraefikRouter[] = [];
  for (const job of jobs) {
    for (const group of job.groups) {
      for (const service of group.services) {
        if (service.tags.includes('traefik.enable=false')) continue;
        const byName = new Map<string, TraefikRouter>();
        for (const tag of service.tags) {
          const m = ROUTER_TAG.exec(tag.trim());
          if (!m) continue;
          const protocol = m[1] as TraefikRouter['protocol'];
          const key = `${protocol}:${m[2]}`;
          let router = byName.get(key);
          if (!router) {
            router = {
              name: m[2]!,
              protocol,
              rule: null,
              entrypoints: [],
              middlewares: [],
              priority: null,
              job: job.id,
              namespace: job.namespace,
              group: group.name,
              service: service.name,
              file: job.file,
              line: service.line ?? group.line ?? job.line,
            };
            byName.set(key, router);
          }
          const value = m[4]!.trim();
          const field = m[3]!.toLowerCase();
          if (field === 'rule') router.rule = value;
          else if (field === 'entrypoints') router.entrypoints = splitList(value);
          else if (field === 'middlewares') router.middlewares = splitList(value);
          else if (field === 'priority') router.priority = Number.isFinite(Number(value)) ? Number(value) : null;
        }
        out.push(...byName.values());
      }
    }
  }
  return out;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Middlewares that the jobs themselves define as access controls (forwardauth, basicauth, ...). */
export function authMiddlewaresDefinedIn(jobs: NomadJob[]): Set<string> {
  const names = new Set<string>();
  for (const job of jobs)
    for (const group of job.groups)
      for (const service of group.services)
        for (const tag of service.tags) {
          const m = AUTH_MIDDLEWARE_TAG.exec(tag.trim());
          if (m) names.add(m[1]!);
        }
  return names;
}

export interface RouteOptions {
  /** Entrypoints reachable from outside; unknown (undefined) means every route counts as public. */
  publicEntrypoints?: string[];
  /** Middleware names that restrict access; by default a name pattern plus those defined in tags. */
  authMiddlewares?: string[];
}

/** The access-control middlewares of a router (`authelia@file` -> counted by its bare name). */
export function authOf(router: TraefikRouter, definedAuth: Set<string>, options: RouteOptions): string[] {
  return router.middlewares.filter((mw) => {
    const bare = mw.replace(/@[^@]*$/, '');
    if (options.authMiddlewares) return options.authMiddlewares.includes(mw) || options.authMiddlewares.includes(bare);
    return definedAuth.has(bare) || DEFAULT_AUTH_MIDDLEWARE_PATTERN.test(bare);
  });
}

export function isPublicRoute(router: TraefikRouter, options: RouteOptions): boolean {
  if (!options.publicEntrypoints) return true;
  if (router.entrypoints.length === 0) return options.publicEntrypoints.length > 0;
  return router.entrypoints.some((e) => options.publicEntrypoints!.includes(e));
}

/** Normalised rule text for comparing rules written with different spacing. */
export function normaliseRule(rule: string): string {
  return rule.replace(/\s+/g, ' ').replace(/\s*([(),])\s*/g, '$1').trim();
}
