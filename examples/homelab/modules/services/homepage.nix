# A start page for the lab: a leaf service (restarting it affects nothing else).
{ pkgs, ... }:
let
  settings = pkgs.writeText "homepage-settings.yaml" ''
    title: Homelab
    theme: dark
    layout:
      Infrastructure: { columns: 3 }
  '';
in
{
  systemd.services.homepage = {
    description = "Homepage dashboard";
    after = [ "network.target" ];
    environment = { HOMEPAGE_PORT = "3000"; HOMEPAGE_CONFIG = "${settings}"; };
    script = "exec ${pkgs.homepage-dashboard}/bin/homepage-dashboard";
    serviceConfig.DynamicUser = true;
  };
  networking.firewall.allowedTCPPorts = [ 3000 ];
}
