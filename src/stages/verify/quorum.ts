// Consul and Nomad quorum: a leader, and a majority of servers alive. Checked before a deploy and
// between quorum members (each must leave the cluster whole before the next one goes).
import type { ConsulCluster } from '../../ports/consul.js';
import type { NomadCluster } from '../../ports/nomad.js';
import type { CheckResult } from '../../model/deploy-record.js';

export interface ClusterDeps {
  nomad?: Pick<NomadCluster, 'leader' | 'raftConfiguration'>;
  consul?: Pick<ConsulCluster, 'leader' | 'members'>;
}

export async function checkQuorum(deps: ClusterDeps): Promise<CheckResult[]> {
  const checks: CheckResult[] = [];
  if (deps.nomad) checks.push(await guarded('nomad quorum', () => nomadQuorum(deps.nomad!)));
  if (deps.consul) checks.push(await guarded('consul quorum', () => consulQuorum(deps.consul!)));
  return checks;
}

async function nomadQuorum(nomad: NonNullable<ClusterDeps['nomad']>): Promise<CheckResult> {
  const leader = await nomad.leader();
  if (!leader) return { name: 'nomad quorum', ok: false, detail: 'Nomad has no leader (quorum lost?)' };
  const voters = (await nomad.raftConfiguration()).filter((s) => s.voter);
  return { name: 'nomad quorum', ok: true, detail: `leader ${leader}, ${voters.length} voter${voters.length === 1 ? '' : 's'}` };
}

async function consulQuorum(consul: NonNullable<ClusterDeps['consul']>): Promise<CheckResult> {
  const leader = await consul.leader();
  if (!leader) return { name: 'consul quorum', ok: false, detail: 'Consul has no leader (quorum lost?)' };
  const servers = (await consul.members()).filter((m) => m.role === 'consul');
  const alive = servers.filter((m) => m.status === 'alive');
  const ok = servers.length === 0 || alive.length > servers.length / 2;
  const down = servers.filter((m) => m.status !== 'alive').map((m) => `${m.name} (${m.status})`);
  return { name: 'consul quorum', ok, detail: `leader ${leader}, ${alive.length}/${servers.length} servers alive${down.length ? `; down: ${down.join(', ')}` : ''}` };
}

async function guarded(name: string, fn: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await fn();
  } catch (error) {
    return { name, ok: false, detail: `cannot tell: ${(error as Error).message}` };
  }
}

/** Polls until every quorum check passes (e.g. after a server's reboot), or the timeout. */
export async function waitForQuorum(deps: ClusterDeps, options: { timeoutMs: number; pollMs: number }): Promise<CheckResult[]> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const checks = await checkQuorum(deps);
    if (checks.every((c) => c.ok) || Date.now() >= deadline) return checks;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}
