# Prometheus node exporter: a leaf service (its restart never cuts access).
{ config, pkgs, lib, ... }:
let
  cfg = config.services.prometheus.exporters.node;
in
{
  systemd.services = lib.optionalAttrs cfg.enable {
    prometheus-node-exporter = {
      description = "Prometheus exporter for machine metrics";
      serviceConfig.ExecStart = "${pkgs.prometheus-node-exporter}/bin/node_exporter --web.listen-address=:${toString cfg.port}"
        + lib.concatMapStrings (c: " --collector.${c}") cfg.enabledCollectors;
      serviceConfig.DynamicUser = true;
    };
  };
  networking.firewall.allowedTCPPorts = lib.optionals cfg.enable [ cfg.port ];
}
