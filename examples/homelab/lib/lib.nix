# A tiny stand-in for nixpkgs' lib: just what the example's mini module system needs.
# The example has no inputs (nixpkgs cannot be fetched offline), so everything is builtins.
rec {
  isDerivation = v: builtins.isAttrs v && (v.type or null) == "derivation";

  # Module merge: attribute sets merge recursively, lists concatenate, otherwise the last
  # definition wins (modules are listed defaults first, hosts last).
  mergeDefinitions = values:
    if builtins.all (v: builtins.isAttrs v && !(isDerivation v)) values then mergeAll values
    else if builtins.all builtins.isList values then builtins.concatLists values
    else builtins.elemAt values (builtins.length values - 1);
  mergeAll = list: builtins.zipAttrsWith (_: mergeDefinitions) list;

  mapAttrsToList = f: attrs: map (n: f n attrs.${n}) (builtins.attrNames attrs);
  concatMapStrings = f: list: builtins.concatStringsSep "" (map f list);
  concatStringsSep = builtins.concatStringsSep;
  optional = cond: x: if cond then [ x ] else [ ];
  optionals = cond: xs: if cond then xs else [ ];
  optionalString = cond: s: if cond then s else "";
  optionalAttrs = cond: attrs: if cond then attrs else { };
  filterAttrs = pred: attrs:
    builtins.listToAttrs (builtins.concatMap
      (n: if pred n attrs.${n} then [{ name = n; value = attrs.${n}; }] else [ ])
      (builtins.attrNames attrs));
  boolToString = b: if b then "true" else "false";
  toStr = v: if builtins.isBool v then boolToString v else toString v;

  # Shell-quote for the builders below (single quotes, as nixpkgs' escapeShellArg).
  escapeShellArg = s: "'" + builtins.replaceStrings [ "'" ] [ "'\\''" ] (toString s) + "'";

  # systemd-escape --path, enough for mount points: "/mnt/media" -> "mnt-media".
  escapeSystemdPath = p:
    let trimmed = builtins.substring 1 (builtins.stringLength p) p;
    in if p == "/" then "-" else builtins.replaceStrings [ "-" "/" ] [ "\\x2d" "-" ] trimmed;
}
