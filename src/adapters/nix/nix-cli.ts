// NixPort over the `nix` command: evaluation in as few processes as asked, builds in ONE call,
// closures from one `path-info` call. Version differences live in output-shapes.ts.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { parseJsonOrUndefined } from '../../json.js';
import { describeFailure, runProcess, type ProcessResult } from '../process/run-process.js';
import type { Logger } from '../../ports/logger.js';
import type { BuildOutcome, EvalOptions, EvalShareResult, FlakeSource, NixPort, NixVersion, ToplevelRef } from '../../ports/nix.js';
import { HostEvalValues } from '../../ports/nix-eval-values.js';
import { buildEvalShareExpr, buildHostExpr, buildListHostsExpr } from './eval-expr.js';
import { extractBuildErrors, extractEvalError } from './nix-errors.js';
import { closureOf, drvInstallable, parseBuildJson, parseNixVersion, parsePathInfoJson } from './output-shapes.js';
import { watchMemory } from './memory-watch.js';
import { readToplevel } from './read-toplevel.js';

export interface NixCliOptions {
  /** The nix binary. */
  command?: string;
  /** Extra arguments for every call (e.g. `--builders`, `--option`). */
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
  logger: Logger;
  /** Deadline of one `nix eval` (config `nix.evalTimeoutSeconds`); default 30 minutes. */
  evalTimeoutMs?: number;
  /** Deadline of the `nix build` call (config `nix.buildTimeoutSeconds`); default 4 hours. */
  buildTimeoutMs?: number;
  /** Resident memory past which a `nix eval` is killed (config `nix.evalMaxMemoryMB`); none by default. */
  evalMaxMemoryMB?: number;
}

const DEFAULT_EVAL_TIMEOUT_MS = 30 * 60_000;
const DEFAULT_BUILD_TIMEOUT_MS = 4 * 3600_000;
const QUERY_TIMEOUT_MS = 5 * 60_000;

const ToplevelRefSchema = z
  .object({ drv: z.string(), out: z.string() })
  .strict()
  .transform((t): ToplevelRef => ({ drvPath: t.drv, outPath: t.out }));
const EvalShareSchema = z.record(
  z.string(),
  z
    .object({
      hosts: z.array(z.string()),
      toplevels: z.record(z.string(), ToplevelRefSchema.nullable()),
      values: z.record(z.string(), HostEvalValues.nullable()).optional(),
    })
    .strict(),
);
const HostWithValuesSchema = z
  .object({ drv: z.string(), out: z.string(), values: HostEvalValues })
  .strict()
  .transform((t) => ({ toplevel: { drvPath: t.drv, outPath: t.out }, values: t.values }));

export class NixCli implements NixPort {
  private readonly command: string;
  private readonly extraArgs: string[];
  private cachedVersion: Promise<NixVersion | null> | undefined;

  constructor(private readonly options: NixCliOptions) {
    this.command = options.command ?? 'nix';
    this.extraArgs = options.extraArgs ?? [];
  }

  version(): Promise<NixVersion | null> {
    this.cachedVersion ??= this.run(['--version'], { experimental: false, timeoutMs: 60_000 }).then(
      (r) => (r.exitCode === 0 ? parseNixVersion(r.stdout) : null),
      () => null,
    );
    return this.cachedVersion;
  }

  async evalShare(sources: FlakeSource[], worker: number, workers: number, ignoreHosts: string[], options: EvalOptions = {}): Promise<EvalShareResult> {
    const expr = buildEvalShareExpr(sources, worker, workers, ignoreHosts, options.values ?? false);
    const { result, memoryExceeded } = await this.runEval(['eval', '--json', '--expr', expr]);
    if (memoryExceeded) return { ok: false, error: { lines: [this.memoryLine()] }, memoryExceeded: true };
    if (result.exitCode !== 0) return { ok: false, error: this.failure(result, 'evalTimeoutSeconds') };
    const parsed = EvalShareSchema.safeParse(parseJsonOrUndefined(result.stdout));
    if (!parsed.success) return { ok: false, error: { lines: ['unexpected output from nix eval', result.stdout.slice(0, 200)] } };
    return { ok: true, results: parsed.data };
  }

  async listHosts(source: FlakeSource, ignoreHosts: string[]) {
    const result = await this.run(['eval', '--json', '--expr', buildListHostsExpr(source, ignoreHosts)], { timeoutMs: this.evalTimeoutMs });
    if (result.exitCode !== 0) return { ok: false as const, error: this.failure(result, 'evalTimeoutSeconds') };
    const hosts = z.array(z.string()).safeParse(parseJsonOrUndefined(result.stdout));
    return hosts.success ? { ok: true as const, hosts: hosts.data } : { ok: false as const, error: { lines: ['unexpected output from nix eval'] } };
  }

  async evalHost(source: FlakeSource, host: string, options: EvalOptions = {}) {
    const { result, memoryExceeded } = await this.runEval(['eval', '--json', '--expr', buildHostExpr(source, host, options.values ?? false)]);
    if (memoryExceeded) return { ok: false as const, error: { lines: [`${this.memoryLine()} evaluating this host alone`] }, memoryExceeded: true };
    if (result.exitCode !== 0) return { ok: false as const, error: this.failure(result, 'evalTimeoutSeconds') };
    if (options.values) {
      const withValues = HostWithValuesSchema.safeParse(parseJsonOrUndefined(result.stdout));
      return withValues.success ? { ok: true as const, ...withValues.data } : { ok: false as const, error: { lines: ['unexpected output from nix eval'] } };
    }
    const parsed = ToplevelRefSchema.safeParse(parseJsonOrUndefined(result.stdout));
    return parsed.success ? { ok: true as const, toplevel: parsed.data } : { ok: false as const, error: { lines: ['unexpected output from nix eval'] } };
  }

