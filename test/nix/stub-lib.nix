# A minimal stand-in for the parts of nixpkgs' lib that nix/module.nix uses (nixpkgs cannot be
# fetched here): options keep their defaults, mkIf/mkMerge are resolved the way the module system
# resolves them for plain values (attrsets merge, lists concatenate). Not a module system: enough
# to evaluate this one module with chosen settings and read the units it defines.
let
  isOption = x: builtins.isAttrs x && (x._type or null) == "option";
  merge = a: b:
    if builtins.isList a && builtins.isList b then a ++ b
    else if builtins.isAttrs a && builtins.isAttrs b then
      builtins.foldl' (acc: n: acc // { ${n} = if acc ? ${n} then merge acc.${n} b.${n} else b.${n}; }) a (builtins.attrNames b)
    else b;
  resolve = x:
    if builtins.isAttrs x && (x._type or null) == "if" then (if x.condition then resolve x.content else { })
    else if builtins.isAttrs x && (x._type or null) == "merge" then builtins.foldl' merge { } (map resolve x.contents)
    else if builtins.isAttrs x && !(x ? outPath) then builtins.mapAttrs (_: resolve) x
    else x;
  # nixpkgs' escapeShellArg: safe strings stay as they are, others are single-quoted.
  escapeShellArg = arg:
    let s = toString arg; in
    if builtins.match "[[:alnum:],._+:@%/-]+" s != null then s else "'${builtins.replaceStrings [ "'" ] [ "'\\''" ] s}'";
in
{
  inherit merge resolve;
  mkOption = attrs: attrs // { _type = "option"; };
  mkEnableOption = name: { _type = "option"; default = false; description = "Whether to enable ${name}."; };
  mkIf = condition: content: { _type = "if"; inherit condition content; };
  mkMerge = contents: { _type = "merge"; inherit contents; };
  collectDefaults = let go = tree: builtins.mapAttrs (_: v: if isOption v then (v.default or null) else go v) tree; in go;
  literalExpression = text: { _type = "literalExpression"; inherit text; };
  types = {
    package = "package";
    str = "str";
    nullOr = _: "nullOr";
    attrsOf = _: "attrsOf";
    listOf = _: "listOf";
    ints.between = _: _: "int";
  };
  filter = builtins.filter;
  hasPrefix = prefix: text: builtins.substring 0 (builtins.stringLength prefix) text == prefix;
  optional = cond: x: if cond then [ x ] else [ ];
  optionals = cond: xs: if cond then xs else [ ];
  optionalAttrs = cond: attrs: if cond then attrs else { };
  mapAttrsToList = f: attrs: map (n: f n attrs.${n}) (builtins.attrNames attrs);
  genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names);
  inherit escapeShellArg;
  escapeShellArgs = args: builtins.concatStringsSep " " (map escapeShellArg args);
}
