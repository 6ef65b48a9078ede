// Static validation of the Nomad jobs of one revision (the "static" phase): duplicate job IDs and
// service names, static port conflicts, Traefik router conflicts, undeclared host volumes and
// Nomad variables. Pure. An error blocks the deploy; a warning is reported only.
import type { Group, JobFinding, NomadJob } from '../../model/nomad-job.js';
import { isUnresolved } from '../analyze/jobs/hcl-expressions.js';
import { normaliseRule, routersOfJobs, type TraefikRouter } from '../analyze/jobs/traefik-routes.js';
import { placementOf, placementOverlap } from './placement-overlap.js';

export interface ValidationContext {
  /** Host volumes the Nomad clients declare; unknown (undefined) = no check. */
  hostVolumes?: string[];
  /** Nomad variable paths that exist; unknown (undefined) = no check. */
  variables?: string[];
}

export interface JobsToValidate {
  jobs: NomadJob[];
  /** Findings from loading (parse errors), passed through. */
  findings?: JobFinding[];
}

export function validateJobs(input: JobsToValidate, context: ValidationContext = {}): JobFinding[] {
  const findings: JobFinding[] = [...(input.findings ?? [])];
  findings.push(...duplicateJobs(input.jobs));
  findings.push(...duplicateServices(input.jobs));
  findings.push(...staticPortConflicts(input.jobs));
  findings.push(...routerConflicts(routersOfJobs(input.jobs)));
  for (const job of input.jobs) findings.push(...references(job, context), ...unresolved(job));
  return findings.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}

const at = (job: NomadJob, line: number | null | undefined) => ({ file: job.file, line: line ?? job.line ?? 1, job: job.id });
const where = (job: NomadJob, line: number | null | undefined) => `${job.file}:${line ?? job.line ?? 1}`;

function duplicateJobs(jobs: NomadJob[]): JobFinding[] {
  const first = new Map<string, NomadJob>();
  const out: JobFinding[] = [];
  for (const job of jobs) {
    const key = `${job.region ?? 'global'}/${job.namespace}/${job.id}`;
    const seen = first.get(key);
    if (!seen) first.set(key, job);
    else out.push({ severity: 'error', code: 'duplicate-job-id', message: `job "${job.id}" (namespace ${job.namespace}) is also defined at ${where(seen, seen.line)}: the later registration replaces the other`, ...at(job, job.line) });
  }
  return out;
}

function duplicateServices(jobs: NomadJob[]): JobFinding[] {
  const out: JobFinding[] = [];
  const owners = new Map<string, { job: NomadJob; group: Group; line: number | null }>();
  for (const job of jobs) {
    for (const group of job.groups) {
      const inGroup = new Set<string>();
      for (const s of group.services) {
        if (isUnresolved(s.name)) continue;
        const local = `${s.name}/${s.port ?? ''}`;
        if (inGroup.has(local)) {
          out.push({ severity: 'error', code: 'duplicate-service-name', message: `service "${s.name}" on port ${s.port ?? '(none)'} is declared twice in group "${group.name}": Nomad rejects the job`, ...at(job, s.line) });
        }
        inGroup.add(local);
        const key = `${s.provider}/${job.namespace}/${s.name}`;
        const seen = owners.get(key);
        if (!seen) owners.set(key, { job, group, line: s.line });
        else if (seen.job !== job) {
          out.push({ severity: 'error', code: 'duplicate-service-name', message: `service "${s.name}" is also registered by job "${seen.job.id}" (${where(seen.job, seen.line)}): ${s.provider === 'consul' ? 'Consul' : 'Nomad'} would merge both jobs' instances under one name`, ...at(job, s.line) });
        } else if (seen.group !== group) {
          out.push({ severity: 'warning', code: 'duplicate-service-name', message: `service "${s.name}" is registered by groups "${seen.group.name}" and "${group.name}": their instances share one name`, ...at(job, s.line) });
        }
      }
    }
  }
  return out;
}

interface StaticPort {
  job: NomadJob;
  group: Group;
  label: string;
  port: number;
  hostNetwork: string;
  line: number | null;
}

