// A NixOS host, as the deploy executor needs it: a transport that runs shell scripts on the host
// (each call a NEW connection) and copies closures, and the NixOS operations built on it.
// `adapters/host-local` and `adapters/host-ssh` implement the transport; `adapters/nixos-host`
// implements HostSystem over either.
import { StewardError } from '../errors.js';

/** The host could not be reached (connection refused, ssh exit 255): not a command failure. */
export class HostUnreachableError extends StewardError {
  override readonly name = 'HostUnreachableError';
  constructor(
    readonly host: string,
    detail: string,
  ) {
    super(`${host} is unreachable: ${detail}`);
  }
}

export interface ExecOptions {
  /** The whole exchange is stopped (and the remote process group killed where possible) after this. */
  timeoutMs: number;
  /** Extra environment for the script. */
  env?: Record<string, string>;
}

export interface ExecResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

export interface HostTransport {
  readonly host: string;
  /** `local`, `ssh root@10.0.0.11`, `fixture /tmp/hosts/node1`: for messages and records. */
  readonly describe: string;
  /**
   * The host's root: `/` on a real host; a fixture root directory in tests and demos, under which
   * the profile, run/ and boot/ live and where switch-to-configuration finds NIXOS_FIXTURE_ROOT.
   */
  readonly root: string;
  /** Runs a POSIX sh script over a NEW connection. Throws HostUnreachableError when none can be made. */
  exec(script: string, options: ExecOptions): Promise<ExecResult>;
  /** Makes a store path and its closure present on the host (`nix copy --to ssh-ng://`; nothing locally). */
  copyClosure(storePath: string): Promise<void>;
}

/** What a host runs and will boot. Store paths, resolved; null when absent. */
export interface HostSystemState {
  current: string | null;
  booted: string | null;
  /** What the system profile points at. */
  profile: string | null;
  /** What the bootloader starts next (the profile on a real host; boot/default-system in a fixture). */
  bootDefault: string | null;
  /** Changes at every boot: how a reboot is seen to have happened. */
  bootId: string | null;
}

export type ActivationAction = 'switch' | 'boot' | 'test' | 'dry-activate';

/** The unit plan switch-to-configuration prints (dry-activate: "would ..."; switch: what it did). */
export interface SwitchPlan {
  stop: string[];
  start: string[];
  restart: string[];
  reload: string[];
  /** "would NOT stop the following changed units": changes that will not take effect. */
  skip: string[];
  /** Swap devices that would be (or were) stopped. */
  swapStop: string[];
  /** "would restart systemd" / "restarting systemd...". */
  restartSystemd: boolean;
  /** switch only: "the following new units were started". */
  newStarted: string[];
  /** switch only: "warning: the following units failed". */
  failed: string[];
}

export interface ActivationResult {
  action: ActivationAction;
  exitCode: number | null;
  timedOut: boolean;
  /** What switch-to-configuration printed (stderr and stdout), redacted. */
  output: string;
  /** The output's unit plan, as parsed by the adapter. */
  plan: SwitchPlan;
  durationMs: number;
}

/** The magic-rollback guard armed on the host before a switch (deploy-rs style). */
export interface GuardSpec {
  id: string;
  /** The generation to return to when no confirmation arrives. */
  previous: string;
  /** The switch to roll back from: `switch` rolls back with `switch`, `boot` with `boot`. */
  action: 'switch' | 'boot';
  /** Seconds after the end of the switch within which a confirmation must arrive. */
  confirmSeconds: number;
  /** Longest a switch may run; the guard waits for a running switch at most this long. */
  activationSeconds: number;
}

/**
 * `confirmed`: disarmed by this call; `fired`: the guard already started its rollback;
 * `rolled-back`: the guard finished its rollback; `unknown`: no such guard on the host.
 */
export type GuardState = 'armed' | 'confirmed' | 'disarmed' | 'fired' | 'rolled-back' | 'unknown';

export interface MountEntry {
  device: string;
  mountPoint: string;
  fsType: string;
  options: string[];
}

export interface CommandResult {
  exitCode: number | null;
  output: string;
  timedOut: boolean;
}

export interface HostSystem {
  readonly name: string;
  readonly describe: string;
  copyClosure(toplevel: string): Promise<void>;
  readState(): Promise<HostSystemState>;
  /** Sets the system profile to exactly this store path (`nix-env -p <profile> --set`). */
  setProfile(toplevel: string): Promise<void>;
  /** Runs `<toplevel>/bin/switch-to-configuration <action>`; a `guardId` marks the switch for the guard. */
  activate(toplevel: string, action: ActivationAction, options: { timeoutMs: number; guardId?: string }): Promise<ActivationResult>;
  armGuard(guard: GuardSpec): Promise<void>;
  /** Disarms the guard over a NEW connection: the proof that the host is still reachable. */
  confirmGuard(guardId: string): Promise<GuardState>;
  /** Disarms without it counting as a confirmation (Steward rolls back itself). */
  disarmGuard(guardId: string): Promise<GuardState>;
  guardState(guardId: string): Promise<GuardState>;
  failedUnits(): Promise<string[]>;
  /** What is mounted now, or null when the host cannot say. */
  liveMounts(): Promise<MountEntry[] | null>;
  /** A file's content on the host (e.g. `<toplevel>/etc/fstab`), or null. */
  readFile(path: string): Promise<string | null>;
  /** Where a link points, resolved (e.g. `<toplevel>/kernel`), or null. */
  resolve(path: string): Promise<string | null>;
  /** Starts a reboot and returns once the host went away (or at once when it cannot tell). */
  reboot(): Promise<void>;
  /** Runs a command (an invariant) on the host. */
  run(argv: string[], timeoutMs: number): Promise<CommandResult>;
}
