# tailscaled: the VPN a remote admin may depend on.
{ config, pkgs, lib, ... }:
{
  systemd.services = lib.optionalAttrs config.services.tailscale.enable {
    tailscaled = {
      description = "Tailscale node agent";
      serviceConfig.ExecStart = "${pkgs.tailscale}/bin/tailscaled --state=/var/lib/tailscale/tailscaled.state";
      serviceConfig.StateDirectory = "tailscale";
    };
  };
}
