import type { OrderParser, OrderVisitor } from "../../lambda-src/parsers/types";
import { chunksOf } from "./pieces";
import type { OrderProblem, RawItem, RawOrder, SourcePosition } from "../../lambda-src/types";

/** What a parser handed over: an order (rebuilt as an object when it came field by field) or a rejection. */
export type Visited =
  | { readonly kind: "order"; readonly order: RawOrder; readonly position: SourcePosition; readonly itemLines?: readonly number[] }
  | { readonly kind: "rejected"; readonly problem: OrderProblem };

/** A visitor that keeps everything a parser hands over, in order, for tests of the parsers alone. */
export class CollectingVisitor implements OrderVisitor {
  readonly visited: Visited[] = [];
  private building: { order: RawOrder & { items: RawItem[] }; position: SourcePosition; itemLines: number[] } | undefined;

  order(order: RawOrder, position: SourcePosition, itemLines?: readonly number[]): void {
    this.visited.push({ kind: "order", order, position, ...(itemLines !== undefined ? { itemLines } : {}) });
  }

  begin(position: SourcePosition, orderId: string | undefined, customerId: string | undefined, orderDate: string | undefined, currency: string | undefined): void {
    this.building = { order: { orderId, customerId, orderDate, currency, items: [] }, position, itemLines: [] };
  }

  item(sku: string | undefined, quantity: string | undefined, unitPrice: string | undefined, line: number): void {
    this.building!.order.items.push({ sku, quantity, unitPrice });
    this.building!.itemLines.push(line);
  }

  end(problem?: OrderProblem): void {
    const { order, position, itemLines } = this.building!;
    this.building = undefined;
    this.visited.push(problem === undefined ? { kind: "order", order, position, itemLines } : { kind: "rejected", problem });
  }

  reject(problem: OrderProblem): void {
    this.visited.push({ kind: "rejected", problem });
  }

  async drain(): Promise<void> {}
}

/**
 * What `parse` made of the text in `pieces`, as one string to compare: `failed: <message>` when
 * it failed the file, else everything it handed over, as JSON.
 */
export async function parsedOutcome(parse: OrderParser, pieces: readonly string[]): Promise<string> {
  const visitor = new CollectingVisitor();
  try {
    await parse(chunksOf(pieces), visitor);
  } catch (error) {
    return `failed: ${(error as Error).message}`;
  }
  return JSON.stringify(visitor.visited);
}
