import { compare, dependsOn, elements, references, type TerraformElement, type TerraformJson } from "./terraform-json";

/** How one element comes to depend on another. */
export type EdgeKind = "reference" | "depends_on";

/** `from` depends on `to`: Terraform creates `to` first. */
export interface DependencyEdge {
  /** The dependent element's address. */
  readonly from: string;
  /** The address it depends on. */
  readonly to: string;
  /** A `${...}` reference, or an explicit `depends_on`. */
  readonly kind: EdgeKind;
  /** Arguments of `from` that hold the reference (`role`, `environment.variables.TABLE_NAME`), or `depends_on`. */
  readonly via: readonly string[];
}

/** The dependency graph of a stack: its resources and data sources, and the edges between them. */
export interface DependencyGraph {
  /** Every resource and data source, sorted by address. */
  readonly nodes: readonly TerraformElement[];
  /** One edge per (from, to, kind), sorted; references to things outside the stack (`var.x`) are left out. */
  readonly edges: readonly DependencyEdge[];
}

/** Builds the dependency graph from `${type.name.attr}` references (in any nested argument) and `depends_on`. */
export function dependencyGraph(json: TerraformJson): DependencyGraph {
  const nodes = elements(json);
  const known = new Set(nodes.map((n) => n.address));
  const edges = new Map<string, { from: string; to: string; kind: EdgeKind; via: Set<string> }>();
  const add = (from: string, to: string, kind: EdgeKind, via: string) => {
    if (!known.has(to)) return;
    const key = `${from}\0${to}\0${kind}`;
    const edge = edges.get(key) ?? { from, to, kind, via: new Set<string>() };
    edge.via.add(via);
    edges.set(key, edge);
  };
  for (const node of nodes) {
    for (const ref of references(node.body)) add(node.address, ref.address, "reference", ref.path);
    for (const target of dependsOn(node.body)) add(node.address, target, "depends_on", "depends_on");
  }
  const sorted = [...edges.values()]
    .map((e) => ({ from: e.from, to: e.to, kind: e.kind, via: [...e.via].sort(compare) }))
    .sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to) || compare(a.kind, b.kind));
  return { nodes, edges: sorted };
}
