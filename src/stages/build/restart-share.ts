// A worker whose `nix eval` passed nix.evalMaxMemoryMB is restarted the way nix-eval-jobs
// restarts its workers: the hosts of its share continue in fresh processes (two halves, one after
// the other, in the same worker slot, so the number of processes at a time stays the same). A
// host that passes the cap in a process of its own fails alone; the others are unaffected.
import type { Logger } from '../../ports/logger.js';
import type { EvalOptions, EvalShare, EvalShareResult, FlakeSource, NixErrorDetail, NixPort } from '../../ports/nix.js';

export interface RestartedShare {
  result: EvalShareResult;
  processes: number;
  /** Per revision key: hosts that passed the cap on their own, with why. */
  memoryErrors: Record<string, Record<string, NixErrorDetail>>;
}

type Deps = { nix: NixPort; logger: Logger };

export async function evalShareRestarting(
  deps: Deps,
  sources: FlakeSource[],
  worker: number,
  workers: number,
  ignoreHosts: string[],
  options: EvalOptions,
): Promise<RestartedShare> {
  let processes = 0;
  const memoryErrors: Record<string, Record<string, NixErrorDetail>> = {};
  let names: Record<string, string[]> | null | undefined;
  // Host names per revision, listed once (cheap: no host is evaluated) when a restart needs them.
  const hostNames = async (): Promise<Record<string, string[]> | null> => {
    if (names !== undefined) return names;
    const listed: Record<string, string[]> = {};
    for (const source of sources) {
      processes++;
      const r = await deps.nix.listHosts(source, ignoreHosts);
      if (!r.ok) return (names = null);
      listed[source.key] = r.hosts;
    }
    return (names = listed);
  };

  const run = async (part: FlakeSource[], w: number, ws: number): Promise<EvalShareResult> => {
    processes++;
    const result = await deps.nix.evalShare(part, w, ws, ignoreHosts, options);
    if (result.ok || !result.memoryExceeded) return result;
    const all = await hostNames();
    if (!all) return result;
    const mine = (key: string) => (all[key] ?? []).filter((_, i) => i % ws === w);
    const total = part.reduce((n, s) => n + mine(s.key).length, 0);
    if (total <= 1) {
      const results: Record<string, EvalShare> = {};
      for (const source of part) {
        results[source.key] = { hosts: all[source.key] ?? [], toplevels: Object.fromEntries(mine(source.key).map((h) => [h, null])) };
        for (const host of mine(source.key)) (memoryErrors[source.key] ??= {})[host] = { lines: [`${result.error.lines[0] ?? 'nix eval passed its memory cap'} while evaluating this host alone`] };
      }
      return { ok: true, results };
    }
    deps.logger.info(`evaluation worker passed nix.evalMaxMemoryMB: restarting its ${total} hosts in fresh processes`);
    if (part.length > 1 && part.every((s) => mine(s.key).length <= 1)) {
      const each: EvalShareResult[] = [];
      for (const source of part) each.push(await run([source], w, ws));
      return merge(each);
    }
    const first = await run(part, w, ws * 2);
    const second = await run(part, w + ws, ws * 2);
    return merge([first, second]);
  };

  const result = await run(sources, worker, workers);
  return { result, processes, memoryErrors };
}

function merge(results: EvalShareResult[]): EvalShareResult {
  const failed = results.find((r) => !r.ok);
  if (failed) return failed;
  const merged: Record<string, EvalShare> = {};
  for (const r of results) {
    if (!r.ok) continue;
    for (const [key, part] of Object.entries(r.results)) {
      const into = (merged[key] ??= { hosts: part.hosts, toplevels: {} });
      Object.assign(into.toplevels, part.toplevels);
      if (part.values) into.values = { ...(into.values ?? {}), ...part.values };
    }
  }
  return { ok: true, results: merged };
}
