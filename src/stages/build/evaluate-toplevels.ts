// Evaluates every host's toplevel (drvPath and outPath) at the revisions that are not cached,
// in at most `workers` concurrent `nix eval` processes, each taking a share of the hosts of
// both revisions. Results per revision are cached by commit: a commit fully determines them.
import type { CachePort } from '../../ports/cache.js';
import type { Logger } from '../../ports/logger.js';
import type { FlakeSource, NixErrorDetail, NixPort, ToplevelRef } from '../../ports/nix.js';

export interface RevisionEval {
  hosts: string[];
  /** null: evaluation of that host failed (details in `hostErrors`). */
  toplevels: Record<string, ToplevelRef | null>;
  hostErrors: Record<string, NixErrorDetail>;
  fromCache: boolean;
}

export type RevisionEvalResult = { ok: true; eval: RevisionEval } | { ok: false; error: NixErrorDetail };

export interface EvaluateRequest {
  sources: (FlakeSource & { sha: string })[];
  workers: number;
  ignoreHosts: string[];
  /** Distinguishes caches of different repositories, flake dirs and Nix arguments. */
  cacheScope: string;
}

interface CachedRevision {
  hosts: string[];
  toplevels: Record<string, ToplevelRef>;
}

export async function evaluateToplevels(
  deps: { nix: NixPort; cache: CachePort; logger: Logger },
  request: EvaluateRequest,
): Promise<{ results: Record<string, RevisionEvalResult>; processes: number }> {
  const results: Record<string, RevisionEvalResult> = {};
  const pending: (FlakeSource & { sha: string })[] = [];
  for (const source of request.sources) {
    const cached = await deps.cache.get<CachedRevision>(cacheKey(request.cacheScope, source.sha));
    if (cached) results[source.key] = { ok: true, eval: { ...cached, hostErrors: {}, fromCache: true } };
    else pending.push(source);
  }
  if (pending.length === 0) return { results, processes: 0 };

  // One process per core at most, and no more processes than hosts (known from any cached side).
  const knownHosts = Math.max(0, ...Object.values(results).map((r) => (r.ok ? r.eval.hosts.length : 0)));
  const workers = Math.max(1, Math.min(request.workers, knownHosts > 0 ? knownHosts * pending.length : request.workers));
  deps.logger.info(`evaluating ${pending.map((s) => `${s.key} ${s.sha.slice(0, 12)}`).join(' and ')} in ${workers} process${workers === 1 ? '' : 'es'}`);
  let processes = workers;
  const shares = await Promise.all(
    Array.from({ length: workers }, (_, worker) => deps.nix.evalShare(pending, worker, workers, request.ignoreHosts)),
  );

  if (shares.some((share) => !share.ok)) {
    // A whole-flake error (a syntax error, a broken flake.nix): find which revision it belongs to.
    if (pending.length > 1) {
      for (const source of pending) {
        const alone = await deps.nix.evalShare([source], 0, 1, request.ignoreHosts);
        processes++;
        results[source.key] = alone.ok ? await collect(deps, source, [alone.results], request) : { ok: false, error: alone.error };
      }
    } else {
      const failed = shares.find((s) => !s.ok);
      results[pending[0]!.key] = { ok: false, error: failed && !failed.ok ? failed.error : { lines: ['evaluation failed'] } };
    }
    return { results, processes };
  }

  for (const source of pending) {
    results[source.key] = await collect(deps, source, shares.map((s) => (s.ok ? s.results : {})), request);
  }
  return { results, processes };
}

async function collect(
  deps: { nix: NixPort; cache: CachePort; logger: Logger },
  source: FlakeSource & { sha: string },
  shares: Record<string, { hosts: string[]; toplevels: Record<string, ToplevelRef | null> }>[],
  request: EvaluateRequest,
): Promise<RevisionEvalResult> {
  const toplevels: Record<string, ToplevelRef | null> = {};
  let hosts: string[] = [];
  for (const share of shares) {
    const part = share[source.key];
    if (!part) continue;
    hosts = part.hosts;
    Object.assign(toplevels, part.toplevels);
  }
  const failedHosts = hosts.filter((h) => toplevels[h] == null);
  const hostErrors: Record<string, NixErrorDetail> = {};
  for (const host of failedHosts) {
    // Rare, and only for failing hosts: evaluate alone to get Nix's own message and location.
    hostErrors[host] = await deps.nix.evalHostError(source, host);
  }
  if (failedHosts.length === 0) {
    await deps.cache.set<CachedRevision>(cacheKey(request.cacheScope, source.sha), { hosts, toplevels: toplevels as Record<string, ToplevelRef> });
  }
  return { ok: true, eval: { hosts, toplevels, hostErrors, fromCache: false } };
}

function cacheKey(scope: string, sha: string): string {
  return `drvpaths:${scope}:${sha}`;
}
