// The Nix expressions Steward evaluates. One expression evaluates a worker's share of the hosts
// of BOTH revisions (base and head) in one process: `builtins.getFlake` accepts locked refs
// (with `rev`) in pure mode, so no `--impure` is needed.
import type { FlakeSource } from '../../ports/nix.js';
import { HOST_VALUES_FN } from './eval-values-expr.js';

/** A Nix string literal: escapes `"`, `\` and `${`. */
export function nixString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '\\${')}"`;
}

export function buildEvalShareExpr(sources: FlakeSource[], worker: number, workers: number, ignoreHosts: string[], withValues = false): string {
  const sourceAttrs = sources.map((s) => `${s.key} = builtins.getFlake ${nixString(s.ref)};`).join(' ');
  return `
let
  sources = { ${sourceAttrs} };
  ignore = [ ${ignoreHosts.map(nixString).join(' ')} ];
  workers = ${workers};
  worker = ${worker};
  # tryEval catches throw/assert (most NixOS option errors) so one bad host does not hide the rest.
  toplevel = cs: n:
    let
      t = cs.\${n}.config.system.build.toplevel;
      # Not named outPath: toJSON would turn an attrset with outPath into that string.
      r = builtins.tryEval (builtins.seq t.drvPath (builtins.seq t.outPath { drv = t.drvPath; out = t.outPath; }));
    in if r.success then r.value else null;
${withValues ? VALUES_BINDINGS : ''}  share = flake:
    let
      cs = flake.nixosConfigurations or { };
      names = builtins.filter (n: !(builtins.elem n ignore)) (builtins.attrNames cs);
      mine = builtins.filter (i: i - (i / workers) * workers == worker) (builtins.genList (i: i) (builtins.length names));
    in {
      hosts = names;
      toplevels = builtins.listToAttrs (map (i: let n = builtins.elemAt names i; in { name = n; value = toplevel cs n; }) mine);
    }${withValues ? ` // {
      values = builtins.listToAttrs (map (i: let n = builtins.elemAt names i; in { name = n; value = values cs n; }) mine);
    }` : ''};
in builtins.mapAttrs (_: share) sources`;
}

// Evaluation level: the same configuration, already forced by the toplevel, read once more.
const VALUES_BINDINGS = `  hostValues = ${HOST_VALUES_FN};
  values = cs: n:
    let v = hostValues cs.\${n}.config; r = builtins.tryEval (builtins.deepSeq v v);
    in if r.success then r.value else null;
`;

/** One host's toplevel, evaluated alone so that an error is reported as Nix's own. */
export function buildHostExpr(source: FlakeSource, host: string, withValues = false): string {
  const config = `(builtins.getFlake ${nixString(source.ref)}).nixosConfigurations.${nixString(host)}.config`;
  if (!withValues) return `let t = ${config}.system.build.toplevel; in { drv = t.drvPath; out = t.outPath; }`;
  return `let c = ${config}; t = c.system.build.toplevel; in { drv = t.drvPath; out = t.outPath; values = ${HOST_VALUES_FN} c; }`;
}

/** The flake's host names: cheap, no host module is imported. */
export function buildListHostsExpr(source: FlakeSource, ignoreHosts: string[]): string {
  const ignore = ignoreHosts.map(nixString).join(' ');
  return `builtins.filter (n: !(builtins.elem n [ ${ignore} ])) (builtins.attrNames ((builtins.getFlake ${nixString(source.ref)}).nixosConfigurations or { }))`;
}
