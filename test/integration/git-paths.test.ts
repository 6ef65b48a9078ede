// Paths are bytes: a real repository with a job file renamed to a name that is not UTF-8. The
// file stays visible (listed, read, its job loaded), the rename is a rename (not a removal), and a
// file git cannot read at a revision is an error, never an absence.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openGitRepo } from '../../src/adapters/git-cli.js';
import { DEFAULT_JOB_GLOBS } from '../../src/config/defaults.js';
import type { GitPort } from '../../src/ports/git.js';
import { loadJobsAtRevision } from '../../src/stages/analyze/jobs/load-jobs.js';
import { TempGitRepo } from '../helpers/minimal-git-port.js';
import { hclJobParser } from '../../src/adapters/hcl/parse-job-hcl.js';

const JOB = 'job "whoami" {\n  datacenters = ["home"]\n  group "g" {\n    task "t" {\n      driver = "docker"\n      config {\n        image = "traefik/whoami:v1.10.3"\n      }\n    }\n  }\n}\n';
// `nomad/who\xffami.nomad`: 0xFF never occurs in UTF-8.
const RAW_NAME = Buffer.concat([Buffer.from('nomad/who'), Buffer.from([0xff]), Buffer.from('ami.nomad')]);
const NAME = 'nomad/who\udcffami.nomad';

describe('git paths as bytes', () => {
  let repo: TempGitRepo;
  let git: GitPort;
  let before: string;
  let after: string;
  beforeAll(async () => {
    repo = new TempGitRepo();
    before = repo.commit({ 'nomad/whoami.nomad': JOB, 'README.md': 'homelab\n' }, 'whoami');
    renameSync(path.join(repo.root, 'nomad/whoami.nomad'), Buffer.concat([Buffer.from(`${repo.root}/`), RAW_NAME]));
    after = repo.commit({}, 'whoami: renamed to a name that is not UTF-8');
    git = await openGitRepo(repo.root);
  });
  afterAll(() => repo.remove());

  it('sees a rename to a non-UTF-8 name as a rename, and the file is listed and read at its revision', async () => {
    expect(await git.changedPaths(before, after)).toEqual([expect.objectContaining({ status: 'renamed', oldPath: 'nomad/whoami.nomad', path: NAME })]);
    expect(await git.listFiles(after)).toContain(NAME);
    expect(await git.show(after, NAME)).toBe(JOB);
    expect(await git.show(after, 'nomad/whoami.nomad')).toBeNull();
  });

  it('gives the textual diff of a file whose name is not UTF-8 (its name cannot be a git argument)', async () => {
    const edited = repo.commit({}, 'noop');
    writeFileSync(Buffer.concat([Buffer.from(`${repo.root}/`), RAW_NAME]), JOB.replace('v1.10.3', 'v1.10.4'));
    const changed = repo.commit({}, 'whoami v1.10.4');
    const patch = await git.patch(edited, changed, [NAME]);
    expect(patch).toContain(`+++ b/${NAME}`);
    expect(patch).toMatch(/^-\s+image = "traefik\/whoami:v1.10.3"$/m);
    expect(patch).toMatch(/^\+\s+image = "traefik\/whoami:v1.10.4"$/m);
    expect(await git.patch(before, after, ['nomad/whoami.nomad', NAME])).toContain(`+++ b/${NAME}`);
  });

  it('still finds the job in it: a renamed job file does not look removed', async () => {
    const loaded = await loadJobsAtRevision(git, hclJobParser, after, DEFAULT_JOB_GLOBS);
    expect(loaded.files).toEqual([NAME]);
    expect(loaded.jobs.map((j) => j.id)).toEqual(['whoami']);
  });

  it('fails loudly when a file of the revision cannot be read (its object is missing), instead of calling it absent', async () => {
    const oid = repo.git('rev-parse', `${before}:README.md`).trim();
    rmSync(path.join(repo.root, '.git/objects', oid.slice(0, 2), oid.slice(2)));
    const fresh = await openGitRepo(repo.root);
    await expect(fresh.show(before, 'README.md')).rejects.toThrow(/cannot read README.md at/);
  });
});
