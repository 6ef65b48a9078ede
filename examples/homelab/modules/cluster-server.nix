# The Consul + Nomad server trio (node1..node3): quorum members, never two rebooted at once.
{ pkgs, ... }:
{
  services.consul = {
    enable = true;
    server = true;
    bootstrapExpect = 3;
    retryJoin = [ "10.0.0.11" "10.0.0.12" "10.0.0.13" ];
  };
  services.nomad = {
    enable = true;
    server = true;
    client = true;
    hostVolumes = {
      postgres-data = "/srv/nomad/postgres";
      grafana-data = "/srv/nomad/grafana";
      homeassistant-config = "/srv/nomad/homeassistant";
    };
  };
}
