// The evidence of a failed Nomad deployment, for the diagnosis: its allocations (status, health)
// and the output of their failing Consul checks. Best effort: what cannot be read is left out,
// and the failure is then read from what remains (at worst `nomad.deployment-failed`).
import type { ConsulHealth } from '../../ports/consul.js';
import type { NomadDeployments } from '../../ports/nomad.js';
import type { AllocationEvidence } from './failed-step.js';

export async function gatherAllocationEvidence(nomad: Pick<NomadDeployments, 'deploymentAllocations'>, consul: Pick<ConsulHealth, 'serviceHealth'> | undefined, deploymentId: string, services: string[]): Promise<AllocationEvidence[]> {
  const allocations = await nomad
    .deploymentAllocations(deploymentId)
    .then((a) => a.value)
    .catch(() => []);
  const checksOf = new Map<string, string[]>();
  for (const service of consul ? services : []) {
    const instances = await consul!
      .serviceHealth(service)
      .then((h) => h.value)
      .catch(() => []);
    for (const instance of instances) {
      const failing = instance.checks.filter((c) => c.status !== 'passing' && c.serviceId).map((c) => `check "${c.name || c.checkId}" ${c.status}: ${c.output.trim().slice(0, 300)}`);
      if (failing.length) checksOf.set(instance.serviceId, [...(checksOf.get(instance.serviceId) ?? []), ...failing]);
    }
  }
  return allocations
    .filter((a) => a.healthy === false || a.clientStatus === 'failed' || a.clientStatus === 'lost')
    .map((a) => ({
      name: a.name,
      id: a.id,
      node: a.nodeName,
      clientStatus: a.clientStatus,
      ...(a.healthy !== undefined ? { healthy: a.healthy } : {}),
      events: [],
      // Nomad names a service registration after its allocation id.
      checks: [...checksOf.entries()].filter(([serviceId]) => serviceId.includes(a.id)).flatMap(([, c]) => c),
    }));
}
