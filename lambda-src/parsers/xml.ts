import { SaxesParser } from "saxes";
import { MalformedFileError, RefusedXmlError } from "../errors";
import { LIMITS } from "../limits";
import { clip } from "../clip";
import { trimmed } from "../text";
import { fieldName, itemCountMessage } from "../validation";
import type { RawOrder } from "../types";
import type { OrderVisitor } from "./types";

const REFUSED = /<!(DOCTYPE|ENTITY)/;

/** An `<order>` being read: its fields' text, as the elements gave it. */
interface OrderDraft {
  readonly line: number;
  orderId?: string;
  customerId?: string;
  orderDate?: string;
  currency?: string;
  items?: ItemDraft[];
  itemCount: number;
  /** The first field element whose text is longer than `LIMITS.maxXmlFieldChars`: the order is refused for it. */
  longField?: { readonly name: string; readonly line: number; readonly item: number | undefined };
  /** The first field given only as an attribute (`<order orderId="A1">`): the order is refused for it. */
  attributeField?: { readonly element: string; readonly name: string; readonly line: number; readonly item: number | undefined };
}

const ORDER_FIELDS = ["orderId", "customerId", "orderDate", "currency"] as const;
const ITEM_FIELDS = ["sku", "quantity", "unitPrice"] as const;

/** The fields among `names` that `tag` has as attributes; undefined when none (the usual case). */
function fieldAttributes<T extends string>(tag: { readonly attributes: Readonly<Record<string, unknown>> }, names: readonly T[]): T[] | undefined {
  let found: T[] | undefined;
  for (const attribute in tag.attributes) {
    if ((names as readonly string[]).includes(attribute)) (found ??= []).push(attribute as T);
  }
  return found;
}

/** An `<item>` being read. */
interface ItemDraft {
  readonly line: number;
  sku?: string;
  quantity?: string;
  unitPrice?: string;
}

/** Which value a field element holds; 0 for any other element. */
const Field = { None: 0, OrderId: 1, CustomerId: 2, OrderDate: 3, Currency: 4, Sku: 5, Quantity: 6, UnitPrice: 7 } as const;
type Field = (typeof Field)[keyof typeof Field];

function orderField(name: string): Field {
  switch (name) {
    case "orderId":
      return Field.OrderId;
    case "customerId":
      return Field.CustomerId;
    case "orderDate":
      return Field.OrderDate;
    case "currency":
      return Field.Currency;
    default:
      return Field.None;
  }
}

function itemField(name: string): Field {
  switch (name) {
    case "sku":
      return Field.Sku;
    case "quantity":
      return Field.Quantity;
    case "unitPrice":
      return Field.UnitPrice;
    default:
      return Field.None;
  }
}

/**
 * Parses `<orders><order>...</order></orders>` with saxes, a streaming parser that never expands
 * DTD entities. Any DOCTYPE or entity declaration fails the file as soon as its chunk arrives,
 * before the parser sees it. Unknown elements are ignored; orders are numbered by the line of
 * their `<order>` tag. saxes holds each text node and tag whole, and a stack of the open
 * elements, so a node longer than `LIMITS.maxXmlNodeChars` or nesting deeper than
 * `LIMITS.maxNesting` fails the file, and memory stays bounded.
 */
export async function parseXml(text: AsyncIterable<string>, visitor: OrderVisitor): Promise<void> {
  const reader = new XmlOrderReader(visitor);
  for await (const chunk of text) {
    reader.write(chunk);
    await visitor.drain();
  }
  reader.close();
}

/** Reads orders from XML text chunk by chunk, one order's drafts at a time, for the visitor. */
class XmlOrderReader {
  private readonly parser = new SaxesParser({ position: true });
  private depth = 0;
  /** True while the open depth-3 element of the current order is `<items>`. */
  private inItems = false;
  private order: OrderDraft | undefined;
  private item: ItemDraft | undefined;
  /** The field element being read (its depth, its name and its line), and its text so far. */
  private field: Field = Field.None;
  private fieldDepth = 0;
  private fieldElement = "";
  private fieldLine = 0;
  private fieldText = "";
  private tagLine = 1;
  /** Fields the open `<order>` and `<item>` give as attributes, checked when they close. */
  private orderAttributes: (typeof ORDER_FIELDS)[number][] | undefined;
  private itemAttributes: (typeof ITEM_FIELDS)[number][] | undefined;
  /** Line ends seen in the chunks so far (for refused declarations), and the last chunk's tail. */
  private lines = 1;
  private carry = "";
  /** Characters written to the parser, and where (and on which line) the node being read began. */
  private written = 0;
  private nodeStart = 0;
  private nodeLine = 1;