  async build(toplevels: ToplevelRef[]): Promise<BuildOutcome> {
    if (toplevels.length === 0) return { built: {}, failed: {} };
    const version = await this.version();
    if (!version) throw new Error('nix is not available');
    const args = ['build', '--json', '--no-link', '--keep-going', ...toplevels.map((t) => drvInstallable(t.drvPath, version))];
    const result = await this.run(args, { timeoutMs: this.buildTimeoutMs });
    const reported = parseBuildJson(result.stdout);
    const errors = result.exitCode === 0 ? null : extractBuildErrors(result.stderr);
    const killed = result.exitCode === 0 ? null : this.killedLine(result, 'buildTimeoutSeconds');
    const outcome: BuildOutcome = { built: {}, failed: {} };
    for (const toplevel of toplevels) {
      // Nix 2.8 prints no JSON when anything failed, so output paths known from evaluation decide.
      const out = reported[toplevel.drvPath]?.out ?? toplevel.outPath;
      if (existsSync(out)) {
        outcome.built[toplevel.drvPath] = out;
        continue;
      }
      const lines = [
        ...(killed ? [killed] : []),
        ...(errors?.dependencyFailures.get(toplevel.drvPath) ? [errors.dependencyFailures.get(toplevel.drvPath) as string] : []),
        ...(errors?.builderFailures.flat() ?? []),
      ];
      outcome.failed[toplevel.drvPath] = { lines: lines.length > 0 ? lines : extractEvalError(result.stderr).lines };
    }
    return outcome;
  }

  async closures(roots: string[]): Promise<Record<string, string[]>> {
    if (roots.length === 0) return {};
    const result = await this.run(['path-info', '--json', '--recursive', ...roots], { timeoutMs: QUERY_TIMEOUT_MS });
    if (result.exitCode !== 0) throw new Error(`nix path-info failed: ${this.failure(result, null).lines.join(' ')}`);
    const graph = parsePathInfoJson(result.stdout);
    return Object.fromEntries(roots.map((root) => [root, closureOf(root, graph)]));
  }

  readToplevel(outPath: string) {
    return readToplevel(outPath);
  }

  async readFiles(paths: string[]): Promise<Record<string, string | null>> {
    const entries = await Promise.all(paths.map(async (p) => [p, await readFile(p, 'utf8').catch(() => null)] as const));
    return Object.fromEntries(entries);
  }

  private get evalTimeoutMs(): number {
    return this.options.evalTimeoutMs ?? DEFAULT_EVAL_TIMEOUT_MS;
  }

  private get buildTimeoutMs(): number {
    return this.options.buildTimeoutMs ?? DEFAULT_BUILD_TIMEOUT_MS;
  }

  /** Nix's own error lines, or why the process never produced any (deadline, missing binary, signal). */
  private failure(result: ProcessResult, setting: 'evalTimeoutSeconds' | 'buildTimeoutSeconds' | null): { lines: string[] } {
    const killed = this.killedLine(result, setting);
    return killed ? { lines: [killed] } : extractEvalError(result.stderr);
  }

  private killedLine(result: ProcessResult, setting: 'evalTimeoutSeconds' | 'buildTimeoutSeconds' | null): string | null {
    if (!result.timedOut && !result.spawnError && !result.signal) return null;
    const limit = setting === 'buildTimeoutSeconds' ? this.buildTimeoutMs : setting === 'evalTimeoutSeconds' ? this.evalTimeoutMs : QUERY_TIMEOUT_MS;
    const deadline = `${Math.round(limit / 1000)} s${setting ? ` (nix.${setting})` : ''}`;
    return describeFailure(result, deadline);
  }

  /** `nix eval` under the memory cap, when one is set: past it the process is killed. */
  private async runEval(args: string[]): Promise<{ result: ProcessResult; memoryExceeded: boolean }> {
    const cap = this.options.evalMaxMemoryMB;
    if (!cap) return { result: await this.run(args, { timeoutMs: this.evalTimeoutMs }), memoryExceeded: false };
    const abort = new AbortController();
    let watch: ReturnType<typeof watchMemory> | undefined;
    const result = await this.run(args, { timeoutMs: this.evalTimeoutMs, signal: abort.signal, onSpawn: (pid) => (watch = watchMemory(pid, cap, () => abort.abort())) });
    watch?.stop();
    return { result, memoryExceeded: watch?.exceeded ?? false };
  }

  private memoryLine(): string {
    return `nix eval passed nix.evalMaxMemoryMB (${this.options.evalMaxMemoryMB} MiB) and was stopped`;
  }

  private async run(args: string[], opts: { experimental?: boolean; timeoutMs: number; signal?: AbortSignal; onSpawn?: (pid: number) => void }): Promise<ProcessResult> {
    // Flakes and the nix command are still "experimental" in every Nix we support: enable them
    // for our calls only, whatever the user's nix.conf says.
    const full = opts.experimental === false ? args : ['--extra-experimental-features', 'nix-command flakes', ...args, ...this.extraArgs];
    this.options.logger.debug(`$ ${this.command} ${full.map((a) => (a.length > 120 ? `${a.slice(0, 117)}...` : a)).join(' ')}`);
    return runProcess(this.command, full, {
      timeoutMs: opts.timeoutMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onSpawn ? { onSpawn: opts.onSpawn } : {}),
      ...(this.options.env ? { env: this.options.env, extendEnv: false } : {}),
    });
  }
}
