// HostSystem over a HostTransport: the NixOS operations of a deploy (state, profile, switch,
// the rollback guard, failed units, mounts, reboot), each one script over a new connection.
import { CommandError } from '../../errors.js';
import type { ActivationAction, ActivationResult, CommandResult, GuardSpec, GuardState, HostSystem, HostSystemState, HostTransport, MountEntry } from '../../ports/host.js';
import type { Redactor } from '../../redact.js';
import { parseSwitchOutput } from './parse-switch-output.js';
import {
  activateScript,
  armGuardScript,
  disarmGuardScript,
  failedUnitsScript,
  guardStateScript,
  hostLayout,
  liveMountsScript,
  NO_MOUNT_TABLE,
  readFileScript,
  readStateScript,
  rebootScript,
  resolveScript,
  runScript,
  setProfileScript,
  type HostLayout,
} from './host-commands.js';

export interface NixosHostOptions {
  /** The system profile path on the host (under the root of a fixture host). */
  profile?: string;
  /** Deadline of the short operations (state, profile, guard). Default 60 s. */
  opTimeoutMs?: number;
  redactor?: Redactor;
}

const GUARD_STATES = new Set<GuardState>(['armed', 'confirmed', 'disarmed', 'fired', 'rolled-back', 'unknown']);

export class NixosHost implements HostSystem {
  readonly name: string;
  readonly describe: string;
  readonly layout: HostLayout;
  private readonly opTimeoutMs: number;

  constructor(
    private readonly transport: HostTransport,
    private readonly options: NixosHostOptions = {},
  ) {
    this.name = transport.host;
    this.describe = transport.describe;
    this.layout = hostLayout(transport.root, options.profile);
    this.opTimeoutMs = options.opTimeoutMs ?? 60_000;
  }

  copyClosure(toplevel: string): Promise<void> {
    return this.transport.copyClosure(toplevel);
  }

  async readState(): Promise<HostSystemState> {
    const out = await this.must('read the system state', readStateScript(this.layout));
    const fields = Object.fromEntries(out.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).trim()]));
    const value = (key: string) => (fields[key] ? String(fields[key]) : null);
    return { current: value('current'), booted: value('booted'), profile: value('profile'), bootDefault: value('bootDefault'), bootId: value('bootId') };
  }

  async setProfile(toplevel: string): Promise<void> {
    await this.must(`set the system profile to ${toplevel}`, setProfileScript(this.layout, toplevel));
  }

  async activate(toplevel: string, action: ActivationAction, options: { timeoutMs: number; guardId?: string }): Promise<ActivationResult> {
    const result = await this.transport.exec(activateScript(this.layout, toplevel, action, options.guardId), { timeoutMs: options.timeoutMs });
    const output = this.redact(`${result.stdout}${result.stderr}`);
    return { action, exitCode: result.exitCode, timedOut: result.timedOut, output, plan: parseSwitchOutput(output), durationMs: result.durationMs };
  }

  async armGuard(guard: GuardSpec): Promise<void> {
    await this.must(`arm the rollback guard ${guard.id}`, armGuardScript(this.layout, guard));
  }

  async confirmGuard(guardId: string): Promise<GuardState> {
    return this.guard(disarmGuardScript(this.layout, guardId, 'confirmed'));
  }

  async disarmGuard(guardId: string): Promise<GuardState> {
    return this.guard(disarmGuardScript(this.layout, guardId, 'disarmed'));
  }

  async guardState(guardId: string): Promise<GuardState> {
    return this.guard(guardStateScript(this.layout, guardId));
  }

  async failedUnits(): Promise<string[]> {
    const out = await this.must('list failed units', failedUnitsScript(this.layout));
    return [...new Set(out.split('\n').map((l) => l.trim()).filter(Boolean))].sort();
  }

  async liveMounts(): Promise<MountEntry[] | null> {
    const out = await this.must('read the live mounts', liveMountsScript(this.layout));
    if (out.trim() === NO_MOUNT_TABLE) return null;
    return parseMountTable(out);
  }

  async readFile(path: string): Promise<string | null> {
    const result = await this.transport.exec(readFileScript(path), { timeoutMs: this.opTimeoutMs });
    if (result.exitCode === 3) return null;
    if (result.exitCode !== 0) throw this.failure(`read ${path}`, result.exitCode, result.stderr);
    return result.stdout;
  }

  async resolve(path: string): Promise<string | null> {
    const result = await this.transport.exec(resolveScript(path), { timeoutMs: this.opTimeoutMs });
    return result.exitCode === 0 && result.stdout.trim() ? result.stdout.trim() : null;
  }

  async reboot(): Promise<void> {
    await this.must('start a reboot', rebootScript(this.layout));
  }

  async run(argv: string[], timeoutMs: number): Promise<CommandResult> {
    const result = await this.transport.exec(runScript(argv), { timeoutMs });
    return { exitCode: result.exitCode, output: this.redact(result.stdout + result.stderr), timedOut: result.timedOut };
  }

  private async guard(script: string): Promise<GuardState> {
    const word = (await this.must('reach the rollback guard', script)).trim().split('\n').pop() as GuardState;
    return GUARD_STATES.has(word) ? word : 'unknown';
  }

  /** Runs a script that must succeed; returns its stdout. */
  private async must(what: string, script: string): Promise<string> {
    const result = await this.transport.exec(script, { timeoutMs: this.opTimeoutMs });
    if (result.exitCode !== 0 || result.timedOut) throw this.failure(what, result.exitCode, result.stderr || result.stdout);
    return result.stdout;
  }

  private failure(what: string, exitCode: number | null, output: string): CommandError {
    return new CommandError(`${this.name}: ${what}`, exitCode ?? undefined, this.redact(output.trim().split('\n').slice(-10).join('\n')), `${this.name} (${this.describe}): could not ${what} (exit ${exitCode ?? 'none'})`);
  }

  private redact(text: string): string {
    return this.options.redactor ? this.options.redactor.redact(text) : text;
  }
}

/** /proc/mounts format (a fixture's run/mounts has the same): device, mount point, type, options. */
export function parseMountTable(text: string): MountEntry[] {
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 4 && !f[0]!.startsWith('#'))
    .map(([device, mountPoint, fsType, options]) => ({ device: unescape(device!), mountPoint: unescape(mountPoint!), fsType: fsType!, options: options!.split(',') }));
}
