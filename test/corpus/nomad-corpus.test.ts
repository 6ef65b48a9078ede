// Real-world suite: a public homelab's Nomad jobs (../shared/corpus, read in place, never copied)
// must parse, normalise, validate without false errors and diff into sensible changes.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mostSevere } from '../../src/model/label.js';
import { JobChange } from '../../src/model/job-change.js';
import { NomadJob } from '../../src/model/nomad-job.js';
import { diffJobs } from '../../src/stages/analyze/jobs/diff-jobs.js';
import { parseJobSources, type ParsedJobs } from '../../src/stages/analyze/jobs/load-jobs.js';
import { jobRules } from '../../src/stages/classify/job-rules.js';
import { validateJobs } from '../../src/stages/validate/validate-jobs.js';
import { requireShared, sharedPath } from '../helpers/shared.js';
import { hclJobParser } from '../../src/adapters/hcl/parse-job-hcl.js';

const CORPUS = sharedPath('corpus/');
const JOBS_DIR = `${CORPUS}nomad-jobs/jhillyerd-homelab/`;
const CHANGES_DIR = `${CORPUS}nomad-job-changes/`;
const present = requireShared('the Nomad corpus suite', [JOBS_DIR, `${CHANGES_DIR}index.jsonl`]);

// Judged by hand from each pair's diff (see the assertions below for the reasons).
const RISKY_PAIRS = new Set([
  '008-homeassistant', '010-forgejo', '011-open-webui', '014-open-webui', '017-homeassistant', '018-nodered',
  '019-grafana', '020-inbucket', '021-homeassistant', '023-forgejo', '024-homeassistant', '025-grafana',
  '032-homeassistant', '033-grafana', '044-zwavejs', '055-nodered', '059-zwavejs',
]);

interface Pair {
  id: string;
  path: string;
}

