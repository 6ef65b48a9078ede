# The iptables firewall: like NixOS, a change reloads firewall.service (reloadIfChanged).
{ config, pkgs, lib, ... }:
let
  cfg = config.networking.firewall;
  rules = lib.concatMapStrings (p: "iptables -A nixos-fw -p tcp --dport ${toString p} -j nixos-fw-accept\n") cfg.allowedTCPPorts
    + lib.concatMapStrings (p: "iptables -A nixos-fw -p udp --dport ${toString p} -j nixos-fw-accept\n") cfg.allowedUDPPorts
    + cfg.extraCommands;
  start = pkgs.writeShellScript "firewall-start" "${pkgs.iptables}/bin/iptables -F nixos-fw\n${rules}";
in
{
  systemd.services = lib.optionalAttrs cfg.enable {
    firewall = {
      description = "Firewall";
      reloadIfChanged = true;
      serviceConfig.ExecStart = "${start}";
      reload = "${start}";
      serviceConfig.Type = "oneshot";
      serviceConfig.RemainAfterExit = true;
    };
  };
}
