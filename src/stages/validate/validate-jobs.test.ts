// Each static validation check, on real parsed job files: when it fires and when it must not.
import { describe, expect, it } from 'vitest';
import { JobFinding } from '../../model/nomad-job.js';
import { jobsFromHcl, serviceJob } from '../../../test/helpers/nomad-hcl.js';
import { validateJobs, type ValidationContext } from './validate-jobs.js';

async function validate(files: Record<string, string>, context: ValidationContext = {}) {
  const findings = validateJobs(await jobsFromHcl(files), context);
  for (const f of findings) JobFinding.parse(f);
  return findings;
}

const codes = (findings: JobFinding[]) => findings.map((f) => `${f.severity}:${f.code}`);

const withPort = (id: string, port: number, opts: { type?: string; top?: string; groupBody?: string; hostNetwork?: string } = {}) =>
  serviceJob({
    id,
    type: opts.type,
    top: opts.top,
    groupBody: `network {\n port "p" {\n static = ${port}\n${opts.hostNetwork ? ` host_network = "${opts.hostNetwork}"\n` : ''} }\n}\n${opts.groupBody ?? ''}`,
  });

const routed = (id: string, service: string, router: string, rule: string, entrypoints = 'websecure', extra = '') =>
  serviceJob({
    id,
    groupBody: `service {\n name = "${service}"\n tags = [\n "traefik.http.routers.${router}.rule=${rule}",\n "traefik.http.routers.${router}.entrypoints=${entrypoints}",\n ${extra}\n ]\n}`,
  });