  constructor(private readonly visitor: OrderVisitor) {
    const parser = this.parser;
    parser.on("doctype", () => {
      throw new RefusedXmlError("DOCTYPE", parser.line);
    });
    parser.on("opentagstart", () => {
      // saxes reports a tag once it has read the character after the name; when that was a line
      // end (column 0), the tag began on the line before.
      this.tagLine = parser.column === 0 ? parser.line - 1 : parser.line;
    });
    parser.on("opentag", (tag) => this.openTag(tag));
    parser.on("text", (value) => {
      // saxes reports a text node once it has read the `<` after it.
      this.nodeEnded(parser.position - 1);
      this.addText(value);
    });
    parser.on("cdata", (value) => {
      this.nodeEnded(parser.position);
      this.addText(value);
    });
    parser.on("closetag", () => this.closeTag());
  }

  /** Refuses a DOCTYPE or entity declaration in `chunk` before the parser sees it, then parses it. */
  write(chunk: string): void {
    // The previous chunk's tail with this one's start, then this chunk on its own: no copy of the whole chunk.
    const refused = (this.carry.length > 0 ? REFUSED.exec(this.carry + chunk.slice(0, 16)) : null) ?? REFUSED.exec(chunk);
    if (refused) {
      const before = refused.input.slice(0, refused.index);
      let line = this.lines;
      for (let at = before.indexOf("\n"); at >= 0; at = before.indexOf("\n", at + 1)) line++;
      throw new RefusedXmlError(refused[1] === "DOCTYPE" ? "DOCTYPE" : "entity declaration", line);
    }
    for (let at = chunk.indexOf("\n"); at >= 0; at = chunk.indexOf("\n", at + 1)) this.lines++;
    // The last 8 characters, of this chunk and the carry before it when the chunk is shorter.
    this.carry = chunk.length >= 8 ? chunk.slice(-8) : (this.carry + chunk).slice(-8);
    if (this.carry.includes("\n")) this.carry = this.carry.slice(this.carry.lastIndexOf("\n") + 1);
    write(this.parser, chunk);
    this.written += chunk.length;
    if (this.written - this.nodeStart > LIMITS.maxXmlNodeChars) throw nodeTooLong(this.nodeLine);
  }

  /** Ends the text: an unfinished document fails. */
  close(): void {
    write(this.parser, undefined);
  }

  /**
   * A tag, text node or CDATA section ended: the parser held it whole until now, and drops it
   * now. The next node starts here. A comment or processing instruction counts with the node
   * after it: a handler for them would make saxes about 4 times slower, as one more property
   * added to the parser turns it into a slow dictionary object.
   */
  private nodeEnded(end: number): void {
    if (end - this.nodeStart > LIMITS.maxXmlNodeChars) throw nodeTooLong(this.nodeLine);
    this.nodeStart = end;
    this.nodeLine = this.parser.line;
  }

  /** Starts reading the text of a field element found at the current depth, if `found` is one. */
  private startField(found: Field, name: string): void {
    this.field = found;
    if (found === Field.None) return;
    this.fieldDepth = this.depth;
    this.fieldElement = name;
    this.fieldLine = this.tagLine;
    this.fieldText = "";
  }

  private openTag(tag: { readonly name: string; readonly attributes: Readonly<Record<string, unknown>> }): void {
    const parser = this.parser;
    this.nodeEnded(parser.position);
    const depth = ++this.depth;
    if (depth > LIMITS.maxNesting) throw new MalformedFileError("XML", `elements nest more than ${LIMITS.maxNesting} levels deep on line ${parser.line}; orders need 5`);
    const name = tag.name;
    const order = this.order;
    if (depth === 1) {
      if (name !== "orders") throw new MalformedFileError("XML", `the root element is <${clip(name, LIMITS.maxIdLength)}>; use <orders>`);
    } else if (depth === 2) {
      if (name === "order") {
        this.order = { line: this.tagLine, orderId: undefined, customerId: undefined, orderDate: undefined, currency: undefined, items: undefined, itemCount: 0 };
        this.orderAttributes = fieldAttributes(tag, ORDER_FIELDS);
      }
    } else if (order === undefined) {
      // Outside an order: ignored.
    } else if (depth === 3) {
      if (name === "items") {
        order.items ??= [];
        this.inItems = true;
      } else if (this.field === Field.None) {
        this.startField(orderField(name), name);
      }
    } else if (depth === 4) {
      if (this.inItems && name === "item") {
        this.item = { line: this.tagLine, sku: undefined, quantity: undefined, unitPrice: undefined };
        this.itemAttributes = fieldAttributes(tag, ITEM_FIELDS);
      }
    } else if (depth === 5 && this.item !== undefined && this.field === Field.None) {
      this.startField(itemField(name), name);
    }
  }

