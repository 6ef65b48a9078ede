// Nix, as the build stage needs it: evaluate toplevels, build them, read closures and toplevels.
import type { HostEvalValues } from './nix-eval-values.js';

export interface NixVersion {
  implementation: 'nix' | 'lix';
  version: string;
  major: number;
  minor: number;
  /** The output and installable shapes to expect (see adapters/nix/output-shapes.ts). */
  dialect: 'legacy' | 'modern';
  raw: string;
}

export interface FlakeSource {
  /** Which revision this is, for results and messages. */
  key: 'base' | 'head';
  /** A locked flake reference, e.g. `git+file:///repo?rev=<sha>&dir=nix`. */
  ref: string;
}

export interface ToplevelRef {
  drvPath: string;
  outPath: string;
}

export interface EvalShare {
  /** Every host name of the flake (the worker's share is computed from this list). */
  hosts: string[];
  /** The worker's hosts: a ref, or null when evaluation threw (use evalHostError for why). */
  toplevels: Record<string, ToplevelRef | null>;
  /** With `values` asked for: what evaluation tells about each host (null: it threw). */
  values?: Record<string, HostEvalValues | null>;
}

export interface EvalOptions {
  /** Also evaluate each host's switch-deciding values (evaluation level). */
  values?: boolean;
}

/** The first meaningful lines of a Nix error, with the repository file and line when Nix named one. */
export interface NixErrorDetail {
  lines: string[];
  file?: string;
  line?: number;
}

export type EvalShareResult =
  | { ok: true; results: Record<string, EvalShare> }
  /** memoryExceeded: the process passed nix.evalMaxMemoryMB and was stopped (restart it smaller). */
  | { ok: false; error: NixErrorDetail; memoryExceeded?: boolean };

export interface BuildOutcome {
  /** drvPath -> output path, for every requested derivation that built. */
  built: Record<string, string>;
  /** drvPath -> error, for every requested derivation that did not. */
  failed: Record<string, NixErrorDetail>;
}

/** What Steward reads from a built toplevel; link targets are resolved store paths. */
export interface ToplevelSnapshot {
  path: string;
  links: Partial<Record<'kernel' | 'initrd' | 'kernel-modules' | 'firmware' | 'systemd', string>>;
  kernelParams: string | null;
  rebootTriggers: Record<string, string> | null;
  switchInhibitors: Record<string, string> | null;
  /** Unit name -> the file's store path, with drop-ins (`name.d/x.conf`) listed after it. */
  units: Record<string, string[]>;
  /** Paths under /etc (other than systemd/system) -> store path or content digest. */
  etc: Record<string, string>;
  fstab: string | null;
  systemConf: string | null;
}

export interface NixPort {
  /** The installed Nix, or null when there is none. */
  version(): Promise<NixVersion | null>;
  /** One evaluation process: this worker's share of the hosts of every source. */
  evalShare(sources: FlakeSource[], worker: number, workers: number, ignoreHosts: string[], options?: EvalOptions): Promise<EvalShareResult>;
  /** The host names of a flake (without evaluating any host). */
  listHosts(source: FlakeSource, ignoreHosts: string[]): Promise<{ ok: true; hosts: string[] } | { ok: false; error: NixErrorDetail }>;
  /** Evaluates one host alone: its toplevel, or Nix's own error message and location. */
  evalHost(
    source: FlakeSource,
    host: string,
    options?: EvalOptions,
  ): Promise<{ ok: true; toplevel: ToplevelRef; values?: HostEvalValues } | { ok: false; error: NixErrorDetail; memoryExceeded?: boolean }>;
  /** Builds every derivation in ONE `nix build` call. */
  build(toplevels: ToplevelRef[]): Promise<BuildOutcome>;
  /** For each root, the store paths of its closure. One call for all roots. */
  closures(roots: string[]): Promise<Record<string, string[]>>;
  readToplevel(outPath: string): Promise<ToplevelSnapshot>;
  /** Contents of store files (unit files, drop-ins); missing files map to null. */
  readFiles(paths: string[]): Promise<Record<string, string | null>>;
}
