# sshd: a config change restarts sshd (stopIfChanged = false, as in NixOS).
# Conditions sit inside each option: a module's top-level names must not depend on config.
{ config, pkgs, lib, ... }:
let
  cfg = config.services.openssh;
  ports = if cfg.ports == [ ] then [ 22 ] else cfg.ports;
  sshdConfig = pkgs.writeText "sshd_config" (
    lib.concatMapStrings (p: "Port ${toString p}\n") ports
    + lib.concatMapStrings (k: "${k} ${if builtins.isBool cfg.settings.${k} then (if cfg.settings.${k} then "yes" else "no") else toString cfg.settings.${k}}\n") (builtins.attrNames cfg.settings)
    + "AuthorizedKeysFile %h/.ssh/authorized_keys /etc/ssh/authorized_keys.d/%u\n"
  );
in
{
  environment.etc = lib.optionalAttrs cfg.enable { "ssh/sshd_config".source = sshdConfig; };
  systemd.services = lib.optionalAttrs cfg.enable {
    sshd = {
      description = "SSH Daemon";
      after = [ "network.target" ];
      stopIfChanged = false;
      restartTriggers = [ sshdConfig ];
      serviceConfig.ExecStart = "${pkgs.openssh}/bin/sshd -D -f /etc/ssh/sshd_config";
    };
  };
  networking.firewall.allowedTCPPorts = lib.optionals cfg.enable ports;
  environment.systemPackages = lib.optional cfg.enable pkgs.openssh;
}
