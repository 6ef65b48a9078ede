// What makes a Nomad task hold data: volumes, bind mounts, sticky disks, database images.
import { describe, expect, it } from 'vitest';
import { isDataMount, isDatabaseImage, jobStatefulness } from './job-statefulness.js';
import { jobsFromHcl, serviceJob } from '../../../../test/helpers/nomad-hcl.js';

describe('isDatabaseImage', () => {
  it.each([
    ['postgres:16.4', true],
    ['bitnami/postgresql:16', true],
    ['timescale/timescaledb-ha:pg16', true],
    ['mariadb:11', true],
    ['redis:7-alpine', true],
    ['influxdb:2.7', true],
    ['prometheuscommunity/postgres-exporter:0.15', false],
    ['mongo-express:1', false],
    ['grafana/grafana-oss:11', false],
    [null, false],
  ])('%s -> %s', (image, expected) => {
    expect(isDatabaseImage(image)).toBe(expected);
  });
});

describe('isDataMount', () => {
  it.each([
    [{ type: 'bind', source: '/mnt/nomad-volumes/grafana', target: '/var/lib/grafana', readOnly: false }, true],
    [{ type: 'bind', source: '/mnt/nomad-volumes/grafana', target: '/var/lib/grafana', readOnly: true }, false],
    [{ type: 'bind', source: 'secrets/settings.yml', target: '/etc/app.yml', readOnly: false }, false],
    [{ type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: false }, false],
    [{ type: 'bind', source: '/etc/localtime', target: '/etc/localtime', readOnly: false }, false],
    [{ type: 'volume', source: 'pgdata', target: '/var/lib/postgresql/data', readOnly: false }, true],
    [{ type: 'tmpfs', source: '', target: '/tmp', readOnly: false }, false],
  ] as const)('%j -> %s', (mount, expected) => {
    expect(isDataMount({ ...mount })).toBe(expected);
  });
});

describe('jobStatefulness', () => {
  it('counts a writable host volume mounted by a task, not a read-only one', async () => {
    const rw = serviceJob({ id: 'a', groupBody: 'volume "d" {\n type = "host"\n source = "data"\n}', taskBody: 'volume_mount {\n volume = "d"\n destination = "/data"\n}' });
    const ro = serviceJob({ id: 'b', groupBody: 'volume "d" {\n type = "host"\n source = "sock"\n read_only = true\n}', taskBody: 'volume_mount {\n volume = "d"\n destination = "/s"\n read_only = true\n}' });
    const { jobs } = await jobsFromHcl({ 'a.nomad': rw, 'b.nomad': ro });
    expect(jobStatefulness(jobs[0]!)).toEqual({ stateful: true, because: ['a/a: host volume data at /data (rw)'] });
    expect(jobStatefulness(jobs[1]!).stateful).toBe(false);
  });

  it('counts a sticky ephemeral disk that Nomad migrates, not a plain cache', async () => {
    const kept = serviceJob({ id: 'a', groupBody: 'ephemeral_disk {\n sticky = true\n migrate = true\n}' });
    const cache = serviceJob({ id: 'b', groupBody: 'ephemeral_disk {\n sticky = true\n}' });
    const { jobs } = await jobsFromHcl({ 'a.nomad': kept, 'b.nomad': cache });
    expect(jobStatefulness(jobs[0]!).stateful).toBe(true);
    expect(jobStatefulness(jobs[1]!).stateful).toBe(false);
  });

  it('counts a database image even without a visible mount', async () => {
    const { jobs } = await jobsFromHcl({ 'a.nomad': serviceJob({ id: 'db', image: 'postgres:16' }) });
    expect(jobStatefulness(jobs[0]!).because).toEqual(['db/db: image postgres (a database)']);
  });
});
