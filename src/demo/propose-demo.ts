// `steward demo`, part 4: `steward propose` on the example homelab. A registry stand-in (the OCI
// distribution API with Docker Hub's token flow) lists a newer postgres 16 release; Steward plans
// the image update, builds and classifies it in a throwaway worktree, and the PR is printed as
// GitHub's `POST /repos/{owner}/{repo}/pulls` would receive it.
import path from 'node:path';
import { execa } from 'execa';
import type { ProposalOutcome } from '../agent/propose/run-propose.js';
import { proposalBranch } from '../agent/propose/proposal.js';
import { startRegistryStandIn } from '../sim/registry-stand-in.js';
import { createHomelabRepo } from './homelab-repo.js';

export interface ProposeDemoOptions {
  out: (text: string) => void;
  env: NodeJS.ProcessEnv;
  workdir: string;
  cliPath: string;
  /** Nix is available: build-level classification; otherwise diff-level, and the demo says so. */
  build: boolean;
}

export interface ProposeDemoResult {
  ok: boolean;
  outcomes: ProposalOutcome[];
}

export async function runProposeDemo(options: ProposeDemoOptions): Promise<ProposeDemoResult> {
  const { out } = options;
  out('\n---\n\n# Part 4: Steward proposes a change\n');
  const repo = await createHomelabRepo({ parent: options.workdir });
  await repo.git.raw(['branch', '-M', 'main']);
  const registry = await startRegistryStandIn({
    repositories: { 'library/postgres': ['16.3', '16.4', '16.5', '16.6', '17.0', '17.2', 'latest', '16.6-alpine'] },
    // Small pages, so the demo follows `Link` headers as with Docker Hub.
    pageSize: 3,
  });
  try {
    out(`A registry stand-in at ${registry.url} lists postgres tags ${registry.repositories.get('library/postgres')!.join(', ')} (other images: not found, a warning).\n`);
    const args = ['propose', '--repo', repo.dir, '--dry-run', '--json', '--quiet', '--llm', 'off', '--state', path.join(options.workdir, 'propose-state.db'), '--registry', `registry-1.docker.io=${registry.url}`, '--registry', `ghcr.io=${registry.url}`, ...(options.build ? [] : ['--no-build'])];
    const run = await execa(process.execPath, [options.cliPath, ...args], { env: options.env, reject: false, stdin: 'ignore' });
    const outcomes = parseOutcomes(run.stdout);
    if (run.exitCode !== 0 || !outcomes) {
      out(`\`steward propose\` failed (exit ${run.exitCode}):\n\n\`\`\`text\n${run.stderr.slice(-2000)}\n\`\`\``);
      return { ok: false, outcomes: [] };
    }
    out(`\`steward propose --dry-run\` planned ${outcomes.length} proposal${outcomes.length === 1 ? '' : 's'}${options.build ? ', built with Nix' : ' (diff-level: Nix was not found)'}:\n`);
    for (const o of outcomes) out(`- ${o.topic}: ${o.title} → ${o.result}${o.label ? `, classified **${o.label}**` : ''}`);
    const shown = outcomes.find((o) => o.topic === 'image-postgres' && o.body);
    if (shown) {
      const request = { title: shown.title, head: proposalBranch(shown.topic), base: 'main', body: shown.body };
      out(`\nThe pull request as GitHub receives it (\`POST /repos/{owner}/{repo}/pulls\`):\n\n\`\`\`json\n${JSON.stringify({ ...request, body: '(below)' }, null, 2)}\n\`\`\`\n\nIts body:\n\n${shown.body}\n`);
    }
    return { ok: shown !== undefined, outcomes };
  } finally {
    await registry.close();
  }
}

function parseOutcomes(stdout: string): ProposalOutcome[] | null {
  try {
    const parsed = JSON.parse(stdout) as unknown;
    return Array.isArray(parsed) ? (parsed as ProposalOutcome[]) : null;
  } catch {
    return null;
  }
}
