// A job's health as Consul and Nomad see it: the Consul checks of its services, and which of a
// deployment's allocations failed and why (their failing checks' output).
import type { ConsulHealth } from '../../ports/consul.js';
import type { NomadDeployments } from '../../ports/nomad.js';
import type { CheckResult } from '../../model/deploy-record.js';

type Body = Record<string, unknown>;
const list = (value: unknown): Body[] => (Array.isArray(value) ? (value.filter((v) => v && typeof v === 'object') as Body[]) : []);

/** Service names a job registers (group and task services), from the job's API JSON. */
export function jobServiceNames(spec: Body): string[] {
  const names = new Set<string>();
  for (const group of list(spec.TaskGroups)) {
    for (const service of list(group.Services)) if (typeof service.Name === 'string') names.add(service.Name);
    for (const task of list(group.Tasks)) for (const service of list(task.Services)) if (typeof service.Name === 'string') names.add(service.Name);
  }
  return [...names].sort();
}

/** One check per service: every registered instance passes its checks. */
export async function serviceChecks(consul: Pick<ConsulHealth, 'serviceHealth'> | undefined, services: string[]): Promise<CheckResult[]> {
  if (!consul) return [];
  const checks: CheckResult[] = [];
  for (const service of services) {
    const name = `consul ${service}`;
    try {
      const { value } = await consul.serviceHealth(service);
      const failing = value.flatMap((i) => i.checks.filter((c) => c.status !== 'passing').map((c) => `${i.node}: ${c.name || c.checkId} ${c.status}${c.output ? ` (${c.output.trim().slice(0, 120)})` : ''}`));
      checks.push({ name, ok: value.length > 0 && failing.length === 0, detail: value.length === 0 ? 'no instance registered' : failing.length ? failing.join('; ') : `${value.length} passing` });
    } catch (error) {
      checks.push({ name, ok: false, detail: (error as Error).message });
    }
  }
  return checks;
}

/** `web[1] on client-2: running, unhealthy (check "http" critical: connection refused)`. */
export async function describeFailedAllocations(nomad: Pick<NomadDeployments, 'deploymentAllocations'>, consul: Pick<ConsulHealth, 'serviceHealth'> | undefined, deploymentId: string, services: string[]): Promise<string> {
  let allocations;
  try {
    allocations = (await nomad.deploymentAllocations(deploymentId)).value;
  } catch (error) {
    return `allocations unknown (${(error as Error).message})`;
  }
  const failed = allocations.filter((a) => a.healthy === false || a.clientStatus === 'failed' || a.clientStatus === 'lost');
  if (failed.length === 0) return allocations.length ? 'no allocation reported unhealthy' : 'no allocation was placed';
  const outputs = new Map<string, string>();
  if (consul) {
    for (const service of services) {
      try {
        for (const instance of (await consul.serviceHealth(service)).value) {
          const bad = instance.checks.filter((c) => c.status !== 'passing' && c.serviceId);
          if (bad.length) outputs.set(instance.serviceId, bad.map((c) => `check "${c.name}" ${c.status}: ${c.output.trim().slice(0, 120)}`).join(', '));
        }
      } catch {
        // Consul's view is a bonus: Nomad's own answer stands without it.
      }
    }
  }
  return failed
    .map((a) => {
      const why = [...outputs.entries()].find(([serviceId]) => serviceId.includes(a.id))?.[1];
      return `${a.name} (alloc ${a.id.slice(0, 8)} on ${a.nodeName}): ${a.clientStatus}${a.healthy === false ? ', unhealthy' : ''}${why ? ` (${why})` : ''}`;
    })
    .join('; ');
}
