# dbus cannot be restarted safely, so NixOS never restarts it on switch (restartIfChanged = false).
{ pkgs, ... }:
{
  systemd.services.dbus = {
    description = "D-Bus System Message Bus";
    restartIfChanged = false;
    serviceConfig.ExecStart = "${pkgs.dbus}/bin/dbus-daemon --system --nofork";
  };
}