function staticPortConflicts(jobs: NomadJob[]): JobFinding[] {
  const out: JobFinding[] = [];
  const byPort = new Map<string, StaticPort[]>();
  for (const job of jobs) {
    for (const group of job.groups) {
      const inGroup = new Map<number, string>();
      for (const p of group.network?.ports ?? []) {
        if (p.static === null) continue;
        const twin = inGroup.get(p.static);
        if (twin !== undefined) {
          out.push({ severity: 'error', code: 'static-port-conflict', message: `ports "${twin}" and "${p.label}" of group "${group.name}" both reserve static port ${p.static}`, ...at(job, p.line) });
        }
        inGroup.set(p.static, p.label);
        const entry: StaticPort = { job, group, label: p.label, port: p.static, hostNetwork: p.hostNetwork ?? 'default', line: p.line };
        const key = `${entry.hostNetwork}:${p.static}`;
        byPort.set(key, [...(byPort.get(key) ?? []), entry]);
      }
    }
  }
  for (const entries of byPort.values()) {
    for (let i = 0; i < entries.length; i++) {
      for (let j = 0; j < i; j++) {
        const a = entries[j]!;
        const b = entries[i]!;
        if (a.job === b.job && a.group === b.group) continue;
        const overlap = placementOverlap(placementOf(a.job, a.group), placementOf(b.job, b.group));
        if (overlap === 'disjoint') continue;
        const other = `${a.job.id}/${a.group.name} port "${a.label}" (${where(a.job, a.line)})`;
        const message =
          overlap === 'may-share'
            ? `static port ${b.port} is also reserved by ${other}; they can land on the same node, and Nomad will only place them apart if another eligible node has the port free`
            : `static port ${b.port} is also reserved by ${other}, ${overlap === 'same-node' ? 'and both are pinned to the same node' : 'a system job that runs on every node this group can use'}: the allocation cannot be placed`;
        out.push({ severity: overlap === 'may-share' ? 'warning' : 'error', code: 'static-port-conflict', message, ...at(b.job, b.line) });
      }
    }
  }
  return out;
}

function routerConflicts(routers: TraefikRouter[]): JobFinding[] {
  const out: JobFinding[] = [];
  const finding = (r: TraefikRouter, code: string, message: string): JobFinding => ({ severity: 'error', code, message, file: r.file, line: r.line ?? 1, job: r.job });
  const ref = (r: TraefikRouter) => `service "${r.service}" of job "${r.job}" (${r.file}:${r.line ?? 1})`;
  const entrypointsMeet = (a: TraefikRouter, b: TraefikRouter) =>
    a.entrypoints.length === 0 || b.entrypoints.length === 0 || a.entrypoints.some((e) => b.entrypoints.includes(e));
  for (let i = 0; i < routers.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = routers[j]!;
      const b = routers[i]!;
      if (a.protocol !== b.protocol) continue;
      if (a.name === b.name) {
        const same = a.service === b.service && normaliseRule(a.rule ?? '') === normaliseRule(b.rule ?? '') && a.entrypoints.join() === b.entrypoints.join() && a.middlewares.join() === b.middlewares.join();
        if (!same) out.push(finding(b, 'traefik-router-conflict', `Traefik router "${b.name}" is also defined by ${ref(a)} differently: Traefik drops a router defined twice with different settings`));
        continue;
      }
      if (a.rule === null || b.rule === null || a.service === b.service) continue;
      if (normaliseRule(a.rule) !== normaliseRule(b.rule) || !entrypointsMeet(a, b)) continue;
      if (a.priority !== null && b.priority !== null && a.priority !== b.priority) continue;
      out.push(finding(b, 'traefik-rule-conflict', `Traefik router "${b.name}" has the same rule ${b.rule} as router "${a.name}" of ${ref(a)} on the same entrypoints: which one serves the traffic is arbitrary`));
    }
  }
  return out;
}

function references(job: NomadJob, context: ValidationContext): JobFinding[] {
  const out: JobFinding[] = [];
  for (const group of job.groups) {
    for (const v of group.volumes) {
      if (v.type !== 'host' || !context.hostVolumes || isUnresolved(v.source)) continue;
      const declared = context.hostVolumes.some((h) => h === v.source || (v.perAlloc && h.startsWith(`${v.source}[`)));
      if (!declared) out.push({ severity: 'error', code: 'undeclared-host-volume', message: `host volume "${v.source}" (volume "${v.name}") is not declared by any Nomad client: the group cannot be placed`, ...at(job, v.line ?? group.line) });
    }
    for (const task of group.tasks) {
      for (const m of task.volumeMounts) {
        if (!group.volumes.some((v) => v.name === m.volume)) {
          out.push({ severity: 'error', code: 'unknown-volume', message: `task "${task.name}" mounts volume "${m.volume}", which group "${group.name}" does not declare`, ...at(job, task.line) });
        }
      }
      if (!context.variables) continue;
      for (const t of task.templates) {
        for (const path of t.nomadVariables) {
          const bare = path.replace(/@[^@]*$/, '');
          if (!context.variables.includes(bare) && !isUnresolved(bare)) {
            out.push({ severity: 'error', code: 'undeclared-variable', message: `template ${t.destination ?? ''} reads Nomad variable "${bare}", which does not exist: the task will not start`, ...at(job, t.line ?? task.line) });
          }
        }
      }
    }
  }
  return out;
}

function unresolved(job: NomadJob): JobFinding[] {
  if (job.unresolved.length === 0) return [];
  const shown = job.unresolved.slice(0, 5).map((u) => `${u.path} = ${u.expression}`);
  const more = job.unresolved.length > 5 ? ` and ${job.unresolved.length - 5} more` : '';
  return [{ severity: 'warning', code: 'unresolved-expression', message: `kept as written (resolved only by Nomad at submit time): ${shown.join('; ')}${more}`, ...at(job, job.line) }];
}
