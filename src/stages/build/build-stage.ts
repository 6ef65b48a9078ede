// The build stage: evaluate every host at base and head (cached where possible), skip hosts
// whose drvPath did not change, and build the changed toplevels of both revisions in ONE call.
import { existsSync } from 'node:fs';
import type { HostBuildError } from '../../model/host-change.js';
import type { CachePort } from '../../ports/cache.js';
import type { Logger } from '../../ports/logger.js';
import type { NixErrorDetail, NixPort, ToplevelRef } from '../../ports/nix.js';
import { evaluateToplevels, type RevisionEval, type RevisionEvalResult } from './evaluate-toplevels.js';
import { flakeRefAt } from './flake-ref.js';
import type { BuildStageResult, FlakeError, HostBuild } from './types.js';

export interface BuildStageDeps {
  nix: NixPort;
  cache: CachePort;
  logger: Logger;
}

export interface BuildStageInput {
  repoRoot: string;
  flakeDir: string;
  base: string;
  head: string;
  workers: number;
  ignoreHosts: string[];
  cacheScope: string;
  /** `eval`: evaluate toplevels and each host's values, build nothing (evaluation level). */
  level?: 'eval' | 'build';
}

export async function runBuildStage(deps: BuildStageDeps, input: BuildStageInput): Promise<BuildStageResult> {
  const evalStarted = performance.now();
  const source = (key: 'base' | 'head', sha: string) => ({ key, sha, ref: flakeRefAt(input.repoRoot, sha, input.flakeDir) });
  const sources = input.base === input.head ? [source('head', input.head)] : [source('head', input.head), source('base', input.base)];
  const evalOnly = input.level === 'eval';
  const request = { sources, workers: input.workers, ignoreHosts: input.ignoreHosts, cacheScope: input.cacheScope, ...(evalOnly ? { values: true } : {}) };
  let { results, processes } = await evaluateToplevels(deps, request);
  if (input.base === input.head) results = { ...results, base: results.head as RevisionEvalResult };

  // A cached base whose .drv files were garbage-collected cannot be built: evaluate it again.
  const baseResult = results.base;
  if (!evalOnly && baseResult?.ok && baseResult.eval.fromCache && Object.values(baseResult.eval.toplevels).some((t) => t && !existsSync(t.drvPath))) {
    deps.logger.info('cached base derivations are gone from the store: evaluating base again');
    const fresh = await evaluateToplevels({ ...deps, cache: noCache }, { ...request, sources: [source('base', input.base)] });
    results = { ...results, base: fresh.results.base as RevisionEvalResult };
    processes += fresh.processes;
  }
  const evalMs = performance.now() - evalStarted;

  const errors: FlakeError[] = [];
  for (const key of ['head', 'base'] as const) {
    const r = results[key];
    if (r && !r.ok && !(key === 'base' && input.base === input.head)) errors.push({ host: null, ...toBuildError('eval', key, r.error) });
  }
  const head = results.head?.ok ? results.head.eval : null;
  const base = results.base?.ok ? results.base.eval : null;
  const hosts = compareHosts(base, head);

  const buildStarted = performance.now();
  // Changed hosts are built at both revisions (to compare); added hosts at head (to prove they build).
  const needsBuild = (h: HostBuild) => h.status === 'changed' || h.status === 'added';
  const toBuild = evalOnly ? [] : uniqueToplevels(hosts.filter(needsBuild).flatMap((h) => [h.base, h.head]));
  if (toBuild.length > 0) {
    deps.logger.info(`building ${toBuild.length} toplevel${toBuild.length === 1 ? '' : 's'} in one nix build`);
    const outcome = await deps.nix.build(toBuild);
    for (const host of hosts) {
      for (const side of ['base', 'head'] as const) {
        const ref = host[side];
        if (!ref || !needsBuild(host)) continue;
        if (outcome.built[ref.drvPath]) {
          ref.outPath = outcome.built[ref.drvPath] as string;
          ref.built = true;
        } else if (outcome.failed[ref.drvPath] && !host.error) {
          host.status = 'failed';
          host.error = toBuildError('build', side, outcome.failed[ref.drvPath] as NixErrorDetail);
        }
      }
    }
  }
  return {
    hosts,
    errors,
    ...(evalOnly ? { values: { base: base?.values ?? {}, head: head?.values ?? {} } } : {}),
    stats: {
      evalProcesses: processes,
      baseFromCache: Boolean(results.base?.ok && results.base.eval.fromCache),
      headFromCache: Boolean(results.head?.ok && results.head.eval.fromCache),
      toplevelsBuilt: toBuild.length,
      evalMs,
      buildMs: performance.now() - buildStarted,
    },
  };
}

/** Pure: classify every host by comparing drvPaths at both revisions. */
export function compareHosts(base: RevisionEval | null, head: RevisionEval | null): HostBuild[] {
  if (!head) return [];
  const names = [...new Set([...head.hosts, ...(base?.hosts ?? [])])].sort();
  return names.map((host): HostBuild => {
    const h = head.toplevels[host];
    const b = base?.toplevels[host];
    const inHead = head.hosts.includes(host);
    const inBase = base ? base.hosts.includes(host) : false;
    const headError = head.hostErrors[host];
    const baseError = base?.hostErrors[host];
    const entry: HostBuild = { host, status: 'changed', base: b ? { ...b, built: false } : null, head: h ? { ...h, built: false } : null };
    if (inHead && !h) return { ...entry, status: 'failed', error: toBuildError('eval', 'head', headError ?? { lines: ['evaluation failed'] }) };
    if (!inHead) return { ...entry, status: 'removed' };
    if (!inBase) return { ...entry, status: base ? 'added' : 'changed' };
    if (!b) return { ...entry, status: 'failed', error: toBuildError('eval', 'base', baseError ?? { lines: ['evaluation failed'] }) };
    if (b.drvPath === h?.drvPath) return { ...entry, status: 'unchanged' };
    return entry;
  });
}

function uniqueToplevels(refs: (ToplevelRef | null)[]): ToplevelRef[] {
  const seen = new Map<string, ToplevelRef>();
  for (const ref of refs) if (ref) seen.set(ref.drvPath, ref);
  return [...seen.values()];
}

function toBuildError(phase: 'eval' | 'build', revision: 'base' | 'head', detail: NixErrorDetail): HostBuildError {
  return { phase, revision, lines: detail.lines, ...(detail.file ? { file: detail.file } : {}), ...(detail.line ? { line: detail.line } : {}) };
}

const noCache: CachePort = { get: async () => undefined, set: async () => {} };
