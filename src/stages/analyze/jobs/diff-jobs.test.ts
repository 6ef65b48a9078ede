// The job ChangeSet, from real job files parsed at base and head.
import { describe, expect, it } from 'vitest';
import { JobChange } from '../../../model/job-change.js';
import { jobsFromHcl, serviceJob } from '../../../../test/helpers/nomad-hcl.js';
import { diffJobs } from './diff-jobs.js';

async function diff(before: Record<string, string>, after: Record<string, string>, options = {}) {
  const base = await jobsFromHcl(before);
  const head = await jobsFromHcl(after);
  const changes = diffJobs(base.jobs, head.jobs, options);
  for (const c of changes) JobChange.parse(c);
  return changes;
}

const ROUTED = (middlewares: string, entrypoint = 'websecure') =>
  serviceJob({
    id: 'web',
    groupBody: `network {\n port "http" { to = 80 }\n}\nservice {\n name = "web"\n port = "http"\n tags = [\n "traefik.enable=true",\n "traefik.http.routers.web.entrypoints=${entrypoint}",\n "traefik.http.routers.web.rule=Host(\`web.example.org\`)",\n ${middlewares ? `"traefik.http.routers.web.middlewares=${middlewares}",` : ''}\n ]\n}`,
  });

describe('diffJobs', () => {
  it('reports nothing when a job only moved file or lines', async () => {
    const job = serviceJob({ id: 'a' });
    expect(await diff({ 'a.nomad': job }, { 'jobs/a.nomad': `# moved\n\n${job}` })).toEqual([]);
  });

  it('reports an added job with its images and a not-planned plan', async () => {
    const [c] = await diff({}, { 'a.nomad': serviceJob({ id: 'a', image: 'nginx:1.27' }) });
    expect(c).toMatchObject({ job: 'a', change: 'added', file: 'a.nomad', line: 1, plan: { planned: false, note: 'not planned: no cluster' } });
    expect(c!.images).toEqual([expect.objectContaining({ from: null, to: 'nginx:1.27', bump: 'added' })]);
  });

  it('reports a removed job with why it holds data', async () => {
    const db = serviceJob({ id: 'db', image: 'postgres:16', configBody: 'volumes = ["/srv/pg:/var/lib/postgresql/data"]' });
    const [c] = await diff({ 'db.nomad': db }, {});
    expect(c).toMatchObject({ change: 'removed', stateful: true, file: 'db.nomad' });
    expect(c!.statefulBecause).toEqual(['db/db: bind mount /srv/pg -> /var/lib/postgresql/data (rw)', 'db/db: image postgres (a database)']);
  });

  it('keys jobs by namespace: the same ID in another namespace is another job', async () => {
    const changes = await diff({ 'a.nomad': serviceJob({ id: 'a' }) }, { 'a.nomad': serviceJob({ id: 'a', top: 'namespace = "apps"' }) });
    expect(changes.map((c) => [c.namespace, c.change])).toEqual([
      ['apps', 'added'],
      ['default', 'removed'],
    ]);
  });

  it('reports an image bump with its kind and source line', async () => {
    const [c] = await diff({ 'a.nomad': serviceJob({ id: 'a', image: 'grafana/grafana-oss:11.2.0' }) }, { 'a.nomad': serviceJob({ id: 'a', image: 'grafana/grafana-oss:12.0.1' }) });
    expect(c!.images).toEqual([
      expect.objectContaining({ group: 'a', task: 'a', from: 'grafana/grafana-oss:11.2.0', to: 'grafana/grafana-oss:12.0.1', bump: 'major', stateful: false, line: 10 }),
    ]);
  });

  it('marks an image held in an unresolved variable as incomparable', async () => {
    const before = `variable "tag" {}\n${serviceJob({ id: 'a', image: 'app:${var.tag}' })}`;
    const after = `variable "tag" {}\n${serviceJob({ id: 'a', image: 'app2:${var.tag}' })}`;
    const [c] = await diff({ 'a.nomad': before }, { 'a.nomad': after });
    expect(c!.images[0]).toMatchObject({ bump: 'incomparable', note: 'the image is an unresolved HCL2 expression' });
    expect(c!.unresolved).toEqual(['group.a.task.a.config.image: ${var.tag}']);
  });

  it('reports resources, count and update changes', async () => {
    const before = serviceJob({ id: 'a', groupBody: 'count = 1\nupdate {\n canary = 1\n}', taskBody: 'resources {\n cpu = 100\n memory = 128\n}' });
    const after = serviceJob({ id: 'a', groupBody: 'count = 3\nupdate {\n canary = 0\n auto_revert = true\n}', taskBody: 'resources {\n cpu = 100\n memory = 256\n}' });
    const [c] = await diff({ 'a.nomad': before }, { 'a.nomad': after });
    expect(c!.count).toEqual([expect.objectContaining({ group: 'a', from: 1, to: 3 })]);
    expect(c!.resources).toEqual([expect.objectContaining({ field: 'memory', from: 128, to: 256 })]);
    expect(c!.update.map((u) => [u.group, u.field, u.from, u.to])).toEqual([
      ['a', 'canary', '1', '0'],
      ['a', 'auto_revert', null, 'true'],
    ]);
  });

  it('reports port and network mode changes, flagging static ports', async () => {
    const before = serviceJob({ id: 'a', groupBody: 'network {\n port "dns" { static = 53 }\n port "http" { to = 80 }\n}' });
    const after = serviceJob({ id: 'a', groupBody: 'network {\n mode = "bridge"\n port "http" { to = 8080 }\n}' });
    const [c] = await diff({ 'a.nomad': before }, { 'a.nomad': after });
    expect(c!.ports.map((p) => [p.label, p.change, p.from, p.to, p.static])).toEqual([
      ['(network mode)', 'changed', 'host', 'bridge', false],
      ['dns', 'removed', 'static 53', null, true],
      ['http', 'changed', 'dynamic -> 80', 'dynamic -> 8080', false],
    ]);
  });

  it('reports a moved data directory as a changed data mount', async () => {
    const before = serviceJob({ id: 'a', configBody: 'mount {\n type = "bind"\n source = "/srv/a"\n target = "/data"\n}' });
    const after = serviceJob({ id: 'a', configBody: 'mount {\n type = "bind"\n source = "/srv/b"\n target = "/data"\n}' });
    const [c] = await diff({ 'a.nomad': before }, { 'a.nomad': after });
    expect(c!.volumes).toEqual([
      expect.objectContaining({ kind: 'bind-mount', change: 'changed', from: 'bind mount /srv/a -> /data (rw)', to: 'bind mount /srv/b -> /data (rw)', data: true }),
    ]);
  });

  it('reports host volumes and volume mounts added', async () => {
    const after = serviceJob({ id: 'a', groupBody: 'volume "d" {\n type = "host"\n source = "data"\n}', taskBody: 'volume_mount {\n volume = "d"\n destination = "/d"\n}' });
    const [c] = await diff({ 'a.nomad': serviceJob({ id: 'a' }) }, { 'a.nomad': after });
    expect(c!.volumes.map((v) => [v.kind, v.change, v.data])).toEqual([
      ['host-volume', 'added', true],
      ['volume-mount', 'added', true],
    ]);
    expect(c!.stateful).toBe(true);
  });

  it('reports an auth middleware taken off a route', async () => {
    const [c] = await diff({ 'w.nomad': ROUTED('authelia@file') }, { 'w.nomad': ROUTED('') });
    expect(c!.routes).toEqual([
      expect.objectContaining({ router: 'web', change: 'changed', public: true, authFrom: ['authelia@file'], authTo: [], entrypoints: ['websecure'] }),
    ]);
    expect(c!.services[0]).toMatchObject({ service: 'web', change: 'changed', tagsRemoved: ['traefik.http.routers.web.middlewares=authelia@file'] });
  });

  it('counts a route as public only on the configured public entrypoints', async () => {
    const [c] = await diff({ 'w.nomad': ROUTED('authelia@file', 'lan') }, { 'w.nomad': ROUTED('', 'lan') }, { publicEntrypoints: ['websecure'] });
    expect(c!.routes[0]!.public).toBe(false);
  });

  it('recognises an auth middleware defined in tags by its type, whatever its name', async () => {
    const guard = serviceJob({ id: 'guard', groupBody: 'service {\n name = "guard"\n tags = ["traefik.http.middlewares.gatekeeper.forwardauth.address=http://g"]\n}' });
    const [c] = await diff({ 'g.nomad': guard, 'w.nomad': ROUTED('gatekeeper@consulcatalog') }, { 'g.nomad': guard, 'w.nomad': ROUTED('') });
    expect(c!.routes[0]!.authFrom).toEqual(['gatekeeper@consulcatalog']);
  });

  it('lists other changed fields by path (environment names, not values)', async () => {
    const [c] = await diff(
      { 'a.nomad': serviceJob({ id: 'a', taskBody: 'env {\n PUID = 1000\n}' }) },
      { 'a.nomad': serviceJob({ id: 'a', taskBody: 'env {\n PUID = 3003\n}' }) },
    );
    expect(c!.other).toEqual(['group.a.task.a.env.PUID']);
    expect(JSON.stringify(c)).not.toContain('3003');
  });

  it('reports groups added and removed with whether they held data', async () => {
    const two = `job "a" {\n group "web" {\n task "w" {\n driver = "docker"\n config { image = "x:1" }\n }\n }\n group "db" {\n task "d" {\n driver = "docker"\n config { image = "postgres:16" }\n }\n }\n}\n`;
    const one = `job "a" {\n group "web" {\n task "w" {\n driver = "docker"\n config { image = "x:1" }\n }\n }\n}\n`;
    const [c] = await diff({ 'a.nomad': two }, { 'a.nomad': one });
    expect(c!.groups).toEqual([{ group: 'db', change: 'removed', stateful: true, line: 8 }]);
    expect(c!.images).toEqual([expect.objectContaining({ task: 'd', bump: 'removed' })]);
  });
});
