// The demo's second part: pushes to main, deployed by the real `steward deploy` CLI onto fixture
// hosts (the example's toplevels, built by real Nix) and the Nomad/Consul simulator: a clean
// deploy, a failed activation rolled back, and a risky change held for approval.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { startSimulator } from '../sim/simulator.js';
import { buildToplevels, injectFault, installFixtureHosts } from './fixture-hosts.js';
import { createHomelabRepo } from './homelab-repo.js';
import { NOMAD_SCENARIOS } from './nomad-scenarios.js';
import { HOST_SCENARIOS, type Edit } from './scenarios.js';

export interface DeployDemoOptions {
  out: (text: string) => void;
  env: NodeJS.ProcessEnv;
  workdir: string;
  cliPath: string;
}

export interface DeployDemoStep {
  id: string;
  expected: string;
  got: string;
  ok: boolean;
  ms: number;
}

interface Push {
  id: string;
  title: string;
  message: string;
  edits: Edit[];
  /** What the deploy must end with, and its exit code. */
  expect: { outcome: string; exit: number };
  /** Fault injected into a fixture host before the push (one-shot). */
  fault?: { host: string; name: string; content: string; says: string };
}

const scenario = (id: string) => [...HOST_SCENARIOS, ...NOMAD_SCENARIOS].find((s) => s.id === id)!;

const PUSHES: Push[] = [
  {
    id: 'deploy:clean',
    title: 'A clean push: the homepage on node1 and Miniflux 2.2.1',
    message: 'homepage title, miniflux 2.2.1',
    edits: [...scenario('leaf-service').edits, ...scenario('image-patch-bump').edits],
    expect: { outcome: 'deployed', exit: 0 },
  },
  {
    id: 'deploy:rollback',
    title: 'A push whose activation fails on node1: rolled back, diagnosed (no known cause: escalated), recorded as bad',
    message: 'homepage: new tagline',
    edits: [{ file: 'modules/services/homepage.nix', find: 'title: Homelab dashboard', replace: 'title: Homelab dashboard (tagline)' }],
    expect: { outcome: 'failed', exit: 6 },
    fault: { host: 'node1', name: 'failed-units', content: 'homepage.service\n', says: 'homepage.service will fail to start on node1 (fault injected into the fixture host)' },
  },
  {
    id: 'deploy:held',
    title: 'A risky push (an sshd change on nas): held for approval',
    message: 'nas: second ssh port',
    edits: scenario('sshd-port').edits,
    expect: { outcome: 'held', exit: 5 },
  },
];

export async function runDeployDemo(options: DeployDemoOptions): Promise<DeployDemoStep[]> {
  const { out, env } = options;
  out('\n---\n\n# Part 2: pushes to main, deployed\n');
  const repo = await createHomelabRepo({ parent: options.workdir });
  const base = (await repo.git.revparse(['HEAD'])).trim();
  const hostsDir = path.join(options.workdir, 'deploy-hosts');
  installFixtureHosts(hostsDir, await buildToplevels(repo.dir, base, undefined, env), env);
  const config = JSON.parse(await readFile(path.join(repo.dir, 'steward.json'), 'utf8')) as Record<string, unknown>;
  const configFile = path.join(options.workdir, 'deploy-steward.json');
  await writeFile(configFile, JSON.stringify({ ...config, deploy: { confirmTimeoutSeconds: 5, jobDeadlineSeconds: 120, lockWaitSeconds: 5 } }, null, 2));
  // The simulator runs the example's jobs; its clock runs fast while a deploy waits on it.
  const sim = await startSimulator({ scenario: 'empty', datacenter: 'home', clock: 'manual', placeDelayMs: 500 });
  const jobs = (await repo.git.raw(['ls-tree', '--name-only', `${base}:nomad`])).split('\n').filter((f) => f.endsWith('.nomad'));
  for (const file of jobs) await sim.control.runJob(await repo.git.show([`${base}:nomad/${file}`]), { instant: true });
  const warp = setInterval(() => void sim.control.advance(500), 10);
  out(`Five fixture hosts (directories with their own system profile) run the example's base toplevels; the simulator runs its ${jobs.length} jobs. Every push is deployed by the real CLI: \`steward deploy --head <sha>\`.\n`);
  const stateFile = path.join(options.workdir, 'deploy-state.db');
  const args = ['--repo', repo.dir, '--config', configFile, '--llm', 'off', '--state', stateFile, '--hosts-root', hostsDir, '--cache-dir', path.join(options.workdir, 'cache')];
  const cliEnv = { ...env, NOMAD_ADDR: sim.nomadUrl, CONSUL_HTTP_ADDR: sim.consulUrl };
  const steps: DeployDemoStep[] = [];
  try {
    let parent = base;
    for (const [index, push] of PUSHES.entries()) {
      await repo.git.checkout(['-q', '--detach', parent]);
      const sha = await repo.commit(push.message, push.edits);
      if (push.fault) injectFault(path.join(hostsDir, push.fault.host), push.fault.name, push.fault.content);
      const started = performance.now();
      const run = await execa(process.execPath, [options.cliPath, 'deploy', ...args, '--head', sha, '--quiet'], { env: cliEnv, reject: false, stdin: 'ignore' });
      const ms = performance.now() - started;
      const got = /^# Steward deploy of `[0-9a-f]+`: ([a-z-]+)/m.exec(run.stdout)?.[1] ?? `error (exit ${run.exitCode})`;
      const ok = got === push.expect.outcome && run.exitCode === push.expect.exit;
      steps.push({ id: push.id, expected: `${push.expect.outcome} (exit ${push.expect.exit})`, got: `${got} (exit ${run.exitCode})`, ok, ms });
      out(`\n## ${index + 1}. ${push.title}\n\ncommit \`${sha.slice(0, 12)}\` "${push.message}"${push.fault ? ` — ${push.fault.says}` : ''} — expected **${push.expect.outcome}**, got **${got}** ${ok ? '✓' : '✗'} (exit code ${run.exitCode}, ${(ms / 1000).toFixed(1)} s)\n`);
      out(run.stdout.replace(/^# /m, '### ').replace(/^## /gm, '#### ') || run.stderr);
      if (push.expect.outcome === 'deployed') parent = sha;
    }
    const history = await execa(process.execPath, [options.cliPath, 'history', '--state', stateFile], { env: cliEnv, reject: false, stdin: 'ignore' });
    out(`\n## What was deployed where: \`steward history\`\n\n\`\`\`\n${history.stdout}\n\`\`\`\n`);
    const diagnosed = await execa(process.execPath, [options.cliPath, 'history', '--diagnoses', '--state', stateFile], { env: cliEnv, reject: false, stdin: 'ignore' });
    out(`\n## What failed, and what Steward did: \`steward history --diagnoses\`\n\n\`\`\`\n${diagnosed.stdout}\n\`\`\`\n`);
  } finally {
    clearInterval(warp);
    await sim.close();
  }
  return steps;
}
