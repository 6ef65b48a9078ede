// Normalisation of real parsed job files into the NomadJob model, with source lines.
import { describe, expect, it } from 'vitest';
import { NomadJob } from '../../../model/nomad-job.js';
import { jobsFromHcl } from '../../../../test/helpers/nomad-hcl.js';

const FULL = `variable "image" {
  default = "ghcr.io/example/app:1.4.2"
}
variable "dcs" {
  type = list(string)
}

job "app" {
  datacenters = var.dcs
  type        = "service"
  namespace   = "apps"
  node_pool   = "edge"

  constraint {
    attribute = "\${node.unique.name}"
    value     = "node3"
  }

  update {
    max_parallel = 2
    auto_revert  = true
  }

  group "web" {
    count = 3

    network {
      mode = "bridge"
      port "http" { to = 8080 }
      port "metrics" {
        static = "9100"
        host_network = "lan"
      }
    }

    volume "data" {
      type      = "csi"
      source    = "app-data"
      access_mode = "single-node-writer"
      attachment_mode = "file-system"
      per_alloc = true
    }

    service {
      name     = "app"
      port     = "http"
      provider = "nomad"
      tags     = ["traefik.enable=true"]
      check {
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "server" {
      driver = "docker"
      config {
        image = var.image
        volumes = ["/srv/app/cache:/cache", "local/app.conf:/etc/app.conf:ro"]
        mount = {
          type   = "bind"
          source = "/srv/app/media"
          target = "/media"
        }
      }
      volume_mount {
        volume      = "data"
        destination = "/data"
      }
      env {
        PASSWORD = "hunter2"
      }
      template {
        data = <<EOH
{{ with nomadVar "nomad/jobs/app" }}{{ .password }}{{ end }}
{{ with secret "kv/data/app" }}{{ .Data.data.key }}{{ end }}
{{ key "config/app/flag" }}
{{ range service "postgres" }}{{ .Address }}{{ end }}
{{ if nomadVarExists "nomad/jobs/optional" }}x{{ end }}
EOH
        destination = "secrets/app.env"
        env         = true
      }
      resources {
        cpu        = 500
        memory     = 256
        memory_max = 512
      }
      service {
        port = "metrics"
      }
    }

    task "migrate" {
      driver = "docker"
      lifecycle {
        hook = "prestart"
      }
      config {
        image = "ghcr.io/example/app:1.4.2"
      }
    }
  }
}
`;

describe('normaliseJobFile', async () => {
  const { jobs, findings } = await jobsFromHcl({ 'jobs/app.nomad': FULL });
  const job = jobs[0]!;
  const group = job.groups[0]!;
  const server = group.tasks.find((t) => t.name === 'server')!;

  it('produces a job that satisfies the model schema', () => {
    expect(findings).toEqual([]);
    expect(() => NomadJob.parse(job)).not.toThrow();
    expect(job).toMatchObject({ id: 'app', type: 'service', namespace: 'apps', nodePool: 'edge', file: 'jobs/app.nomad', line: 8 });
  });

  it('resolves a variable default and keeps a variable without one, reporting the field', () => {
    expect(server.image).toBe('ghcr.io/example/app:1.4.2');
    expect(job.defaultsUsed).toEqual(['image']);
    expect(job.variables).toEqual(['dcs', 'image']);
    expect(job.datacenters).toEqual(['${var.dcs}']);
    expect(job.unresolved).toEqual([{ path: 'datacenters', expression: '${var.dcs}' }]);
  });

  it('reads constraints, update, count, ports and volumes', () => {
    expect(job.constraints).toEqual([{ attribute: '${node.unique.name}', operator: '=', value: 'node3' }]);
    expect(job.update).toMatchObject({ maxParallel: 2, autoRevert: true, canary: null, line: 19 });
    expect(group.count).toBe(3);
    expect(group.network).toMatchObject({ mode: 'bridge', line: 27 });
    expect(group.network!.ports).toEqual([
      { label: 'http', static: null, to: 8080, hostNetwork: null, line: 29 },
      { label: 'metrics', static: 9100, to: null, hostNetwork: 'lan', line: 30 },
    ]);
    expect(group.volumes).toEqual([
      { name: 'data', type: 'csi', source: 'app-data', readOnly: false, perAlloc: true, accessMode: 'single-node-writer', attachmentMode: 'file-system', line: 36 },
    ]);
  });

  it('collects group and task services, naming an unnamed one as Nomad does', () => {
    expect(group.services.map((s) => [s.name, s.task, s.provider, s.line])).toEqual([
      ['app', null, 'nomad', 44],
      ['app-web-server', 'server', 'consul', 91],
    ]);
    expect(group.services[0]!.checks[0]).toMatchObject({ type: 'http', path: '/health' });
  });

  it('reads docker mounts from blocks, attributes and volume strings', () => {
    expect(server.mounts).toEqual([
      { type: 'bind', source: '/srv/app/media', target: '/media', readOnly: false },
      { type: 'bind', source: '/srv/app/cache', target: '/cache', readOnly: false },
      { type: 'bind', source: 'local/app.conf', target: '/etc/app.conf', readOnly: true },
    ]);
    expect(server.volumeMounts).toEqual([{ volume: 'data', destination: '/data', readOnly: false }]);
    expect(server.imageLine).toBe(60);
  });

  it('records what templates read and keeps no secret values', () => {
    expect(server.templates[0]).toMatchObject({
      destination: 'secrets/app.env',
      env: true,
      nomadVariables: ['nomad/jobs/app'],
      vaultPaths: ['kv/data/app'],
      consulKeys: ['config/app/flag'],
      services: ['postgres'],
    });
    expect(JSON.stringify(job)).not.toContain('hunter2');
    expect(server.env.PASSWORD).toMatch(/^sha256:/);
  });

  it('reads resources and lifecycle hooks', () => {
    expect(server.resources).toEqual({ cpu: 500, cores: null, memory: 256, memoryMax: 512 });
    expect(group.tasks.find((t) => t.name === 'migrate')!.lifecycle).toBe('prestart');
  });
});

