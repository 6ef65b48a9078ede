// `steward demo`: builds a throwaway git repository from the example homelab, makes the
// scenario commits and runs the real `steward review` CLI on each, printing the reports.
import { execa } from 'execa';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJsonOrUndefined } from '../json.js';
import { ReviewReport } from '../model/review.js';
import { staticIssues } from '../stages/report/github/report-review.js';
import { buildReviewCheck } from '../stages/report/github/check-format.js';
import { renderReviewSection } from '../stages/report/github/review-section.js';
import { buildStickyBody } from '../stages/report/github/sticky-comment.js';
import type { Logger } from '../ports/logger.js';
import { renderReviewMarkdown } from '../stages/report/render-review-markdown.js';
import { parseNixVersion } from '../adapters/nix/output-shapes.js';
import { startSimulator } from '../sim/simulator.js';
import { runAgentDemo } from './agent-demo.js';
import { runProposeDemo } from './propose-demo.js';
import { runDeployDemo, type DeployDemoStep } from './deploy-demo.js';
import { createHomelabRepo } from './homelab-repo.js';
import { exampleNixConfig } from './nix-environment.js';
import { NOMAD_SCENARIOS } from './nomad-scenarios.js';
import { HOST_SCENARIOS, type Scenario } from './scenarios.js';

export interface DemoOptions {
  logger: Logger;
  out: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Keep the temporary repository (its path is printed). */
  keep?: boolean;
  /** Extra `steward review` arguments (e.g. `--llm off`). */
  reviewArgs?: string[];
  scenarios?: Scenario[];
  cliPath?: string;
}

export interface DemoResult {
  level: 'eval' | 'diff';
  scenarios: { id: string; expected: string; got: string; ok: boolean; ms: number }[];
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const env: NodeJS.ProcessEnv = { ...options.env, NIX_CONFIG: exampleNixConfig(options.env.NIX_CONFIG) };
  const nixVersion = await execa('nix', ['--version'], { env, reject: false, stdin: 'ignore' }).then(
    (r) => (r.exitCode === 0 ? parseNixVersion(r.stdout) : null),
    () => null,
  );
  const scenarios = options.scenarios ?? [...HOST_SCENARIOS, ...NOMAD_SCENARIOS];
  options.out(
    nixVersion
      ? `Steward demo: evaluation-level analysis (the review default; deploys build) with ${nixVersion.implementation === 'lix' ? 'Lix' : 'Nix'} ${nixVersion.version} on the bundled example homelab (${scenarios.length} commits)`
      : `Steward demo: diff-only analysis — Nix was not found (install it, e.g. \`apt install nix-bin\`, for build-level analysis). ${scenarios.length} commits on the bundled example homelab.`,
  );
  const workdir = await mkdtemp(path.join(os.tmpdir(), 'steward-demo-'));
  const repo = await createHomelabRepo({ parent: workdir });
  // A simulated Nomad + Consul cluster running the example's jobs, so job changes get a live plan.
  const cluster = await startDemoCluster(repo.dir);
  env.NOMAD_ADDR = cluster.nomadUrl;
  options.out(`Nomad and Consul: the built-in simulator at ${cluster.nomadUrl}, running the example's ${cluster.jobs} jobs.`);
  const cli = options.cliPath ?? fileURLToPath(new URL('../cli.js', import.meta.url));
  const result: DemoResult = { level: nixVersion ? 'eval' : 'diff', scenarios: [] };
  // The PR comment and check each review would post, exactly as GitHub would receive them.
  const githubDir = await mkdtemp(path.join(os.tmpdir(), 'steward-demo-github-'));
  const githubViews: { id: string; commentFile: string; checkFile: string }[] = [];
  try {
    for (const [index, scenario] of scenarios.entries()) {
      const sha = await repo.commit(scenario.message, scenario.edits);
      options.logger.info(`scenario ${index + 1}/${scenarios.length}: ${scenario.title}`);
      const started = performance.now();
      const args = [cli, 'review', '--repo', repo.dir, '--head', sha, '--cache-dir', path.join(workdir, 'cache'), ...(options.reviewArgs ?? [])];
      // One real CLI run; the markdown is rendered from its JSON exactly as `steward review` would.
      const json = await execa(process.execPath, [...args, '--json', '--quiet'], { env, reject: false, stdin: 'ignore' });
      const ms = performance.now() - started;
      const report = ReviewReport.safeParse(parseJsonOrUndefined(json.stdout));
      const expected = describeOutcome(scenario.expect.label, scenario.expect.outcome ?? 'reviewed');
      const got = report.success ? describeOutcome(report.data.label, report.data.outcome) : `error (exit ${json.exitCode}): ${json.stderr.trim().split('\n').pop() ?? ''}`;
      result.scenarios.push({ id: scenario.id, expected, got, ok: got === expected, ms });
      options.out(`\n---\n\n# ${index + 1}. ${scenario.title}\n\ncommit \`${sha.slice(0, 12)}\` "${scenario.message}" — expected **${expected}**, got **${got}** ${got === expected ? '✓' : '✗'} (exit code ${json.exitCode})\n`);
      if (report.success) {
        const markdown = renderReviewMarkdown(report.data);
        options.out(markdown);
        githubViews.push({ id: scenario.id, ...(await writeGitHubView(githubDir, scenario.id, report.data, markdown)) });
      } else options.out(json.stderr);
    }
    options.out(renderSummary(result));
    const shown = githubViews.find((v) => v.id === 'sshd-port') ?? githubViews[0];
    if (shown) {
      options.out(`\n---\n\n# What GitHub receives (scenario "${shown.id}")\n\nThe sticky PR comment (${shown.commentFile}):\n\n${await readFile(shown.commentFile, 'utf8')}`);
      options.out(`\nThe check run (${shown.checkFile}):\n\n\`\`\`json\n${await readFile(shown.checkFile, 'utf8')}\n\`\`\``);
      options.out(`\nEvery scenario's comment and check: ${githubDir}`);
    }
    // Part 2: the same kind of pushes, deployed onto fixture hosts and the simulator.
    if (nixVersion) {
      const steps = await runDeployDemo({ out: options.out, env, workdir, cliPath: cli });
      result.scenarios.push(...steps);
      options.out(renderDeploySummary(steps));
    } else options.out('\n---\n\n# Part 2: pushes to main, deployed\n\nSkipped: deploying needs the hosts built by Nix (install it, e.g. `apt install nix-bin`).');
    // Part 3: an agent session on a degraded cluster (no Nix needed).
    await runAgentDemo({ out: options.out, env, workdir });
    // Part 4: a proposal PR (image update), built and classified like any change.
    await runProposeDemo({ out: options.out, env, workdir, cliPath: cli, build: nixVersion !== null });
    if (options.keep) options.out(`\nThe demo repository is kept at ${repo.dir}`);
  } finally {
    await cluster.close();
    if (!options.keep) await rm(workdir, { recursive: true, force: true });
  }
  return result;
}

