// Per-part comparisons of one job at base and head: network ports, volumes and mounts, services,
// Traefik routes. Pure; diff-jobs.ts assembles them into a JobChange.
import type { PortChange, RouteChange, ServiceChange, VolumeChange } from '../../../model/job-change.js';
import type { DockerMount, Group, NomadJob, Port, Service } from '../../../model/nomad-job.js';
import { describeMount, isDataMount } from './job-statefulness.js';
import { stableJson } from '../../../json.js';
import { authOf, isPublicRoute, normaliseRule, routersOfJobs, type RouteOptions, type TraefikRouter } from './traefik-routes.js';

type Change = 'added' | 'removed' | 'changed';

/** Pairs two keyed lists: what was added, removed, or is present on both sides. */
export function pairBy<T>(from: T[], to: T[], key: (t: T) => string): Array<{ key: string; a: T | undefined; b: T | undefined }> {
  const a = new Map<string, T>();
  const b = new Map<string, T>();
  for (const t of from) if (!a.has(key(t))) a.set(key(t), t);
  for (const t of to) if (!b.has(key(t))) b.set(key(t), t);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  return keys.map((k) => ({ key: k, a: a.get(k), b: b.get(k) }));
}

function changeOf(a: unknown, b: unknown): Change | null {
  if (a === undefined) return 'added';
  if (b === undefined) return 'removed';
  return null;
}

function renderPort(p: Port | undefined): string | null {
  if (!p) return null;
  const host = p.static !== null ? `static ${p.static}` : 'dynamic';
  return `${host}${p.to !== null ? ` -> ${p.to}` : ''}${p.hostNetwork ? ` on ${p.hostNetwork}` : ''}`;
}

export function diffPorts(a: Group, b: Group): PortChange[] {
  const out: PortChange[] = [];
  const modeA = a.network?.mode ?? null;
  const modeB = b.network?.mode ?? null;
  if (modeA !== modeB) {
    out.push({ group: b.name, label: '(network mode)', change: 'changed', from: modeA, to: modeB, static: false, line: b.network?.line ?? b.line });
  }
  for (const { key, a: pa, b: pb } of pairBy(a.network?.ports ?? [], b.network?.ports ?? [], (p) => p.label)) {
    const from = renderPort(pa);
    const to = renderPort(pb);
    if (from === to) continue;
    out.push({
      group: b.name,
      label: key,
      change: changeOf(pa, pb) ?? 'changed',
      from,
      to,
      static: (pa?.static ?? null) !== null || (pb?.static ?? null) !== null,
      line: pb?.line ?? pa?.line ?? b.line,
    });
  }
  return out;
}

export function diffVolumes(a: Group, b: Group): VolumeChange[] {
  const out: VolumeChange[] = [];
  for (const { a: va, b: vb } of pairBy(a.volumes, b.volumes, (v) => v.name)) {
    const render = (v: typeof va) => (v ? `${v.type} ${v.source} as ${v.name} (${v.readOnly ? 'ro' : 'rw'})` : null);
    const from = render(va);
    const to = render(vb);
    if (from === to) continue;
    out.push({
      group: b.name,
      task: null,
      kind: (vb ?? va)!.type === 'csi' ? 'csi-volume' : 'host-volume',
      change: changeOf(va, vb) ?? 'changed',
      from,
      to,
      data: (va !== undefined && !va.readOnly) || (vb !== undefined && !vb.readOnly),
      line: vb?.line ?? va?.line ?? b.line,
    });
  }
  for (const { key, a: ta, b: tb } of pairBy(a.tasks, b.tasks, (t) => t.name)) {
    if (!ta || !tb) continue; // a task added or removed is reported with its image
    for (const { a: ma, b: mb } of pairBy(ta.volumeMounts, tb.volumeMounts, (m) => m.volume)) {
      const render = (m: typeof ma) => (m ? `${m.volume} at ${m.destination} (${m.readOnly ? 'ro' : 'rw'})` : null);
      const writable = (g: Group, m: typeof ma) => m !== undefined && !m.readOnly && g.volumes.some((v) => v.name === m.volume && !v.readOnly);
      if (render(ma) === render(mb)) continue;
      out.push({
        group: b.name,
        task: key,
        kind: 'volume-mount',
        change: changeOf(ma, mb) ?? 'changed',
        from: render(ma),
        to: render(mb),
        data: writable(a, ma) || writable(b, mb),
        line: tb.line,
      });
    }
    for (const { a: ma, b: mb } of pairBy(ta.mounts, tb.mounts, (m) => m.target)) {
      const render = (m: DockerMount | undefined) => (m ? describeMount(m) : null);
      if (render(ma) === render(mb)) continue;
      const kind = (mb ?? ma)!.type;
      out.push({
        group: b.name,
        task: key,
        kind: kind === 'volume' ? 'docker-volume' : kind === 'tmpfs' ? 'tmpfs' : 'bind-mount',
        change: changeOf(ma, mb) ?? 'changed',
        from: render(ma),
        to: render(mb),
        data: (ma !== undefined && isDataMount(ma)) || (mb !== undefined && isDataMount(mb)),
        line: tb.imageLine ?? tb.line,
      });
    }
  }
  return out;
}

