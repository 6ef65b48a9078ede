import { describe, expect, it } from 'vitest';
import { mapOptionLines, normaliseNixSource, resolveLocalOptions } from './nix-option-lines.js';

const optionsOf = (source: string) => {
  const map = mapOptionLines(source);
  return source.split('\n').map((_, i) => (map.get(i + 1)?.code ? map.get(i + 1)?.option : null));
};

describe('mapOptionLines', () => {
  it('follows nested attribute sets and dotted paths', () => {
    const source = `{ config, pkgs, ... }:
{
  services.openssh = {
    enable = true;
    settings = {
      PasswordAuthentication = false;
    };
  };
}`;
    expect(optionsOf(source)).toEqual(['', null, 'services.openssh', 'services.openssh.enable', 'services.openssh.settings', 'services.openssh.settings.PasswordAuthentication', null, null, null]);
  });
  it('keeps quoted attribute names and drops a leading config.', () => {
    expect(optionsOf('{ config.fileSystems."/mnt/media".options = [ "noatime" ]; }')[0]).toBe('fileSystems."/mnt/media".options');
  });
  it('sees through mkIf and into lists', () => {
    const source = `{
  networking.firewall = lib.mkIf cfg.enable {
    allowedTCPPorts = [
      22
    ];
  };
}`;
    expect(optionsOf(source)[3]).toBe('networking.firewall.allowedTCPPorts');
  });
  it('treats comments as not code, even with option-like words', () => {
    const map = mapOptionLines('{\n  # services.openssh.enable = false;\n  x = 1; # networking.firewall\n}');
    expect(map.get(2)?.code ?? false).toBe(false);
    expect(map.get(3)?.option).toBe('x');
  });
  it('keeps # and braces inside strings as string content', () => {
    expect(optionsOf('{ a = "#}{"; b = 2; }')[0]).toBe('a');
    expect(optionsOf("{\n  text = ''\n    } # not a comment\n  '';\n  next = 1;\n}")).toEqual([null, 'text', 'text', 'text', 'next', null]);
  });
  it('marks let bindings as local and resolves them through their uses', () => {
    const source = `{ config, pkgs, ... }:
let
  ports = [ 22 2222 ];
  sshdConfig = pkgs.writeText "sshd_config" (toString ports);
in
{
  environment.etc."ssh/sshd_config".source = sshdConfig;
  networking.firewall.allowedTCPPorts = ports;
}`;
    const map = mapOptionLines(source);
    expect(map.get(3)?.local).toBe('ports');
    expect(resolveLocalOptions(source, map, 'ports')).toEqual(['environment.etc."ssh/sshd_config".source', 'networking.firewall.allowedTCPPorts']);
  });
});

describe('normaliseNixSource', () => {
  it('is equal for comment and whitespace changes, different for code changes', () => {
    const a = '{ x = 1; # one\n}';
    expect(normaliseNixSource(a)).toBe(normaliseNixSource('{\n  # a new comment\n  x   = 1;\n}'));
    expect(normaliseNixSource(a)).not.toBe(normaliseNixSource('{ x = 2; }'));
  });
});