/** The sticky comment body and the check run payload for a review, written to files. */
async function writeGitHubView(dir: string, id: string, report: ReviewReport, markdown: string): Promise<{ commentFile: string; checkFile: string }> {
  const pr = 42;
  const commentFile = path.join(dir, `${id}.pr-comment.md`);
  const checkFile = path.join(dir, `${id}.check-run.json`);
  await writeFile(commentFile, buildStickyBody(pr, { review: renderReviewSection(report, markdown) }));
  await writeFile(checkFile, JSON.stringify(buildReviewCheck(report, markdown, { issues: staticIssues(report) }), null, 2));
  return { commentFile, checkFile };
}

function describeOutcome(label: string, outcome: string): string {
  return outcome === 'reviewed' ? label : `${label}, ${outcome}`;
}

/** The simulator on loopback with the example's jobs registered and running. */
async function startDemoCluster(repoDir: string): Promise<{ nomadUrl: string; jobs: number; close: () => Promise<void> }> {
  const sim = await startSimulator({ scenario: 'empty', datacenter: 'home' });
  const dir = path.join(repoDir, 'nomad');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.nomad')).sort();
  for (const file of files) await sim.control.runJob(await readFile(path.join(dir, file), 'utf8'), { instant: true });
  return { nomadUrl: sim.nomadUrl, jobs: files.length, close: () => sim.close() };
}

function renderSummary(result: DemoResult): string {
  const rows = result.scenarios.map((s) => `| ${s.id} | ${s.expected} | ${s.got} | ${s.ok ? '✓' : '✗'} | ${(s.ms / 1000).toFixed(1)} s |`);
  return ['\n---\n\n# Summary\n', '| scenario | expected | got | | review time |', '|---|---|---|---|---|', ...rows].join('\n');
}

function renderDeploySummary(steps: DeployDemoStep[]): string {
  const rows = steps.map((s) => `| ${s.id} | ${s.expected} | ${s.got} | ${s.ok ? '✓' : '✗'} | ${(s.ms / 1000).toFixed(1)} s |`);
  return ['\n---\n\n# Summary of the deploys\n', '| push | expected | got | | deploy time |', '|---|---|---|---|---|', ...rows].join('\n');
}

