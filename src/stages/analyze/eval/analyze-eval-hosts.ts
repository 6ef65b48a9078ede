// Evaluation-level analysis: per changed host, the evaluated values of both revisions turned
// into the same HostChange the build level makes, by the build level's own code (analyzeHost,
// planUnitChange, diffFstab, diffBoot). Nothing is built or read from the store.
import { emptyHostChange, type HostChange } from '../../../model/host-change.js';
import type { HostEvalValues } from '../../../ports/nix-eval-values.js';
import type { BuildStageResult } from '../../build/types.js';
import { analyzeHost } from '../host/analyze-host.js';
import { evalSnapshot } from './eval-snapshot.js';
import { optionChanges } from './option-changes.js';

export interface AnalyzeEvalHostsInput {
  stage: BuildStageResult;
  roles: (host: string) => string[];
  criticalUnits: string[];
}

export function analyzeEvalHosts(input: AnalyzeEvalHostsInput): HostChange[] {
  const values = input.stage.values ?? { base: {}, head: {} };
  return input.stage.hosts.map((h): HostChange => {
    const roles = input.roles(h.host);
    const before = values.base[h.host];
    const after = values.head[h.host];
    if (h.status === 'changed' && h.base && h.head && before && after) {
      return compareHost(h.host, roles, { outPath: h.base.outPath, values: before }, { outPath: h.head.outPath, values: after }, input.criticalUnits);
    }
    const change = emptyHostChange(h.host, roles, h.status);
    change.toplevel = { base: h.base?.outPath ?? null, head: h.head?.outPath ?? null };
    if (h.error) change.error = h.error;
    else if (h.status === 'changed') {
      change.status = 'failed';
      const revision = !before ? 'base' : 'head';
      change.error = { phase: 'eval', revision, lines: [`the ${revision} revision's values could not be evaluated: nothing to compare with`] };
    }
    return change;
  });
}

function compareHost(
  host: string,
  roles: string[],
  base: { outPath: string; values: HostEvalValues },
  head: { outPath: string; values: HostEvalValues },
  criticalUnits: string[],
): HostChange {
  const a = evalSnapshot(base.outPath, base.values);
  const b = evalSnapshot(head.outPath, head.values);
  const change = analyzeHost(
    { host, roles, base: a.snapshot, head: b.snapshot, files: { ...a.files, ...b.files }, closures: { base: a.packages, head: b.packages } },
    criticalUnits,
  );
  // A unit from a package changed with its package: its new file is unknown before the build, so
  // it is judged as a changed unit with default settings (restart), and says so.
  for (const unit of change.units) {
    if (!a.packageUnits.has(unit.unit) && !b.packageUnits.has(unit.unit)) continue;
    unit.why = `its package changed (the unit file is known only after a build): ${unit.why}`;
    unit.changedKeys = [];
  }
  const options = optionChanges(base.values, head.values);
  if (options.length > 0) change.options = options;
  return change;
}