function pairs(): Pair[] {
  return readFileSync(`${CHANGES_DIR}index.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Pair);
}

async function load(path: string, file: string): Promise<ParsedJobs> {
  return parseJobSources([{ path, content: readFileSync(file, 'utf8') }], hclJobParser);
}

async function diffPair(id: string): Promise<JobChange[]> {
  const before = await load(`${id}/before.nomad`, `${CHANGES_DIR}${id}/before.nomad`);
  const after = await load(`${id}/after.nomad`, `${CHANGES_DIR}${id}/after.nomad`);
  return diffJobs(before.jobs, after.jobs);
}

describe.skipIf(!present)('nomad corpus: current job files', () => {
  it('parses, normalises and validates every job without a finding', async () => {
    const files = readdirSync(JOBS_DIR).filter((f) => f.endsWith('.nomad'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    const loaded = await parseJobSources(files.map((f) => ({ path: f, content: readFileSync(`${JOBS_DIR}${f}`, 'utf8') })), hclJobParser);
    expect(loaded.jobs).toHaveLength(files.length);
    for (const job of loaded.jobs) {
      NomadJob.parse(job);
      expect(job.line, job.id).not.toBeNull();
      for (const g of job.groups) {
        expect(g.line, `${job.id}/${g.name}`).not.toBeNull();
        for (const t of g.tasks) expect(t.line, `${job.id}/${g.name}/${t.name}`).not.toBeNull();
        for (const s of g.services) expect(s.line, `${job.id} service ${s.name}`).not.toBeNull();
      }
    }
    expect(validateJobs(loaded)).toEqual([]);
  });

  it('locates blocks on the right source lines', async () => {
    const { jobs } = await load('homeassistant.nomad', `${JOBS_DIR}homeassistant.nomad`);
    const source = readFileSync(`${JOBS_DIR}homeassistant.nomad`, 'utf8').split('\n');
    const ha = jobs[0]!;
    const zwave = ha.groups.find((g) => g.name === 'zwavejs')!;
    expect(source[zwave.line! - 1]).toContain('group "zwavejs"');
    expect(source[zwave.tasks[0]!.imageLine! - 1]).toContain('zwavejs/zwave-js-ui');
    expect(source[zwave.services.find((s) => s.name === 'zwavejs-ws')!.line! - 1]).toMatch(/^\s*service \{/);
    expect(source[ha.groups.find((g) => g.name === 'homeassistant')!.network!.ports.find((p) => p.label === 'sonos')!.line! - 1]).toContain('port "sonos"');
  });
});

describe.skipIf(!present)('nomad corpus: 60 real before/after pairs', () => {
  it('diffs every pair into a valid change set with a label, and validates both sides without errors', async () => {
    const list = pairs();
    expect(list).toHaveLength(60);
    for (const { id } of list) {
      for (const side of ['before', 'after']) {
        const loaded = await load(`${id}/${side}.nomad`, `${CHANGES_DIR}${id}/${side}.nomad`);
        expect(loaded.jobs, `${id} ${side}`).toHaveLength(1);
        expect(validateJobs(loaded).filter((f) => f.severity === 'error'), `${id} ${side}`).toEqual([]);
      }
      const changes = await diffPair(id);
      expect(changes, id).toHaveLength(1);
      JobChange.parse(changes[0]);
      const reasons = jobRules(changes);
      expect(reasons.length, id).toBeGreaterThan(0);
      expect(mostSevere(...reasons.map((r) => r.label)), id).toBe(RISKY_PAIRS.has(id) ? 'risky' : 'clean');
      for (const r of reasons) expect(r.evidence[0]!.file, id).toBe(`${id}/after.nomad`);
    }
  });

  it('002-fabio: the Consul key becomes a Nomad variable in the template; nothing else moves', async () => {
    const [c] = await diffPair('002-fabio');
    expect(c!.images).toEqual([]);
    expect(c!.other).toContain('group.fabio.task.fabio.template.secrets/fabio.properties.nomadVariables');
  });

  it('006-open-webui: v0.8.3 -> v0.8.12 is a patch', async () => {
    const [c] = await diffPair('006-open-webui');
    expect(c!.images).toEqual([expect.objectContaining({ from: 'ghcr.io/open-webui/open-webui:v0.8.3', to: 'ghcr.io/open-webui/open-webui:v0.8.12', bump: 'patch', line: 45 })]);
  });

  it('008-homeassistant: the calendar-year bump and faster-whisper 2 -> 3 are majors of stateful tasks; zwave-js-ui is minor', async () => {
    const [c] = await diffPair('008-homeassistant');
    expect(c!.images.map((i) => [i.task, i.bump, i.scheme, i.stateful])).toEqual([
      ['homeassistant', 'major', 'calver', true],
      ['faster-whisper', 'major', 'semver', true],
      ['zwavejs', 'minor', 'semver', true],
    ]);
  });

  it('011-open-webui: v0.7.2 -> v0.8.3 is a breaking 0.x bump', async () => {
    const [c] = await diffPair('011-open-webui');
    expect(c!.images[0]).toMatchObject({ bump: 'major' });
    expect(c!.images[0]!.note).toMatch(/semver §4/);
  });

  it('017-homeassistant: the image moved from Docker Hub to ghcr.io (minor), which is risky for a stateful app', async () => {
    const [c] = await diffPair('017-homeassistant');
    const ha = c!.images.find((i) => i.task === 'homeassistant')!;
    expect(ha).toMatchObject({ bump: 'minor', repositoryChanged: true, stateful: true });
    expect(jobRules([c!]).map((r) => r.ruleId)).toContain('job.image-repository-stateful');
  });

  it('020-inbucket: edge -> 3.1.0 cannot be compared, and the sticky migrated disk holds mail', async () => {
    const [c] = await diffPair('020-inbucket');
    expect(c!.images[0]).toMatchObject({ from: 'inbucket/inbucket:edge', to: 'inbucket/inbucket:3.1.0', bump: 'incomparable', stateful: true });
    expect(jobRules([c!]).find((r) => r.label === 'risky')!.ruleId).toBe('job.image-incomparable-stateful');
  });

  it('022-linkwarden: memory 1024 -> 2048 and a new environment variable', async () => {
    const [c] = await diffPair('022-linkwarden');
    expect(c!.resources).toEqual([expect.objectContaining({ task: 'linkwarden', field: 'memory', from: 1024, to: 2048 })]);
    expect(c!.other).toEqual(['group.linkwarden.task.linkwarden.env.AUTOSCROLL_TIMEOUT']);
  });

  it('012-linkwarden: a variable default is used, and the ollama task moves to its own group', async () => {
    const after = await load('012/after.nomad', `${CHANGES_DIR}012-linkwarden/after.nomad`);
    expect(after.jobs[0]!.defaultsUsed).toEqual(['ollama_model']);
    expect(after.jobs[0]!.unresolved).toEqual([]);
    const [c] = await diffPair('012-linkwarden');
    expect(c!.groups).toEqual([expect.objectContaining({ group: 'ollama', change: 'added' })]);
  });

  it('040-gitea: canary 1 -> 0 and longer deadlines for database migrations', async () => {
    const [c] = await diffPair('040-gitea');
    expect(c!.update.map((u) => `${u.field}:${u.from}->${u.to}`)).toEqual(['canary:1->0', 'auto_promote:true->false', 'healthy_deadline:2m->10m', 'progress_deadline:5m->15m']);
    expect(c!.images[0]).toMatchObject({ from: 'gitea/gitea:1.18.5', to: 'gitea/gitea:1.21.4', bump: 'minor' });
  });

  it('054-gitea: commenting out the external router removes it', async () => {
    const [c] = await diffPair('054-gitea');
    expect(c!.routes).toEqual([expect.objectContaining({ router: 'gitea-xhttp', change: 'removed', ruleFrom: 'Host(`gitea.x.bytemonkey.org`)' })]);
  });

  it('057-homeassistant: a static port is added (clean); 059-zwavejs: one is removed (risky)', async () => {
    const [added] = await diffPair('057-homeassistant');
    expect(added!.ports).toEqual([expect.objectContaining({ label: 'sonos', change: 'added', to: 'static 1400', static: true })]);
    const [removed] = await diffPair('059-zwavejs');
    expect(removed!.ports.map((p) => [p.label, p.change])).toEqual([
      ['(network mode)', 'changed'],
      ['ws', 'removed'],
    ]);
  });
});