function serviceKey(s: Service): string {
  return `${s.task ?? ''}/${s.name}/${s.port ?? ''}`;
}

export function diffServices(a: Group, b: Group): ServiceChange[] {
  const out: ServiceChange[] = [];
  for (const { a: sa, b: sb } of pairBy(a.services, b.services, serviceKey)) {
    const s = (sb ?? sa)!;
    const tagsA = sa?.tags ?? [];
    const tagsB = sb?.tags ?? [];
    const fields: string[] = [];
    if (sa && sb) {
      if (sa.provider !== sb.provider) fields.push('provider');
      if (stableJson(sa.checks) !== stableJson(sb.checks)) fields.push('checks');
      if (sa.connect !== sb.connect) fields.push('connect');
    }
    const tagsAdded = tagsB.filter((t) => !tagsA.includes(t));
    const tagsRemoved = tagsA.filter((t) => !tagsB.includes(t));
    const change = changeOf(sa, sb);
    if (!change && tagsAdded.length === 0 && tagsRemoved.length === 0 && fields.length === 0) continue;
    out.push({ group: b.name, service: s.name, change: change ?? 'changed', tagsAdded, tagsRemoved, fields, line: s.line });
  }
  return out;
}

/** Traefik routes of one job at base and head; `definedAuth` are auth middlewares defined in tags. */
export function diffRoutes(
  base: NomadJob | undefined,
  head: NomadJob | undefined,
  definedAuth: Set<string>,
  options: RouteOptions,
): RouteChange[] {
  const from = base ? routersOfJobs([base]) : [];
  const to = head ? routersOfJobs([head]) : [];
  const out: RouteChange[] = [];
  const key = (r: TraefikRouter) => `${r.protocol}:${r.name}`;
  for (const { a, b } of pairBy(from, to, key)) {
    const r = (b ?? a)!;
    const authFrom = a ? authOf(a, definedAuth, options) : [];
    const authTo = b ? authOf(b, definedAuth, options) : [];
    const same =
      a && b &&
      normaliseRule(a.rule ?? '') === normaliseRule(b.rule ?? '') &&
      stableJson(a.entrypoints) === stableJson(b.entrypoints) &&
      stableJson(a.middlewares) === stableJson(b.middlewares);
    if (same) continue;
    out.push({
      router: r.name,
      protocol: r.protocol,
      service: r.service,
      change: changeOf(a, b) ?? 'changed',
      ruleFrom: a?.rule ?? null,
      ruleTo: b?.rule ?? null,
      entrypoints: r.entrypoints,
      public: isPublicRoute(r, options),
      authFrom,
      authTo,
      line: r.line,
    });
  }
  return out;
}