  /** Keeps a field's text, up to the limit: an order with a longer field is refused unread, so each order's drafts stay small. */
  private addText(value: string): void {
    const order = this.order;
    if (this.field === Field.None || this.depth !== this.fieldDepth || order!.longField !== undefined) return;
    if (this.fieldText.length + value.length > LIMITS.maxXmlFieldChars) {
      order!.longField = { name: this.fieldElement, line: this.fieldLine, item: this.item === undefined ? undefined : order!.itemCount };
      this.fieldText = "";
    } else this.fieldText += value;
  }

  private closeTag(): void {
    this.nodeEnded(this.parser.position);
    const closed = this.depth--;
    const { order, item } = this;
    if (this.field !== Field.None && closed === this.fieldDepth) {
      if (order!.longField === undefined) setField(this.field, this.fieldText, order!, item);
      this.field = Field.None;
    } else if (item !== undefined && closed === 4) {
      const attribute = this.itemAttributes?.find((name) => item[name] === undefined);
      if (attribute !== undefined) order!.attributeField ??= { element: "item", name: attribute, line: item.line, item: order!.itemCount };
      order!.itemCount++;
      // The draft is the item: a RawItem's fields, and its line for `itemLines`.
      if (order!.items!.length <= LIMITS.maxItems) order!.items!.push(item);
      this.item = undefined;
    } else if (closed === 3) {
      this.inItems = false;
    } else if (order !== undefined && closed === 2) {
      const attribute = this.orderAttributes?.find((name) => order[name] === undefined);
      // An item's comes after the order's own: the order's fields come first in Errors too.
      if (attribute !== undefined) order.attributeField = { element: "order", name: attribute, line: order.line, item: undefined };
      visitOrder(this.visitor, order);
      this.order = undefined;
    }
  }
}

function nodeTooLong(line: number): MalformedFileError {
  return new MalformedFileError("XML", `the text or markup starting on line ${line} is longer than ${LIMITS.maxXmlNodeChars} characters; no order field is that long, so look there for a tag, comment or CDATA section that never closes`);
}

function write(parser: SaxesParser, chunk: string | undefined): void {
  try {
    if (chunk === undefined) parser.close();
    else parser.write(chunk);
  } catch (error) {
    if (error instanceof MalformedFileError || error instanceof RefusedXmlError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    // saxes names the tag or entity it stumbled on, which may be as long as the file allows.
    throw new MalformedFileError("XML", `${clip(detail.replace(/\.$/, ""), LIMITS.maxMessageLength)}; fix the markup at that line`);
  }
}

function setField(field: Field, text: string, order: OrderDraft, item: ItemDraft | undefined): void {
  switch (field) {
    case Field.OrderId:
      order.orderId = text;
      break;
    case Field.CustomerId:
      order.customerId = text;
      break;
    case Field.OrderDate:
      order.orderDate = text;
      break;
    case Field.Currency:
      order.currency = text;
      break;
    case Field.Sku:
      item!.sku = text;
      break;
    case Field.Quantity:
      item!.quantity = text;
      break;
    case Field.UnitPrice:
      item!.unitPrice = text;
      break;
  }
}

/** Why the order is refused whole, unread (a field too long or given as an attribute, too many items), if it is. */
function refusalOf(order: OrderDraft): { readonly field: string; readonly message: string } | undefined {
  const { longField, attributeField } = order;
  if (longField !== undefined) {
    return {
      field: fieldName(longField.name, longField.item ?? -1),
      message: `the <${longField.name}> on line ${longField.line} is longer than ${LIMITS.maxXmlFieldChars} characters; no order field is that long`,
    };
  }
  if (attributeField !== undefined) {
    const { element, name, line, item } = attributeField;
    return { field: fieldName(name, item ?? -1), message: `the <${element}> on line ${line} gives ${name} as an attribute; write it as an element, <${name}>...</${name}>` };
  }
  if (order.itemCount > LIMITS.maxItems) return { field: "items", message: itemCountMessage(order.itemCount) };
  return undefined;
}

function visitOrder(visitor: OrderVisitor, order: OrderDraft): void {
  const refusal = refusalOf(order);
  if (refusal !== undefined) {
    // Refused unread; its id still counts as seen.
    const position = { line: order.line };
    const orderId = order.orderId === undefined ? "" : trimmed(order.orderId);
    visitor.begin(position, order.orderId, order.customerId, order.orderDate, order.currency);
    visitor.end({ position, ...(orderId !== "" ? { orderId } : {}), ...refusal });
    return;
  }
  // The draft is the order: it has a RawOrder's fields (and some the validator does not read).
  const raw: RawOrder = order;
  visitor.order(raw, { line: order.line }, order.items?.map((item) => item.line));
}
