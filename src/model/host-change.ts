// What a change does to one NixOS host, as found by comparing the base and head toplevels.
import { z } from 'zod';

export const ValueChange = z.object({ from: z.string().nullable(), to: z.string().nullable() }).strict();
export type ValueChange = z.infer<typeof ValueChange>;

export const KeyChange = z
  .object({ key: z.string(), from: z.string().nullable(), to: z.string().nullable() })
  .strict();
export type KeyChange = z.infer<typeof KeyChange>;

/** Boot-relevant links and files of the toplevel; a key is present only when it changed. */
export const BootChange = z
  .object({
    kernel: ValueChange.optional(),
    initrd: ValueChange.optional(),
    kernelModules: ValueChange.optional(),
    kernelParams: ValueChange.optional(),
    firmware: ValueChange.optional(),
    /** The systemd package or system.conf changed: switch would re-execute systemd. */
    systemd: ValueChange.optional(),
    rebootTriggers: z.array(KeyChange).optional(),
    switchInhibitors: z.array(KeyChange).optional(),
  })
  .strict();
export type BootChange = z.infer<typeof BootChange>;

/**
 * What switch-to-configuration would do with a unit, in its own vocabulary:
 * `skip` is "would NOT stop the following changed units" (the change does not take effect).
 */
export const UnitAction = z.enum(['start', 'stop', 'restart', 'reload', 'skip', 'none']);
export type UnitAction = z.infer<typeof UnitAction>;

export const UnitChange = z
  .object({
    unit: z.string(),
    change: z.enum(['added', 'removed', 'changed']),
    action: UnitAction,
    critical: z.boolean(),
    /** Why this action: e.g. "only X-Reload-Triggers changed", "X-RestartIfChanged=false". */
    why: z.string(),
    /** The unit keeps data (StateDirectory=, a database): matters when it is removed. */
    stateful: z.boolean(),
    /** Changed `Key=` lines, e.g. `Service.ExecStart`, for the report. */
    changedKeys: z.array(z.string()),
  })
  .strict();
export type UnitChange = z.infer<typeof UnitChange>;

export const MountChange = z
  .object({
    mountPoint: z.string(),
    unit: z.string(),
    change: z.enum(['added', 'removed', 'options', 'device', 'fsType']),
    fsType: z.string(),
    network: z.boolean(),
    swap: z.boolean(),
    from: z.string().nullable(),
    to: z.string().nullable(),
  })
  .strict();
export type MountChange = z.infer<typeof MountChange>;

export const PackageChange = z
  .object({
    name: z.string(),
    from: z.array(z.string()),
    to: z.array(z.string()),
    /** A major version was crossed (first numeric component differs). */
    major: z.boolean(),
  })
  .strict();
export type PackageChange = z.infer<typeof PackageChange>;

export const HostBuildError = z
  .object({
    phase: z.enum(['eval', 'build']),
    revision: z.enum(['base', 'head']),
    lines: z.array(z.string()),
    file: z.string().optional(),
    line: z.number().int().optional(),
  })
  .strict();
export type HostBuildError = z.infer<typeof HostBuildError>;

export const HostStatus = z.enum(['unchanged', 'changed', 'added', 'removed', 'failed']);
export type HostStatus = z.infer<typeof HostStatus>;

export const Toplevels = z
  .object({
    base: z.string().nullable(),
    head: z.string().nullable(),
  })
  .strict();

export const HostChange = z
  .object({
    host: z.string(),
    roles: z.array(z.string()),
    status: HostStatus,
    toplevel: Toplevels,
    /** The toplevel path changed but nothing a switch acts on did (e.g. only `self.rev`). */
    revisionOnly: z.boolean(),
    boot: BootChange,
    units: z.array(UnitChange),
    mounts: z.array(MountChange),
    packages: z.array(PackageChange),
    /** Other files under /etc whose content changed (paths relative to /etc). */
    etc: z.array(z.string()),
    /** Evaluation level: options whose evaluated value changed (kernel version, users, firewall, bootloader, stateVersion). */
    options: z.array(KeyChange).optional(),
    error: HostBuildError.optional(),
  })
  .strict();
export type HostChange = z.infer<typeof HostChange>;

export function emptyHostChange(host: string, roles: string[], status: HostStatus): HostChange {
  return {
    host,
    roles,
    status,
    toplevel: { base: null, head: null },
    revisionOnly: false,
    boot: {},
    units: [],
    mounts: [],
    packages: [],
    etc: [],
  };
}
