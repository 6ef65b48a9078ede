// Evaluation level: what a built toplevel would show, derived from evaluated values alone. The
// links, unit file paths and /etc targets are the store paths the toplevel will link to, so the
// build level's own comparison (analyzeHost) runs on them unchanged: one logic, two levels.
import type { ToplevelSnapshot } from '../../../ports/nix.js';
import type { HostEvalValues } from '../../../ports/nix-eval-values.js';

export interface EvalSnapshot {
  snapshot: ToplevelSnapshot;
  /** Unit file path -> text, as `readFiles` would return it after a build. */
  files: Record<string, string>;
  /** Unit files that come from a package: their text is unknown until the package is built. */
  packageUnits: Set<string>;
  /** `pname-version` of each system package, shaped like closure entries. */
  packages: string[];
}

/** Stands in for an unreadable unit file: any change of the package changes this key. */
export const PACKAGE_UNIT_KEY = 'X-Steward-Package';

export function evalSnapshot(outPath: string, values: HostEvalValues): EvalSnapshot {
  const links: ToplevelSnapshot['links'] = { kernel: values.kernel.path };
  if (values.initrd) links.initrd = values.initrd.path;
  if (values.kernelModulesTree) links['kernel-modules'] = values.kernelModulesTree;
  if (values.firmware) links.firmware = values.firmware;
  if (values.systemd) links.systemd = values.systemd;

  const units: Record<string, string[]> = {};
  const files: Record<string, string> = {};
  const packageUnits = new Set<string>();
  for (const [name, unit] of Object.entries(values.units)) {
    units[name] = [unit.path];
    if (unit.text !== null) files[unit.path] = unit.text;
    else {
      packageUnits.add(name);
      files[unit.path] = `[Unit]\n${PACKAGE_UNIT_KEY}=${unit.drv}\n`;
    }
  }
  // The unit directory is compared unit by unit above, as the build level does.
  const etc = Object.fromEntries(Object.entries(values.etc).filter(([target]) => target !== 'systemd/system'));
  const inhibitors = Object.keys(values.switchInhibitors).length > 0 ? values.switchInhibitors : null;
  return {
    snapshot: {
      path: outPath,
      links,
      kernelParams: values.kernelParams.join(' '),
      rebootTriggers: values.rebootTriggers,
      switchInhibitors: inhibitors,
      units,
      etc,
      fstab: values.etcTexts.fstab ?? renderFstab(values),
      systemConf: values.etcTexts.systemConf,
    },
    files,
    packageUnits,
    packages: values.packages.map((p) => `${p.name}-${p.version}`),
  };
}

/** When /etc/fstab's text is not an option (it is in NixOS), the lines fileSystems would give. */
function renderFstab(values: HostEvalValues): string {
  const mounts = Object.entries(values.fileSystems).map(([mountPoint, fs]) => `${fs.device ?? 'none'} ${mountPoint} ${fs.fsType} ${fs.options.join(',') || 'defaults'} 0 0`);
  const swaps = values.swapDevices.filter((d): d is string => d !== null).map((device) => `${device} none swap defaults 0 0`);
  return [...mounts, ...swaps].join('\n');
}
