// The Nix function that reads, from one host's evaluated configuration, the values that decide
// what a switch does (evaluation-level analysis). Every name is NixOS's own option name; the
// values are strings, lists and booleans only, so `nix eval --json` never has to build anything.
// Store paths appear as they will in the toplevel (`${kernel}/bzImage`), so the comparison of
// two evaluations is the comparison of two builds, without the build.
// Never read: password hashes (only whether one is set) or any secret's value.

/** A Nix lambda `config: { ... }`, applied by the share expression to each host's config. */
export const HOST_VALUES_FN = `
  (cfg:
    let
      orNull = v: if v == null then null else toString v;
      attrsOr = a: if builtins.isAttrs a then a else { };
      filterEnabled = set: builtins.listToAttrs (builtins.concatMap
        (n: let v = set.\${n}; in if (v.enable or true) then [{ name = n; value = v; }] else [ ])
        (builtins.attrNames set));
      loaderFiles = cfg.system.boot.loader or { };
      kernel = cfg.boot.kernelPackages.kernel;
      initrd = cfg.system.build.initialRamdisk or null;
      # NixOS turns hardware.firmware into one package (its apply); a module system without
      # apply (the example's) keeps the list and builds the package as system.build.firmware.
      firmware = let f = cfg.hardware.firmware or null; in
        if builtins.isList f then (cfg.system.build.firmware or null) else f;
      params = cfg.boot.kernelParams or [ ];
      inhibitors = builtins.mapAttrs (_: v: toString v) (cfg.system.switch.inhibitors or { });
      kernelPath = "\${kernel}/\${loaderFiles.kernelFile or "bzImage"}";
      firmwarePath = if firmware == null then null else "\${firmware}/lib/firmware";
      loader = cfg.boot.loader or { };
      etc = filterEnabled (cfg.environment.etc or { });
      etcTarget = n: e: e.target or n;
      etcSource = e:
        if (e.source or null) != null then "\${e.source}"
        else "text:" + builtins.hashString "sha256" (e.text or "");
      units = filterEnabled (cfg.systemd.units or { });
      users = attrsOr (cfg.users.users or { });
      hasPassword = u: builtins.any (k: (u.\${k} or null) != null)
        [ "hashedPassword" "hashedPasswordFile" "password" "passwordFile" "initialPassword" "initialHashedPassword" ];
      firewall = cfg.networking.firewall or { };
      pkgName = p: let d = builtins.parseDrvName (p.name or ""); in {
        name = p.pname or d.name;
        version = p.version or d.version;
      };
    in {
      kernel = { version = kernel.version or null; drv = kernel.drvPath; path = kernelPath; };
      initrd = if initrd == null then null else { drv = initrd.drvPath; path = "\${initrd}/\${loaderFiles.initrdFile or "initrd"}"; };
      kernelModulesTree = orNull (cfg.system.modulesTree or null);
      kernelModules = map toString (cfg.boot.kernelModules or [ ]);
      firmware = firmwarePath;
      kernelParams = map toString params;
      systemd = orNull (cfg.systemd.package or null);
      bootloader = {
        grub = { enable = loader.grub.enable or false; device = orNull (loader.grub.device or null); devices = map toString (loader.grub.devices or [ ]); efiSupport = loader.grub.efiSupport or false; };
        systemdBoot = loader.systemd-boot.enable or false;
        canTouchEfiVariables = loader.efi.canTouchEfiVariables or false;
        efiSysMountPoint = orNull (loader.efi.efiSysMountPoint or null);
        timeout = orNull (loader.timeout or null);
      };
      switchInhibitors = inhibitors;
      rebootTriggers = {
        kernel = kernelPath;
        kernel-params = builtins.concatStringsSep "," (map toString params);
      } // (if firmwarePath == null then { } else { firmware = firmwarePath; }) // inhibitors;
      units = builtins.mapAttrs (n: u: {
        text = if (u.text or null) == null then null else u.text;
        path = "\${u.unit}/\${n}";
        drv = u.unit.drvPath;
      }) units;
      etc = builtins.listToAttrs (map (n: { name = etcTarget n etc.\${n}; value = etcSource etc.\${n}; }) (builtins.attrNames etc));
      etcTexts = {
        fstab = etc.fstab.text or null;
        systemConf = etc."systemd/system.conf".text or null;
      };
      fileSystems = builtins.mapAttrs (mp: fs: {
        device = orNull (fs.device or null);
        fsType = fs.fsType or "auto";
        options = map toString (fs.options or [ "defaults" ]);
      }) (attrsOr (cfg.fileSystems or { }));
      swapDevices = map (s: orNull (s.device or null)) (cfg.swapDevices or [ ]);
      users = builtins.mapAttrs (n: u: {
        uid = u.uid or null;
        authorizedKeys = map toString (u.openssh.authorizedKeys.keys or [ ]);
        hasPassword = hasPassword u;
      }) users;
      firewall = {
        enable = firewall.enable or false;
        tcp = map toString (firewall.allowedTCPPorts or [ ]);
        udp = map toString (firewall.allowedUDPPorts or [ ]);
        tcpRanges = map (r: "\${toString r.from}-\${toString r.to}") (firewall.allowedTCPPortRanges or [ ]);
        udpRanges = map (r: "\${toString r.from}-\${toString r.to}") (firewall.allowedUDPPortRanges or [ ]);
      };
      packages = map pkgName (cfg.environment.systemPackages or [ ]);
      stateVersion = cfg.system.stateVersion or null;
      release = cfg.system.nixos.release or null;
    })`;
