import { describe, expect, it } from 'vitest';
import type { DiffSignal } from '../../../model/repo-change.js';
import { declaredOptions, followCustomOptions } from './custom-options.js';

const role = [
  '{ config, lib, ... }:',
  'let',
  '  cfg = config.roles.consul;',
  'in',
  '{',
  '  options.roles.consul = {',
  '    enable = lib.mkEnableOption "consul";',
  '    enableServer = lib.mkOption { type = lib.types.bool; default = false; };',
  '  };',
  '  config = lib.mkIf cfg.enable {',
  '    services.consul.enable = true;',
  '    services.consul.extraConfig.server = cfg.enableServer;',
  '    environment.systemPackages = [ ];',
  '  };',
  '}',
  '',
].join('\n');
const hostLine = (option: string): DiffSignal => ({ file: 'hosts/c1/default.nix', line: 4, side: 'added', option, text: `${option} = true;`, hosts: ['c1'] });

describe('custom options at diff level', () => {
  const declared = declaredOptions([{ path: 'nixos/roles/consul.nix', text: role }]);

  it('follows a custom option to the definitions that read it, citing the path', () => {
    const signals = followCustomOptions([hostLine('roles.consul.enableServer')], declared);
    expect(signals.map((s) => s.option)).toEqual(['roles.consul.enableServer', 'services.consul.extraConfig.server']);
    expect(signals[1]).toMatchObject({ file: 'nixos/roles/consul.nix', line: 12, hosts: ['c1'] });
    expect(signals[1]?.text).toContain('roles.consul.enableServer → services.consul.extraConfig.server at nixos/roles/consul.nix:12');
  });

  it('an enable option stands for everything the module sets', () => {
    expect(followCustomOptions([hostLine('roles.consul.enable')], declared).map((s) => s.option)).toEqual([
      'roles.consul.enable',
      'services.consul.enable',
      'services.consul.extraConfig.server',
      'environment.systemPackages',
    ]);
  });

  it('leaves NixOS options alone', () => {
    expect(followCustomOptions([hostLine('services.homepage.enable')], declared)).toHaveLength(1);
  });
});
