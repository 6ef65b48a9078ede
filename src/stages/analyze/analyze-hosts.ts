// Build-level analysis: reads the built toplevels of every changed host (links, unit files, /etc,
// closures: one `path-info` call for all) and turns them into per-host ChangeSets.
import { emptyHostChange, type HostChange } from '../../model/host-change.js';
import type { Logger } from '../../ports/logger.js';
import type { NixPort } from '../../ports/nix.js';
import type { HostBuild } from '../build/types.js';
import { analyzeHost, changedUnitFiles } from './host/analyze-host.js';

export interface AnalyzeHostsInput {
  hosts: HostBuild[];
  roles: (host: string) => string[];
  criticalUnits: string[];
}

export async function analyzeHosts(deps: { nix: NixPort; logger: Logger }, input: AnalyzeHostsInput): Promise<HostChange[]> {
  const comparable = input.hosts.filter((h) => h.status === 'changed' && h.base?.built && h.head?.built);
  const roots = comparable.flatMap((h) => [h.base?.outPath as string, h.head?.outPath as string]);
  const [closures, snapshots] = await Promise.all([
    deps.nix.closures([...new Set(roots)]).catch((error: Error) => {
      deps.logger.warn(`package versions unavailable: ${error.message}`);
      return null;
    }),
    Promise.all(comparable.map(async (h) => [h.host, await Promise.all([deps.nix.readToplevel(h.base?.outPath as string), deps.nix.readToplevel(h.head?.outPath as string)])] as const)),
  ]);
  const snapshotOf = new Map(snapshots);
  const unitFiles = [...new Set(snapshots.flatMap(([, [base, head]]) => changedUnitFiles(base, head)))];
  const files = await deps.nix.readFiles(unitFiles);

  return input.hosts.map((h): HostChange => {
    const roles = input.roles(h.host);
    const pair = snapshotOf.get(h.host);
    if (pair) {
      const [base, head] = pair;
      const closure = closures ? { base: closures[base.path] ?? [], head: closures[head.path] ?? [] } : null;
      return analyzeHost({ host: h.host, roles, base, head, files, closures: closure }, input.criticalUnits);
    }
    const change = emptyHostChange(h.host, roles, h.status);
    change.toplevel = { base: h.base?.outPath ?? null, head: h.head?.outPath ?? null };
    if (h.error) change.error = h.error;
    else if (h.status === 'changed') {
      change.status = 'failed';
      change.error = { phase: 'eval', revision: 'base', lines: ['the base revision could not be evaluated: nothing to compare with'] };
    }
    return change;
  });
}
