// Where HCL blocks and attributes start in a job file (hcl2json drops positions): the tree the
// HCL parser returns beside the body, read by analyze to give findings a line.

export interface OutlineBlock {
  type: string;
  labels: string[];
  line: number;
  column: number;
  /** Attribute name -> line of its first definition in this block. */
  attributes: Record<string, number>;
  blocks: OutlineBlock[];
}

/** Child blocks of `type` (and with `label` as first label when given), in source order. */
export function childBlocks(parent: OutlineBlock | undefined, type: string, label?: string): OutlineBlock[] {
  if (!parent) return [];
  return parent.blocks.filter((b) => b.type === type && (label === undefined || b.labels[0] === label));
}
