// What an agent session may learn and do on a NixOS host, beyond the deploy executor's HostSystem:
// failed units, bounded error journal excerpts, and restarting one unit. `adapters/host-diagnostics`
// implements it over a HostTransport (a real host's systemd, or a fixture host's files).

export interface UnitRestart {
  /** `systemctl restart` (or the fixture's stand-in) exited 0. */
  ok: boolean;
  /** The unit is active afterwards (the verification). */
  active: boolean;
  output: string;
}

export interface HostDiagnostics {
  readonly host: string;
  failedUnits(timeoutMs: number): Promise<string[]>;
  /** The running and the booted NixOS system (store paths), null when the host cannot say. */
  system(timeoutMs: number): Promise<{ current: string | null; booted: string | null }>;
  /** Recent error-priority journal lines, of one unit or of the whole host; at most `lines`. */
  journal(options: { unit?: string; lines: number; timeoutMs: number }): Promise<string[]>;
  restartUnit(unit: string, timeoutMs: number): Promise<UnitRestart>;
}

/** A systemd unit name; anything else (spaces, quotes, options) never reaches a host. */
export const UNIT_NAME = /^[A-Za-z0-9][A-Za-z0-9@._:\\-]{0,200}\.(service|socket|timer|mount|path|target|swap|automount|slice|scope)$/;