describe('normaliseJobFile defaults and edge cases', () => {
  it('applies Nomad defaults when fields are absent', async () => {
    const { jobs } = await jobsFromHcl({ 'a.nomad': 'job "a" {\n  group "g" {\n    task "t" {\n      driver = "exec"\n      config {\n        command = "/bin/true"\n      }\n    }\n  }\n}\n' });
    expect(jobs[0]).toMatchObject({ type: 'service', namespace: 'default', datacenters: ['*'], region: null });
    expect(jobs[0]!.groups[0]).toMatchObject({ count: 1, network: null });
    expect(jobs[0]!.groups[0]!.tasks[0]!.image).toBeNull();
  });

  it('keeps a count given by an unknown variable as null and reports it', async () => {
    const { jobs } = await jobsFromHcl({ 'a.nomad': 'job "a" {\n  group "g" {\n    count = var.n\n  }\n}\n' });
    expect(jobs[0]!.groups[0]!.count).toBeNull();
    expect(jobs[0]!.unresolved).toEqual([{ path: 'group.g.count', expression: '${var.n}' }]);
  });

  it('warns about a file with no job block', async () => {
    const { jobs, findings } = await jobsFromHcl({ 'vars.nomad.hcl': 'variable "x" {\n  default = 1\n}\n' });
    expect(jobs).toEqual([]);
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', code: 'no-job', file: 'vars.nomad.hcl', line: 1 })]);
  });

  it('reads ports declared the pre-0.12 way under task resources', async () => {
    const { jobs } = await jobsFromHcl({
      'old.nomad': 'job "old" {\n  group "g" {\n    task "t" {\n      driver = "docker"\n      resources {\n        network {\n          port "http" {\n            static = 8080\n          }\n        }\n      }\n    }\n  }\n}\n',
    });
    expect(jobs[0]!.groups[0]!.network!.ports[0]).toMatchObject({ label: 'http', static: 8080 });
  });

  it('normalises periodic batch jobs', async () => {
    const { jobs } = await jobsFromHcl({ 'b.nomad': 'job "b" {\n  type = "batch"\n  periodic {\n    crons = ["0 3 * * *"]\n    prohibit_overlap = true\n  }\n}\n' });
    expect(jobs[0]!.periodic).toEqual({ crons: ['0 3 * * *'], prohibitOverlap: true });
  });

  it('keeps two jobs with the same ID in one file apart, each with its own line', async () => {
    const { jobs } = await jobsFromHcl({ 'd.nomad': 'job "x" {\n  type = "service"\n}\n\njob "x" {\n  type = "batch"\n}\n' });
    expect(jobs.map((j) => [j.type, j.line])).toEqual([
      ['service', 1],
      ['batch', 5],
    ]);
  });
});