describe('validateJobs', () => {
  it('passes parse errors through with their line and column', async () => {
    const findings = await validate({ 'bad.nomad': 'job "x" {\n  a = [1,\n}\n' });
    expect(findings[0]).toMatchObject({ severity: 'error', code: 'parse-error', file: 'bad.nomad', line: 3, column: 1 });
  });

  it('finds nothing wrong in distinct, well-formed jobs', async () => {
    expect(await validate({ 'a.nomad': withPort('a', 80), 'b.nomad': withPort('b', 81) })).toEqual([]);
  });

  describe('duplicate job IDs', () => {
    it('reports the second definition and cites the first', async () => {
      const findings = await validate({ 'a.nomad': serviceJob({ id: 'web' }), 'b.nomad': serviceJob({ id: 'web' }) });
      expect(findings).toEqual([expect.objectContaining({ severity: 'error', code: 'duplicate-job-id', file: 'b.nomad', line: 1 })]);
      expect(findings[0]!.message).toContain('a.nomad:1');
    });

    it('accepts the same ID in two namespaces', async () => {
      expect(await validate({ 'a.nomad': serviceJob({ id: 'web' }), 'b.nomad': serviceJob({ id: 'web', top: 'namespace = "lab"' }) })).toEqual([]);
    });
  });

  describe('duplicate service names', () => {
    const svc = (id: string, name: string, extra = '') => serviceJob({ id, groupBody: `service {\n name = "${name}"\n${extra}\n}` });

    it('reports a service name registered by two jobs', async () => {
      const findings = await validate({ 'a.nomad': svc('a', 'web'), 'b.nomad': svc('b', 'web') });
      expect(findings).toEqual([expect.objectContaining({ severity: 'error', code: 'duplicate-service-name', file: 'b.nomad', line: 6 })]);
    });

    it('accepts the same name in Consul and in Nomad service discovery', async () => {
      expect(await validate({ 'a.nomad': svc('a', 'web'), 'b.nomad': svc('b', 'web', 'provider = "nomad"') })).toEqual([]);
    });

    it('reports the same name and port twice in one group', async () => {
      const twice = serviceJob({ id: 'a', groupBody: 'service {\n name = "web"\n port = "http"\n}\nservice {\n name = "web"\n port = "http"\n}' });
      expect(codes(await validate({ 'a.nomad': twice }))).toEqual(['error:duplicate-service-name']);
    });

    it('accepts one name on two ports of a group', async () => {
      const two = serviceJob({ id: 'a', groupBody: 'service {\n name = "web"\n port = "http"\n}\nservice {\n name = "web"\n port = "admin"\n}' });
      expect(await validate({ 'a.nomad': two })).toEqual([]);
    });
  });

  describe('static port conflicts', () => {
    it('is an error when a system job holds the port on every node', async () => {
      const findings = await validate({ 'traefik.nomad': withPort('traefik', 443, { type: 'system' }), 'app.nomad': withPort('app', 443) });
      expect(findings).toEqual([expect.objectContaining({ severity: 'error', code: 'static-port-conflict', file: 'app.nomad', line: 7 })]);
      expect(findings[0]!.message).toContain('traefik.nomad:7');
    });

    it('is an error when constraints pin both groups to the same node', async () => {
      const pin = 'constraint {\n attribute = "${node.unique.name}"\n value = "node3"\n}';
      expect(codes(await validate({ 'a.nomad': withPort('a', 8123, { top: pin }), 'b.nomad': withPort('b', 8123, { top: pin }) }))).toEqual(['error:static-port-conflict']);
    });

    it('is a warning between two service jobs that Nomad may place apart', async () => {
      expect(codes(await validate({ 'a.nomad': withPort('a', 8080), 'b.nomad': withPort('b', 8080) }))).toEqual(['warning:static-port-conflict']);
    });

    it('is no conflict for jobs pinned to different nodes', async () => {
      const on = (n: string) => `constraint {\n attribute = "\${node.unique.name}"\n value = "${n}"\n}`;
      expect(await validate({ 'a.nomad': withPort('a', 53, { top: on('node1') }), 'b.nomad': withPort('b', 53, { top: on('node2') }) })).toEqual([]);
    });

    it('is no conflict across datacenters, node pools or host networks', async () => {
      expect(await validate({ 'a.nomad': withPort('a', 80, { type: 'system' }), 'b.nomad': withPort('b', 80).replace('"home"', '"cloud"') })).toEqual([]);
      expect(await validate({ 'a.nomad': withPort('a', 80, { type: 'system', top: 'node_pool = "edge"' }), 'b.nomad': withPort('b', 80) })).toEqual([]);
      expect(await validate({ 'a.nomad': withPort('a', 80, { hostNetwork: 'public' }), 'b.nomad': withPort('b', 80) })).toEqual([]);
    });

    it('is only a warning when a system job is narrowed to some nodes', async () => {
      const narrow = 'constraint {\n attribute = "${meta.ingress}"\n value = "true"\n}';
      expect(codes(await validate({ 'a.nomad': withPort('a', 80, { type: 'system', top: narrow }), 'b.nomad': withPort('b', 80) }))).toEqual(['warning:static-port-conflict']);
    });

    it('reports two ports of one group on the same static port', async () => {
      const job = serviceJob({ id: 'a', groupBody: 'network {\n port "x" { static = 80 }\n port "y" { static = 80 }\n}' });
      expect(codes(await validate({ 'a.nomad': job }))).toEqual(['error:static-port-conflict']);
    });
  });

  describe('Traefik routers', () => {
    it('reports one router name with two different rules', async () => {
      const findings = await validate({ 'a.nomad': routed('a', 'a', 'web', 'Host(`a.example.org`)'), 'b.nomad': routed('b', 'b', 'web', 'Host(`b.example.org`)') });
      expect(codes(findings)).toEqual(['error:traefik-router-conflict']);
    });

    it('reports the same rule on the same entrypoint from two services', async () => {
      const findings = await validate({ 'a.nomad': routed('a', 'a', 'ra', 'Host(`x.example.org`)'), 'b.nomad': routed('b', 'b', 'rb', 'Host( `x.example.org` )') });
      expect(codes(findings)).toEqual(['error:traefik-rule-conflict']);
    });

    it('accepts the same rule on different entrypoints or with different priorities', async () => {
      expect(await validate({ 'a.nomad': routed('a', 'a', 'ra', 'HostSNI(`*`)', 'ssh'), 'b.nomad': routed('b', 'b', 'rb', 'HostSNI(`*`)', 'smtp') })).toEqual([]);
      const prio = (r: string, p: number) => `"traefik.http.routers.${r}.priority=${p}",`;
      expect(await validate({ 'a.nomad': routed('a', 'a', 'ra', 'Host(`x`)', 'web', prio('ra', 10)), 'b.nomad': routed('b', 'b', 'rb', 'Host(`x`)', 'web', prio('rb', 20)) })).toEqual([]);
    });

    it('ignores services with traefik.enable=false', async () => {
      const off = routed('b', 'b', 'web', 'Host(`b`)', 'web', '"traefik.enable=false",');
      expect(await validate({ 'a.nomad': routed('a', 'a', 'web', 'Host(`a`)'), 'b.nomad': off })).toEqual([]);
    });
  });

  describe('references', () => {
    const hostVolume = serviceJob({ id: 'a', groupBody: 'volume "d" {\n type = "host"\n source = "pg-data"\n}', taskBody: 'volume_mount {\n volume = "d"\n destination = "/d"\n}' });
    const reader = serviceJob({ id: 'a', taskBody: 'template {\n data = "{{ with nomadVar \\"nomad/jobs/a\\" }}{{ .x }}{{ end }}"\n destination = "secrets/a.env"\n}' });

    it('reports a host volume no client declares, only when declarations are known', async () => {
      expect(codes(await validate({ 'a.nomad': hostVolume }, { hostVolumes: ['other'] }))).toEqual(['error:undeclared-host-volume']);
      expect(await validate({ 'a.nomad': hostVolume }, { hostVolumes: ['pg-data'] })).toEqual([]);
      expect(await validate({ 'a.nomad': hostVolume })).toEqual([]);
    });

    it('reports a Nomad variable that does not exist, only when variables are known', async () => {
      const findings = await validate({ 'a.nomad': reader }, { variables: ['nomad/jobs/b'] });
      expect(findings).toEqual([expect.objectContaining({ code: 'undeclared-variable', line: 13 })]);
      expect(await validate({ 'a.nomad': reader }, { variables: ['nomad/jobs/a'] })).toEqual([]);
      expect(await validate({ 'a.nomad': reader })).toEqual([]);
    });

    it('reports a volume_mount of a volume the group does not declare', async () => {
      const job = serviceJob({ id: 'a', taskBody: 'volume_mount {\n volume = "missing"\n destination = "/d"\n}' });
      expect(codes(await validate({ 'a.nomad': job }))).toEqual(['error:unknown-volume']);
    });
  });

  it('warns once per job about expressions kept as written', async () => {
    const findings = await validate({ 'a.nomad': `variable "n" {}\n${serviceJob({ id: 'a', groupBody: 'count = var.n' })}` });
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', code: 'unresolved-expression', line: 2 })]);
    expect(findings[0]!.message).toContain('group.a.count = ${var.n}');
  });
});
