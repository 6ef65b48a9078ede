// What evaluation alone tells about one host (evaluation-level analysis): the values that decide
// a switch's effect, read from the configuration with NixOS's option names. Store paths are the
// ones the toplevel will link to once built; no value here needs a build.
import { z } from 'zod';

const StorePathRef = z.object({ drv: z.string(), path: z.string() }).strict();

export const EvalUnit = z
  .object({
    /** The unit file's text; null when it comes from a package (known only once built). */
    text: z.string().nullable(),
    /** `${unit}/<name>`: the file the toplevel will link to. */
    path: z.string(),
    drv: z.string(),
  })
  .strict();
export type EvalUnit = z.infer<typeof EvalUnit>;

export const HostEvalValues = z
  .object({
    kernel: StorePathRef.extend({ version: z.string().nullable() }).strict(),
    initrd: StorePathRef.nullable(),
    kernelModulesTree: z.string().nullable(),
    kernelModules: z.array(z.string()),
    firmware: z.string().nullable(),
    kernelParams: z.array(z.string()),
    systemd: z.string().nullable(),
    bootloader: z.record(z.string(), z.unknown()),
    switchInhibitors: z.record(z.string(), z.string()),
    rebootTriggers: z.record(z.string(), z.string()),
    units: z.record(z.string(), EvalUnit),
    /** /etc target -> its source store path, or a digest of its text. */
    etc: z.record(z.string(), z.string()),
    etcTexts: z.object({ fstab: z.string().nullable(), systemConf: z.string().nullable() }).strict(),
    fileSystems: z.record(z.string(), z.object({ device: z.string().nullable(), fsType: z.string(), options: z.array(z.string()) }).strict()),
    swapDevices: z.array(z.string().nullable()),
    /** Never a password or its hash: only whether one is set. */
    users: z.record(z.string(), z.object({ uid: z.number().int().nullable(), authorizedKeys: z.array(z.string()), hasPassword: z.boolean() }).strict()),
    firewall: z
      .object({ enable: z.boolean(), tcp: z.array(z.string()), udp: z.array(z.string()), tcpRanges: z.array(z.string()), udpRanges: z.array(z.string()) })
      .strict(),
    packages: z.array(z.object({ name: z.string(), version: z.string() }).strict()),
    stateVersion: z.string().nullable(),
    release: z.string().nullable(),
  })
  .strict();
export type HostEvalValues = z.infer<typeof HostEvalValues>;
