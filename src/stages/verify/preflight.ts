// Pre-flight: nothing is deployed unless the cluster has quorum, the dependencies are up, the
// target hosts answer with no failed units, and the invariants hold. The failed units seen here
// are the baseline: after the switch only NEW failures count.
import type { Invariant } from '../../config/schema.js';
import type { ConsulHealth } from '../../ports/consul.js';
import type { HostSystem } from '../../ports/host.js';
import type { CheckResult } from '../../model/deploy-record.js';
import { runInvariants, type InvariantDeps } from './invariants.js';
import { checkQuorum, type ClusterDeps } from './quorum.js';
import { shortPath } from './verify-host.js';

export interface PreflightDeps extends ClusterDeps, InvariantDeps {
  consulHealth?: Pick<ConsulHealth, 'serviceHealth'>;
}

export interface PreflightInput {
  hosts: HostSystem[];
  dependencies: string[];
  invariants: Invariant[];
  /** Jobs are to be registered: a Nomad cluster must be configured. */
  needsNomad: boolean;
}

export interface PreflightResult {
  ok: boolean;
  checks: CheckResult[];
  /** Host -> units already failed before anything was done. */
  baselineFailed: Record<string, string[]>;
}

export async function runPreflight(deps: PreflightDeps, input: PreflightInput): Promise<PreflightResult> {
  const checks: CheckResult[] = [];
  if (input.needsNomad && !deps.nomad) checks.push({ name: 'nomad', ok: false, detail: 'jobs changed but no Nomad cluster is configured (nomad.address or NOMAD_ADDR)' });
  checks.push(...(await checkQuorum(deps)));
  for (const service of input.dependencies) checks.push(await dependencyCheck(deps, service));
  const baselineFailed: Record<string, string[]> = {};
  for (const host of input.hosts) {
    const target = `host ${host.name}`;
    try {
      const state = await host.readState();
      const failed = await host.failedUnits();
      baselineFailed[host.name] = failed;
      checks.push({ name: 'host reachable', ok: state.current !== null, detail: state.current ? `runs ${shortPath(state.current)}` : 'no current system: install NixOS on it first', target });
      checks.push({ name: 'no failed units', ok: failed.length === 0, detail: failed.length ? `failed: ${failed.join(', ')}` : 'none', target });
    } catch (error) {
      checks.push({ name: 'host reachable', ok: false, detail: (error as Error).message, target });
    }
  }
  checks.push(...(await runInvariants(input.invariants, deps)));
  return { ok: checks.every((c) => c.ok), checks, baselineFailed };
}

async function dependencyCheck(deps: PreflightDeps, service: string): Promise<CheckResult> {
  const name = `dependency ${service}`;
  if (!deps.consulHealth) return { name, ok: false, detail: 'no Consul configured to check it (consul.address or CONSUL_HTTP_ADDR)' };
  try {
    const { value } = await deps.consulHealth.serviceHealth(service);
    if (value.length === 0) return { name, ok: false, detail: 'no instance registered in Consul' };
    const failing = value.flatMap((i) => i.checks.filter((c) => c.status !== 'passing').map((c) => `${i.node}: ${c.name} ${c.status}`));
    return { name, ok: failing.length === 0, detail: failing.length ? failing.join('; ') : `${value.length} instance${value.length === 1 ? '' : 's'} passing` };
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message };
  }
}
