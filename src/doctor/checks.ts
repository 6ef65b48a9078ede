// `steward doctor`: what Steward found on this machine and in the repository, what is missing,
// and the fix for each. Every check is a small function; the command only renders them.
import { access } from 'node:fs/promises';
import path from 'node:path';
import { parseNixVersion } from '../adapters/nix/output-shapes.js';
import { createTransport } from '../adapters/nomad-http/transport.js';
import { runProcess } from '../adapters/process/run-process.js';
import type { StewardConfig } from '../config/schema.js';
import { redactUrlCredentials } from '../redact.js';

export type CheckStatus = 'ok' | 'warn' | 'missing' | 'error';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do about it (for anything but ok). */
  fix?: string;
  /** Whether Steward cannot do its main job without it. */
  required: boolean;
}

export interface DoctorContext {
  env: NodeJS.ProcessEnv;
  repoDir: string | null;
  config: StewardConfig | null;
  configProblem: string | null;
  configFile: string | null;
  /** Timeout for network probes (cluster reachability). */
  probeTimeoutMs: number;
}

/** A probe through the one process runner (deadline, process-group kill); null when it cannot start. */
const run = async (cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 10_000) => {
  const result = await runProcess(cmd, args, { env, extendEnv: false, timeoutMs });
  return result.spawnError ? null : result;
};

export async function checkNode(): Promise<CheckResult> {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 20
    ? { name: 'node', status: 'ok', detail: `Node.js ${process.versions.node}`, required: true }
    : { name: 'node', status: 'error', detail: `Node.js ${process.versions.node}`, fix: 'install Node.js 20 or newer', required: true };
}

export async function checkGit(ctx: DoctorContext): Promise<CheckResult> {
  const version = await run('git', ['--version'], ctx.env);
  if (!version || version.exitCode !== 0) return { name: 'git', status: 'missing', detail: 'git not found', fix: 'install git (apt-get install git)', required: true };
  return { name: 'git', status: 'ok', detail: version.stdout.trim(), required: true };
}

export async function checkNix(ctx: DoctorContext): Promise<CheckResult[]> {
  const version = await run('nix', ['--version'], ctx.env);
  const parsed = version?.exitCode === 0 ? parseNixVersion(version.stdout) : null;
  if (!parsed) {
    return [{ name: 'nix', status: 'missing', detail: 'nix not found: reviews fall back to diff-only analysis', fix: 'install Nix (apt-get install nix-bin, or the official installer) for build-level analysis', required: false }];
  }
  const results: CheckResult[] = [{ name: 'nix', status: 'ok', detail: `${parsed.implementation === 'lix' ? 'Lix' : 'Nix'} ${parsed.version} (${parsed.dialect} output shapes)`, required: false }];
  const flakes = await run('nix', ['--extra-experimental-features', 'nix-command flakes', 'eval', '--expr', 'builtins ? getFlake'], ctx.env);
  results.push(
    flakes?.exitCode === 0 && flakes.stdout.trim() === 'true'
      ? { name: 'nix flakes', status: 'ok', detail: 'nix-command and flakes work (Steward enables them for its own calls)', required: false }
      : { name: 'nix flakes', status: 'error', detail: (flakes?.stderr ?? '').trim().split('\n')[0] ?? 'nix eval failed', fix: 'Nix 2.4 or newer is needed for flakes; check nix.conf', required: false },
  );
  return results;
}

export async function checkRepository(ctx: DoctorContext): Promise<CheckResult[]> {
  if (!ctx.repoDir) return [{ name: 'repository', status: 'missing', detail: 'not inside a git repository', fix: 'run from your homelab repository or pass --repo DIR', required: true }];
  const results: CheckResult[] = [{ name: 'repository', status: 'ok', detail: ctx.repoDir, required: true }];
  results.push(
    ctx.configProblem
      ? { name: 'steward.json', status: 'error', detail: ctx.configProblem, fix: 'fix the listed problems (`steward schema` prints the JSON Schema)', required: true }
      : { name: 'steward.json', status: 'ok', detail: ctx.configFile ? `valid: ${ctx.configFile}` : 'none: defaults apply (a repository with only a flake works)', required: true },
  );
  const flakeDir = path.join(ctx.repoDir, ctx.config?.nix.dir ?? '.');
  const hasFlake = await access(path.join(flakeDir, 'flake.nix')).then(() => true, () => false);
  results.push(hasFlake ? { name: 'flake.nix', status: 'ok', detail: path.relative(ctx.repoDir, path.join(flakeDir, 'flake.nix')), required: false } : { name: 'flake.nix', status: 'warn', detail: `no flake.nix in ${flakeDir}`, fix: 'set nix.dir in steward.json to the folder holding flake.nix', required: false });
  return results;
}

