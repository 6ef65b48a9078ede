# Nomad agent (server and/or client), with host volumes declared for stateful jobs.
{ config, pkgs, lib, ... }:
let
  cfg = config.services.nomad;
  nomadJson = pkgs.writeText "nomad.json" (builtins.toJSON {
    datacenter = config.services.consul.datacenter;
    data_dir = "/var/lib/nomad";
    server = { enabled = cfg.server; bootstrap_expect = cfg.bootstrapExpect; };
    client = {
      enabled = cfg.client;
      host_volume = builtins.mapAttrs (_: path: { inherit path; read_only = false; }) cfg.hostVolumes;
    };
    consul.address = "127.0.0.1:8500";
  });
in
{
  environment.etc = lib.optionalAttrs cfg.enable { "nomad.d/nomad.json".source = nomadJson; };
  systemd.services = lib.optionalAttrs cfg.enable {
    nomad = {
      description = "Nomad";
      after = [ "network-online.target" "consul.service" ];
      restartTriggers = [ nomadJson ];
      serviceConfig.ExecStart = "${cfg.package}/bin/nomad agent -config=/etc/nomad.d";
      serviceConfig.StateDirectory = "nomad";
    };
  };
  networking.firewall.allowedTCPPorts = lib.optionals cfg.enable [ 4646 4647 4648 ];
  environment.systemPackages = lib.optional cfg.enable cfg.package;
}
