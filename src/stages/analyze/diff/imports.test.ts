import { describe, expect, it } from 'vitest';
import type { DiffSignal } from '../../../model/repo-change.js';
import { followImports } from './imports.js';

const importLine = (text: string, side: DiffSignal['side']): DiffSignal => ({ file: 'hosts/web/default.nix', line: 3, side, option: 'imports', text, hosts: ['web'] });
const zfsLayout = '{ ... }:\n{\n  disko.devices.zpool.zroot.mode = "mirror";\n  boot.loader.grub.enable = true;\n}\n';
const efiLayout = '{ ... }:\n{\n  disko.devices.zpool.zroot.mode = "";\n  boot.loader.systemd-boot.enable = true;\n  imports = [ ./common.nix ];\n}\n';
const common = '{ ... }:\n{\n  services.openssh.enable = true;\n}\n';
const tree = (files: Record<string, string>) => new Map(Object.entries(files));

describe('imports at diff level', () => {
  it('a swapped module removes the old module\'s options and adds the new one\'s, following nested imports', () => {
    const base = tree({ 'modules/nixos/disko-zfs.nix': zfsLayout });
    const head = tree({ 'modules/nixos/disko-zfs.nix': zfsLayout, 'modules/nixos/disko-efi/default.nix': efiLayout, 'modules/nixos/disko-efi/common.nix': common });
    const signals = followImports([importLine('inputs.self.nixosModules.disko-zfs', 'removed'), importLine('../../modules/nixos/disko-efi', 'added')], { added: head, removed: base });
    expect(signals.map((s) => [s.side, s.file, s.option])).toEqual([
      ['removed', 'modules/nixos/disko-zfs.nix', 'disko.devices.zpool.zroot.mode'],
      ['removed', 'modules/nixos/disko-zfs.nix', 'boot.loader.grub.enable'],
      ['added', 'modules/nixos/disko-efi/default.nix', 'disko.devices.zpool.zroot.mode'],
      ['added', 'modules/nixos/disko-efi/default.nix', 'boot.loader.systemd-boot.enable'],
      ['added', 'modules/nixos/disko-efi/common.nix', 'services.openssh.enable'],
    ]);
    expect(signals[0]?.text).toContain('no longer imported by hosts/web/default.nix:3');
    expect(signals.every((s) => s.hosts[0] === 'web')).toBe(true);
  });

  it('keeps an import of another flake\'s module as an import signal (not followed)', () => {
    const signals = followImports([importLine('inputs.lanzaboote.nixosModules.lanzaboote', 'added')], { added: tree({}), removed: tree({}) });
    expect(signals.map((s) => s.option)).toEqual(['imports']);
  });
});
