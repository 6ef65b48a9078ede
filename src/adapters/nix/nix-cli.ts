// NixPort over the `nix` command: evaluation in as few processes as asked, builds in ONE call,
// closures from one `path-info` call. Version differences live in output-shapes.ts.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { execa } from 'execa';
import { z } from 'zod';
import { parseJsonOrUndefined } from '../../json.js';
import type { Logger } from '../../ports/logger.js';
import type { BuildOutcome, EvalShareResult, FlakeSource, NixPort, NixVersion, ToplevelRef } from '../../ports/nix.js';
import { buildEvalShareExpr, buildHostExpr, buildListHostsExpr } from './eval-expr.js';
import { extractBuildErrors, extractEvalError } from './nix-errors.js';
import { closureOf, drvInstallable, parseBuildJson, parseNixVersion, parsePathInfoJson } from './output-shapes.js';
import { readToplevel } from './read-toplevel.js';

export interface NixCliOptions {
  /** The nix binary. */
  command?: string;
  /** Extra arguments for every call (e.g. `--builders`, `--option`). */
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
  logger: Logger;
}

const ToplevelRefSchema = z
  .object({ drv: z.string(), out: z.string() })
  .strict()
  .transform((t): ToplevelRef => ({ drvPath: t.drv, outPath: t.out }));
const EvalShareSchema = z.record(
  z.string(),
  z.object({ hosts: z.array(z.string()), toplevels: z.record(z.string(), ToplevelRefSchema.nullable()) }).strict(),
);

export class NixCli implements NixPort {
  private readonly command: string;
  private readonly extraArgs: string[];
  private cachedVersion: Promise<NixVersion | null> | undefined;

  constructor(private readonly options: NixCliOptions) {
    this.command = options.command ?? 'nix';
    this.extraArgs = options.extraArgs ?? [];
  }

  version(): Promise<NixVersion | null> {
    this.cachedVersion ??= this.run(['--version'], { experimental: false }).then(
      (r) => (r.exitCode === 0 ? parseNixVersion(r.stdout) : null),
      () => null,
    );
    return this.cachedVersion;
  }

  async evalShare(sources: FlakeSource[], worker: number, workers: number, ignoreHosts: string[]): Promise<EvalShareResult> {
    const expr = buildEvalShareExpr(sources, worker, workers, ignoreHosts);
    const result = await this.run(['eval', '--json', '--expr', expr]);
    if (result.exitCode !== 0) return { ok: false, error: extractEvalError(result.stderr) };
    const parsed = EvalShareSchema.safeParse(parseJsonOrUndefined(result.stdout));
    if (!parsed.success) return { ok: false, error: { lines: ['unexpected output from nix eval', result.stdout.slice(0, 200)] } };
    return { ok: true, results: parsed.data };
  }

  async listHosts(source: FlakeSource, ignoreHosts: string[]) {
    const result = await this.run(['eval', '--json', '--expr', buildListHostsExpr(source, ignoreHosts)]);
    if (result.exitCode !== 0) return { ok: false as const, error: extractEvalError(result.stderr) };
    const hosts = z.array(z.string()).safeParse(parseJsonOrUndefined(result.stdout));
    return hosts.success ? { ok: true as const, hosts: hosts.data } : { ok: false as const, error: { lines: ['unexpected output from nix eval'] } };
  }

  async evalHost(source: FlakeSource, host: string) {
    const result = await this.run(['eval', '--json', '--expr', buildHostExpr(source, host)]);
    if (result.exitCode !== 0) return { ok: false as const, error: extractEvalError(result.stderr) };
    const parsed = ToplevelRefSchema.safeParse(parseJsonOrUndefined(result.stdout));
    return parsed.success ? { ok: true as const, toplevel: parsed.data } : { ok: false as const, error: { lines: ['unexpected output from nix eval'] } };
  }

  async build(toplevels: ToplevelRef[]): Promise<BuildOutcome> {
    if (toplevels.length === 0) return { built: {}, failed: {} };
    const version = await this.version();
    if (!version) throw new Error('nix is not available');
    const args = ['build', '--json', '--no-link', '--keep-going', ...toplevels.map((t) => drvInstallable(t.drvPath, version))];
    const result = await this.run(args);
    const reported = parseBuildJson(result.stdout);
    const errors = result.exitCode === 0 ? null : extractBuildErrors(result.stderr);
    const outcome: BuildOutcome = { built: {}, failed: {} };
    for (const toplevel of toplevels) {
      // Nix 2.8 prints no JSON when anything failed, so output paths known from evaluation decide.
      const out = reported[toplevel.drvPath]?.out ?? toplevel.outPath;
      if (existsSync(out)) {
        outcome.built[toplevel.drvPath] = out;
        continue;
      }
      const lines = [
        ...(errors?.dependencyFailures.get(toplevel.drvPath) ? [errors.dependencyFailures.get(toplevel.drvPath) as string] : []),
        ...(errors?.builderFailures.flat() ?? []),
      ];
      outcome.failed[toplevel.drvPath] = { lines: lines.length > 0 ? lines : extractEvalError(result.stderr).lines };
    }
    return outcome;
  }

  async closures(roots: string[]): Promise<Record<string, string[]>> {
    if (roots.length === 0) return {};
    const result = await this.run(['path-info', '--json', '--recursive', ...roots]);
    if (result.exitCode !== 0) throw new Error(`nix path-info failed: ${extractEvalError(result.stderr).lines.join(' ')}`);
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

  private async run(args: string[], opts: { experimental?: boolean } = {}) {
    // Flakes and the nix command are still "experimental" in every Nix we support: enable them
    // for our calls only, whatever the user's nix.conf says.
    const full = opts.experimental === false ? args : ['--extra-experimental-features', 'nix-command flakes', ...args, ...this.extraArgs];
    this.options.logger.debug(`$ ${this.command} ${full.map((a) => (a.length > 120 ? `${a.slice(0, 117)}...` : a)).join(' ')}`);
    return execa(this.command, full, {
      reject: false,
      stdin: 'ignore',
      env: this.options.env,
      extendEnv: this.options.env === undefined,
      maxBuffer: 512 * 1024 * 1024,
    });
  }
}
