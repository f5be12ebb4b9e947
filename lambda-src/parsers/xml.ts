import { SaxesParser } from "saxes";
import { MalformedFileError, RefusedXmlError } from "../errors";
import { LIMITS } from "../limits";
import type { RawItem, RawOrder } from "../types";
import type { ParsedEntry } from "./types";

const ORDER_FIELDS = new Set(["orderId", "customerId", "orderDate", "currency"]);
const ITEM_FIELDS = new Set(["sku", "quantity", "unitPrice"]);
const REFUSED = /<!(DOCTYPE|ENTITY)/;

interface OrderDraft {
  readonly line: number;
  readonly fields: Record<string, string>;
  items?: RawItem[];
  itemCount: number;
}

/**
 * Parses `<orders><order>...</order></orders>` with saxes, a streaming parser that never expands
 * DTD entities. Any DOCTYPE or entity declaration fails the file as soon as its chunk arrives,
 * before the parser sees it. Unknown elements are ignored; orders are numbered by the line of
 * their `<order>` tag.
 */
export async function* parseXml(text: AsyncIterable<string>): AsyncGenerator<readonly ParsedEntry[], void, undefined> {
  const parser = new SaxesParser({ position: true });
  const path: string[] = [];
  let batch: ParsedEntry[] = [];
  let order: OrderDraft | undefined;
  let item: { line: number; fields: Record<string, string> } | undefined;
  let field: { name: string; depth: number; text: string } | undefined;
  let tagLine = 1;
  let lines = 1;
  let carry = "";

  parser.on("doctype", () => {
    throw new RefusedXmlError("DOCTYPE", parser.line);
  });
  parser.on("opentagstart", () => {
    tagLine = parser.line;
  });
  parser.on("opentag", (tag) => {
    path.push(tag.name);
    const depth = path.length;
    if (depth === 1 && tag.name !== "orders") throw new MalformedFileError("XML", `the root element is <${tag.name}>; use <orders>`);
    if (depth === 2 && tag.name === "order") order = { line: tagLine, fields: {}, itemCount: 0 };
    else if (order !== undefined && depth === 3 && tag.name === "items") order.items ??= [];
    else if (order?.items !== undefined && depth === 4 && path[2] === "items" && tag.name === "item") item = { line: tagLine, fields: {} };
    else if (order !== undefined && field === undefined && ((depth === 3 && ORDER_FIELDS.has(tag.name)) || (item !== undefined && depth === 5 && ITEM_FIELDS.has(tag.name)))) {
      field = { name: tag.name, depth, text: "" };
    }
  });
  const onText = (value: string): void => {
    if (field !== undefined && path.length === field.depth) field.text += value;
  };
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.on("closetag", () => {
    const depth = path.length;
    path.pop();
    if (field !== undefined && depth === field.depth) {
      (item ?? order)!.fields[field.name] = field.text;
      field = undefined;
    } else if (item !== undefined && depth === 4) {
      order!.itemCount++;
      if (order!.items!.length <= LIMITS.maxItems) order!.items!.push({ sku: item.fields.sku, quantity: item.fields.quantity, unitPrice: item.fields.unitPrice, line: item.line });
      item = undefined;
    } else if (order !== undefined && depth === 2) {
      batch.push(toEntry(order));
      order = undefined;
    }
  });

  for await (const chunk of text) {
    const refused = REFUSED.exec(carry + chunk);
    if (refused) {
      const before = (carry + chunk).slice(0, refused.index);
      let line = lines;
      for (let at = before.indexOf("\n"); at >= 0; at = before.indexOf("\n", at + 1)) line++;
      throw new RefusedXmlError(refused[1] === "DOCTYPE" ? "DOCTYPE" : "entity declaration", line);
    }
    for (let at = chunk.indexOf("\n"); at >= 0; at = chunk.indexOf("\n", at + 1)) lines++;
    carry = chunk.slice(-8);
    if (carry.includes("\n")) carry = carry.slice(carry.lastIndexOf("\n") + 1);
    write(parser, chunk);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  write(parser, undefined);
  if (batch.length > 0) yield batch;
}

function write(parser: SaxesParser, chunk: string | undefined): void {
  try {
    if (chunk === undefined) parser.close();
    else parser.write(chunk);
  } catch (error) {
    if (error instanceof MalformedFileError || error instanceof RefusedXmlError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new MalformedFileError("XML", `${detail.replace(/\.$/, "")}; fix the markup at that line`);
  }
}

function toEntry(order: OrderDraft): ParsedEntry {
  if (order.itemCount > LIMITS.maxItems) {
    return { kind: "rejected", problem: { position: { line: order.line }, field: "items", message: `the order has ${order.itemCount} items; give ${LIMITS.minItems} to ${LIMITS.maxItems}` } };
  }
  const raw: RawOrder = {
    orderId: order.fields.orderId,
    customerId: order.fields.customerId,
    orderDate: order.fields.orderDate,
    currency: order.fields.currency,
    items: order.items,
  };
  return { kind: "order", order: raw, position: { line: order.line } };
}
