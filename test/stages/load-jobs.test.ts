// Loading jobs at a revision, with an in-memory GitPort and with a real temporary git repository.
import { afterAll, describe, expect, it } from 'vitest';
import type { GitPort } from '../../src/ports/git.js';
import { TempGitRepo } from '../helpers/minimal-git-port.js';
import { serviceJob } from '../helpers/nomad-hcl.js';
import { loadJobsAtRevision } from '../../src/stages/analyze/jobs/load-jobs.js';
import { hclJobParser } from '../../src/adapters/hcl/parse-job-hcl.js';

const GLOBS = ['**/*.nomad', '**/*.nomad.hcl'];

/** An in-memory GitPort (the two methods job loading uses): revisions map to file trees. */
function fakeGit(revisions: Record<string, Record<string, string>>): Pick<GitPort, 'listFiles' | 'show'> & { shown: string[] } {
  const shown: string[] = [];
  return {
    shown,
    listFiles: async (rev) => Object.keys(revisions[rev] ?? {}),
    show: async (rev, path) => {
      shown.push(path);
      return revisions[rev]?.[path] ?? null;
    },
  };
}

describe('loadJobsAtRevision (in-memory git)', () => {
  it('reads only the files the globs select and normalises their jobs', async () => {
    const git = fakeGit({ r1: { 'nomad/a.nomad': serviceJob({ id: 'a' }), 'nomad/b.nomad.hcl': serviceJob({ id: 'b' }), 'README.md': '# x' } });
    const loaded = await loadJobsAtRevision(git, hclJobParser, 'r1', GLOBS);
    expect(loaded).toMatchObject({ rev: 'r1', files: ['nomad/a.nomad', 'nomad/b.nomad.hcl'], findings: [] });
    expect(loaded.jobs.map((j) => [j.id, j.file])).toEqual([
      ['a', 'nomad/a.nomad'],
      ['b', 'nomad/b.nomad.hcl'],
    ]);
    expect(git.shown.sort()).toEqual(['nomad/a.nomad', 'nomad/b.nomad.hcl']);
  });

  it('turns a file that does not parse into a located finding and keeps the others', async () => {
    const git = fakeGit({ r1: { 'bad.nomad': 'job "x" {\n  count = \n}\n', 'ok.nomad': serviceJob({ id: 'ok' }) } });
    const loaded = await loadJobsAtRevision(git, hclJobParser, 'r1', GLOBS);
    expect(loaded.jobs.map((j) => j.id)).toEqual(['ok']);
    expect(loaded.findings).toEqual([expect.objectContaining({ severity: 'error', code: 'parse-error', file: 'bad.nomad', line: 2, column: 11 })]);
  });
});

describe('loadJobsAtRevision (real git repository)', () => {
  const repo = new TempGitRepo();
  afterAll(() => repo.remove());

  it('loads each revision as it was, without a checkout', async () => {
    const first = repo.commit({ 'nomad/web.nomad': serviceJob({ id: 'web', image: 'nginx:1.26' }), 'nomad/db.nomad': serviceJob({ id: 'db' }) });
    const second = repo.commit({ 'nomad/web.nomad': serviceJob({ id: 'web', image: 'nginx:1.27' }), 'nomad/db.nomad': null, 'apps/new.nomad.hcl': serviceJob({ id: 'new' }) });
    const git = repo.port();
    const base = await loadJobsAtRevision(git, hclJobParser, first, GLOBS);
    const head = await loadJobsAtRevision(git, hclJobParser, second, GLOBS);
    expect(base.jobs.map((j) => j.id).sort()).toEqual(['db', 'web']);
    expect(head.jobs.map((j) => j.id).sort()).toEqual(['new', 'web']);
    expect(base.jobs.find((j) => j.id === 'web')!.groups[0]!.tasks[0]!.image).toBe('nginx:1.26');
    expect(head.jobs.find((j) => j.id === 'web')!.groups[0]!.tasks[0]!.image).toBe('nginx:1.27');
  });
});
