import { compare, type TerraformJson } from "./terraform-json";
import { dependencyGraph, type DependencyEdge } from "./graph";

/**
 * Guardrail 1: no dependency cycle among the stack's resources and data sources. Terraform refuses
 * to plan a cycle ("Error: Cycle: ..."), which the seed project met between its bucket, role,
 * function and permission. Each cycle is reported once, as the path `a -> b -> a`, with the
 * argument that makes each step.
 */
export function checkNoCycles(json: TerraformJson): string[] {
  const graph = dependencyGraph(json);
  const out = new Map<string, DependencyEdge[]>();
  for (const edge of graph.edges) out.set(edge.from, [...(out.get(edge.from) ?? []), edge]);

  return stronglyConnected(graph.nodes.map((n) => n.address), (a) => (out.get(a) ?? []).map((e) => e.to))
    .filter((component) => component.length > 1 || (out.get(component[0]) ?? []).some((e) => e.to === component[0]))
    .map((component) => {
      const path = shortestCycle(component, out);
      const steps = path.slice(0, -1).map((from, i) => describeStep(from, path[i + 1], out));
      return (
        `dependency cycle ${path.join(" -> ")} (${steps.join("; ")}): Terraform cannot order these resources ` +
        `and fails with "Error: Cycle". Break one step: drop a depends_on that is not needed, or move the ` +
        `link into a separate resource that depends on both ends (as aws_s3_bucket_notification and ` +
        `aws_lambda_permission do for a bucket and its function)`
      );
    });
}

function describeStep(from: string, to: string, out: Map<string, DependencyEdge[]>): string {
  const edges = (out.get(from) ?? []).filter((e) => e.to === to);
  const reference = edges.find((e) => e.kind === "reference");
  return reference ? `${from}.${reference.via[0]} references ${to}` : `${from} depends_on ${to}`;
}

/** Tarjan's algorithm; components come out with sorted members, in order of their first member. */
function stronglyConnected(nodes: readonly string[], next: (node: string) => string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component.sort(compare));
    }
  };
  for (const node of nodes) if (!index.has(node)) visit(node);
  return components.sort((a, b) => compare(a[0], b[0]));
}

/** The shortest cycle through the component's first member, as a path that ends where it starts. */
function shortestCycle(component: readonly string[], out: Map<string, DependencyEdge[]>): string[] {
  const start = component[0];
  const members = new Set(component);
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const { to } of out.get(v) ?? []) {
      if (to === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(parent.get(path[0])!);
        return [...path, start];
      }
      if (members.has(to) && !parent.has(to)) {
        parent.set(to, v);
        queue.push(to);
      }
    }
  }
  return [start, start];
}