export async function checkClaude(ctx: DoctorContext): Promise<CheckResult> {
  const command = ctx.config?.llm.command ?? 'claude';
  if (ctx.config?.llm.mode === 'off') return { name: 'claude', status: 'ok', detail: 'LLM review is off (llm.mode)', required: false };
  const version = await run(command, ['--version'], ctx.env);
  if (!version || version.exitCode !== 0) {
    return { name: 'claude', status: ctx.config?.llm.mode === 'required' ? 'error' : 'missing', detail: `${command} not found: changes get the rules' verdict only ("unreviewed")`, fix: 'npm install -g @anthropic-ai/claude-code, then `claude` once to log in (or set llm.command)', required: ctx.config?.llm.mode === 'required' };
  }
  return { name: 'claude', status: 'ok', detail: version.stdout.trim(), required: false };
}

export async function checkCluster(ctx: DoctorContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [name, settings, statusPath] of [
    ['nomad', ctx.config?.nomad, '/v1/status/leader'],
    ['consul', ctx.config?.consul, '/v1/status/leader'],
  ] as const) {
    const address = settings?.address ?? ctx.env[name === 'nomad' ? 'NOMAD_ADDR' : 'CONSUL_HTTP_ADDR'];
    if (!address) {
      const effect = name === 'nomad' ? 'jobs are "not planned: no cluster"' : 'Consul health and quorum checks are skipped';
      results.push({ name, status: 'missing', detail: `no address: ${effect}`, fix: `set ${name}.address in steward.json (or ${name === 'nomad' ? 'NOMAD_ADDR' : 'CONSUL_HTTP_ADDR'})`, required: false });
      continue;
    }
    const token = settings ? ctx.env[settings.tokenEnv] : undefined;
    const tokenNote = settings ? (token ? `token from $${settings.tokenEnv}` : `no token in $${settings.tokenEnv}`) : 'no token';
    // `http://user:pw@host` happens in NOMAD_ADDR: the address is shown without its credentials.
    const shown = redactUrlCredentials(address);
    const probe = await probeLeader(address, statusPath, ctx.probeTimeoutMs, token ? { [name === 'nomad' ? 'X-Nomad-Token' : 'X-Consul-Token']: token } : {});
    results.push(probe ? { name, status: 'error', detail: `${shown} unreachable (${redactUrlCredentials(probe)}); ${tokenNote}`, fix: `check ${name}.address and the network path from this runner`, required: false } : { name, status: 'ok', detail: `${shown} answers; ${tokenNote}`, required: false });
  }
  return results;
}

/**
 * Null when the leader endpoint answers, else why not (an invalid address is an answer too).
 * Through the agents' own transport: it sends an address's `user:pw@` as basic auth, as the
 * Nomad and Consul clients do (fetch refuses such URLs).
 */
async function probeLeader(address: string, statusPath: string, timeoutMs: number, headers: Record<string, string>): Promise<string | null> {
  const transport = createTransport();
  try {
    const response = await transport.send({ method: 'GET', url: new URL(statusPath, address), headers, timeoutMs });
    return response.status >= 200 && response.status < 300 ? null : `HTTP ${response.status}`;
  } catch (error) {
    return (error as Error).message;
  } finally {
    transport.close();
  }
}

export async function checkGithub(ctx: DoctorContext): Promise<CheckResult> {
  const tokenEnv = ctx.config?.github.tokenEnv ?? 'GITHUB_TOKEN';
  const repository = ctx.config?.github.repository ?? ctx.env.GITHUB_REPOSITORY;
  if (!ctx.env[tokenEnv]) return { name: 'github', status: 'missing', detail: `no token in $${tokenEnv}: reports go to stdout only`, fix: `in Actions, pass GITHUB_TOKEN (permissions: checks, pull-requests, statuses, deployments); elsewhere export ${tokenEnv}`, required: false };
  return { name: 'github', status: repository ? 'ok' : 'warn', detail: `token in $${tokenEnv}; repository ${repository ?? 'unknown'}`, ...(repository ? {} : { fix: 'set github.repository (owner/name) or GITHUB_REPOSITORY' }), required: false };
}
