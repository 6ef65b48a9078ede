// The simulator's /v1/jobs/parse: HCL job files into Nomad API JSON with Nomad's defaults.
import { describe, expect, it } from 'vitest';
import { parseJobHcl } from './hcl-to-job.js';
import { JobParseError } from './hcl-values.js';
import { SCENARIO_JOBS } from './scenarios.js';

type Any = Record<string, any>;

describe('parseJobHcl', () => {
  it('turns a service job into Nomad API JSON with its defaults', async () => {
    const job = (await parseJobHcl(SCENARIO_JOBS.whoami!)) as Any;
    expect(job).toMatchObject({ ID: 'whoami', Name: 'whoami', Namespace: 'default', Region: 'global', Type: 'service', Priority: 50, Datacenters: ['dc1'] });
    const group = job.TaskGroups[0];
    expect(group).toMatchObject({ Name: 'web', Count: 2 });
    expect(group.Update).toMatchObject({ MaxParallel: 1, MinHealthyTime: 10e9, HealthyDeadline: 120e9, ProgressDeadline: 600e9, AutoRevert: true, Canary: 0 });
    expect(group.Networks[0].DynamicPorts).toEqual([{ Label: 'http', Value: 0, To: 80, HostNetwork: 'default' }]);
    expect(group.Services[0]).toMatchObject({ Name: 'whoami', PortLabel: 'http', Tags: ['traefik.enable=true', 'traefik.http.routers.whoami.rule=Host(`whoami.lab`)'] });
    expect(group.Services[0].Checks[0]).toMatchObject({ Type: 'http', Path: '/health', Interval: 10e9, Timeout: 2e9, Name: 'service: "whoami" check' });
    expect(group.Tasks[0]).toMatchObject({ Name: 'whoami', Driver: 'docker', Config: { image: 'traefik/whoami:v1.10.1', ports: ['http'] }, Resources: { CPU: 100, MemoryMB: 64 } });
  });

  it('keeps static ports, host volumes and volume mounts', async () => {
    const job = (await parseJobHcl(SCENARIO_JOBS.postgres!)) as Any;
    const group = job.TaskGroups[0];
    expect(group.Networks[0].ReservedPorts).toEqual([{ Label: 'db', Value: 5432, To: 0, HostNetwork: 'default' }]);
    expect(group.Volumes).toEqual({ pgdata: { Name: 'pgdata', Type: 'host', Source: 'pgdata', ReadOnly: false } });
    expect(group.Tasks[0].VolumeMounts).toEqual([{ Volume: 'pgdata', Destination: '/var/lib/postgresql/data', ReadOnly: false, PropagationMode: 'private' }]);
    // A job without an update block still gets Nomad's default update strategy (no auto-revert).
    expect(group.Update.AutoRevert).toBe(false);
  });

  it('resolves variables from their defaults and stringifies env and meta values', async () => {
    const job = (await parseJobHcl(`variable "tag" {
  default = "1.2.3"
}
job "app" {
  meta {
    owner = "lab"
    build = 7
  }
  group "g" {
    task "t" {
      driver = "docker"
      config {
        image = "example/app:\${var.tag}"
      }
      env {
        PORT = 8080
      }
    }
  }
}
`)) as Any;
    expect(job.TaskGroups[0].Tasks[0].Config.image).toBe('example/app:1.2.3');
    expect(job.TaskGroups[0].Tasks[0].Env).toEqual({ PORT: '8080' });
    expect(job.Meta).toEqual({ owner: 'lab', build: '7' });
  });

  it('refuses a variable without a default, as Nomad does without -var', async () => {
    await expect(parseJobHcl('variable "tag" {}\njob "a" {\n  group "g" {\n    task "t" {\n      driver = "docker"\n      config {\n        image = var.tag\n      }\n    }\n  }\n}\n')).rejects.toThrow(
      /Unset variable "tag"/,
    );
  });

  it('reports a syntax error with its line and column', async () => {
    const error = await parseJobHcl('job "x" {\n  group "g" {\n    count =\n  }\n}\n').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobParseError);
    expect((error as Error).message).toMatch(/input\.hcl:3,\d+/);
  });

  it('refuses a file without exactly one job', async () => {
    await expect(parseJobHcl('variable "x" {}\n')).rejects.toThrow(/exactly one job/);
  });
});
