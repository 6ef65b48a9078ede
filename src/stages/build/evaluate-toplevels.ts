// Evaluates every host's toplevel (drvPath and outPath) at the revisions that are not cached,
// in at most `workers` concurrent `nix eval` processes, each taking a share of the hosts of
// both revisions. Results per revision are cached by commit: a commit fully determines them.
// When a share fails as a whole (an error tryEval cannot catch, e.g. a syntax error in one
// host's file), hosts are evaluated one by one so the error lands on the right host.
import { mapLimit } from '../../concurrency.js';
import { evalShareRestarting } from './restart-share.js';
import type { CachePort } from '../../ports/cache.js';
import type { Logger } from '../../ports/logger.js';
import type { EvalOptions, FlakeSource, NixErrorDetail, NixPort, ToplevelRef } from '../../ports/nix.js';
import type { HostEvalValues } from '../../ports/nix-eval-values.js';

export interface RevisionEval {
  hosts: string[];
  /** null: evaluation of that host failed (details in `hostErrors`). */
  toplevels: Record<string, ToplevelRef | null>;
  hostErrors: Record<string, NixErrorDetail>;
  fromCache: boolean;
  /** Evaluation level: each host's switch-deciding values (null where they could not be read). */
  values?: Record<string, HostEvalValues | null>;
}

export type RevisionEvalResult = { ok: true; eval: RevisionEval } | { ok: false; error: NixErrorDetail };

export interface EvaluateRequest {
  sources: (FlakeSource & { sha: string })[];
  workers: number;
  ignoreHosts: string[];
  /** Distinguishes caches of different repositories, flake dirs and Nix arguments. */
  cacheScope: string;
  /** Evaluation level: evaluate each host's values too (same processes, same pass). */
  values?: boolean;
}

interface CachedRevision {
  hosts: string[];
  toplevels: Record<string, ToplevelRef>;
  /** Present when the revision was evaluated at evaluation level (a superset of the drvPaths). */
  values?: Record<string, HostEvalValues>;
}

type Deps = { nix: NixPort; cache: CachePort; logger: Logger };

export async function evaluateToplevels(deps: Deps, request: EvaluateRequest): Promise<{ results: Record<string, RevisionEvalResult>; processes: number }> {
  const results: Record<string, RevisionEvalResult> = {};
  const pending: (FlakeSource & { sha: string })[] = [];
  for (const source of request.sources) {
    const cached = await deps.cache.get<CachedRevision>(cacheKey(request.cacheScope, source.sha));
    // A cache entry written at build level has no values: evaluation level evaluates again.
    if (cached && (!request.values || cached.values)) results[source.key] = { ok: true, eval: { ...cached, hostErrors: {}, fromCache: true } };
    else pending.push(source);
  }
  if (pending.length === 0) return { results, processes: 0 };

  // One process per core at most, and no more processes than hosts (known from a cached side).
  const knownHosts = Math.max(0, ...Object.values(results).map((r) => (r.ok ? r.eval.hosts.length : 0)));
  const workers = Math.max(1, Math.min(request.workers, knownHosts > 0 ? knownHosts * pending.length : request.workers));
  deps.logger.info(`evaluating ${pending.map((s) => `${s.key} ${s.sha.slice(0, 12)}`).join(' and ')} in ${workers} process${workers === 1 ? '' : 'es'}`);
  const options: EvalOptions = request.values ? { values: true } : {};
  const restarted = await Promise.all(Array.from({ length: workers }, (_, worker) => evalShareRestarting(deps, pending, worker, workers, request.ignoreHosts, options)));
  const shares = restarted.map((r) => r.result);
  let processes = restarted.reduce((n, r) => n + r.processes, 0);
  const memoryErrors = (key: string): Record<string, NixErrorDetail> => Object.assign({}, ...restarted.map((r) => r.memoryErrors[key] ?? {}));

  if (shares.every((s) => s.ok)) {
    for (const source of pending) {
      const toplevels: Record<string, ToplevelRef | null> = {};
      const values: Record<string, HostEvalValues | null> = {};
      let hosts: string[] = [];
      for (const share of shares) {
        const part = share.ok ? share.results[source.key] : undefined;
        if (!part) continue;
        hosts = part.hosts;
        Object.assign(toplevels, part.toplevels);
        Object.assign(values, part.values ?? {});
      }
      const tooBig = memoryErrors(source.key);
      const failed = hosts.filter((h) => !(h in tooBig) && (toplevels[h] == null || (request.values && values[h] == null)));
      // Hosts whose evaluation threw (caught by tryEval): evaluate them alone for Nix's message.
      const alone = await evaluateEach(deps, source, failed, request.workers, options);
      processes += failed.length;
      const merged = request.values ? { ...values, ...alone.values } : undefined;
      results[source.key] = await finish(deps, request, source, hosts, { ...toplevels, ...alone.toplevels }, { ...tooBig, ...alone.errors }, merged);
    }
    return { results, processes };
  }

  deps.logger.info('evaluation failed: evaluating hosts one by one to find which');
  for (const source of pending) {
    const listed = await deps.nix.listHosts(source, request.ignoreHosts);
    processes++;
    if (!listed.ok) {
      results[source.key] = { ok: false, error: listed.error };
      continue;
    }
    const each = await evaluateEach(deps, source, listed.hosts, request.workers, options);
    processes += listed.hosts.length;
    results[source.key] = await finish(deps, request, source, listed.hosts, each.toplevels, each.errors, request.values ? each.values : undefined);
  }
  return { results, processes };
}

async function evaluateEach(deps: Deps, source: FlakeSource, hosts: string[], workers: number, options: EvalOptions) {
  const toplevels: Record<string, ToplevelRef | null> = {};
  const values: Record<string, HostEvalValues | null> = {};
  const errors: Record<string, NixErrorDetail> = {};
  await mapLimit(hosts, workers, async (host) => {
    const result = await deps.nix.evalHost(source, host, options);
    toplevels[host] = result.ok ? result.toplevel : null;
    values[host] = result.ok ? (result.values ?? null) : null;
    if (!result.ok) errors[host] = result.error;
  });
  return { toplevels, values, errors };
}

async function finish(
  deps: Deps,
  request: EvaluateRequest,
  source: FlakeSource & { sha: string },
  hosts: string[],
  toplevels: Record<string, ToplevelRef | null>,
  hostErrors: Record<string, NixErrorDetail>,
  values?: Record<string, HostEvalValues | null>,
): Promise<RevisionEvalResult> {
  // Failures are not cached: they may come from the environment (a fetch that timed out).
  if (hosts.every((h) => toplevels[h] && (!values || values[h]))) {
    await deps.cache.set<CachedRevision>(cacheKey(request.cacheScope, source.sha), {
      hosts,
      toplevels: toplevels as Record<string, ToplevelRef>,
      ...(values ? { values: values as Record<string, HostEvalValues> } : {}),
    });
  }
  return { ok: true, eval: { hosts, toplevels, hostErrors, fromCache: false, ...(values ? { values } : {}) } };
}

function cacheKey(scope: string, sha: string): string {
  return `drvpaths:${scope}:${sha}`;
}
