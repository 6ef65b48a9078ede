# nix-daemon: a nix.conf or Nix package change restarts the daemon (in-flight builds die).
{ config, pkgs, lib, ... }:
let
  nixConf = pkgs.writeText "nix.conf" (lib.concatMapStrings (k: "${k} = ${lib.toStr config.nix.settings.${k}}\n") (builtins.attrNames config.nix.settings));
in
{
  environment.etc."nix/nix.conf".source = nixConf;
  systemd.services.nix-daemon = {
    description = "Nix Daemon";
    stopIfChanged = false;
    restartTriggers = [ nixConf ];
    serviceConfig.ExecStart = "${config.nix.package}/bin/nix-daemon --daemon";
  };
  environment.systemPackages = [ config.nix.package ];
}
