# Consul agent (server or client): its config lives in /etc/consul.d and restarts the agent.
{ config, pkgs, lib, ... }:
let
  cfg = config.services.consul;
  consulJson = pkgs.writeText "consul.json" (builtins.toJSON ({
    datacenter = cfg.datacenter;
    node_name = config.networking.hostName;
    server = cfg.server;
    retry_join = cfg.retryJoin;
    data_dir = "/var/lib/consul";
  } // lib.optionalAttrs cfg.server { bootstrap_expect = cfg.bootstrapExpect; ui_config.enabled = true; }));
in
{
  environment.etc = lib.optionalAttrs cfg.enable { "consul.d/consul.json".source = consulJson; };
  systemd.services = lib.optionalAttrs cfg.enable {
    consul = {
      description = "Consul agent";
      after = [ "network-online.target" ];
      restartTriggers = [ consulJson ];
      serviceConfig.ExecStart = "${cfg.package}/bin/consul agent -config-dir=/etc/consul.d";
      serviceConfig.StateDirectory = "consul";
    };
  };
  networking.firewall.allowedTCPPorts = lib.optionals cfg.enable [ 8300 8301 8302 8500 8600 ];
  environment.systemPackages = lib.optional cfg.enable cfg.package;
}
