# Nightly restic backup of the exports to the backup disk: a leaf service with a timer.
{ pkgs, ... }:
{
  systemd.services.restic-backup = {
    description = "Nightly restic backup";
    environment = { RESTIC_REPOSITORY = "/export/backup/restic"; };
    script = "exec ${pkgs.restic}/bin/restic backup /export/media /var/lib/postgresql";
    serviceConfig.Type = "oneshot";
    wantedBy = [ ];
  };
  systemd.timers.restic-backup = {
    timerConfig = { OnCalendar = "03:00"; Persistent = true; };
  };
}
