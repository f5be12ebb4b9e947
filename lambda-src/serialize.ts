import type { NormalizedOrder } from "./types";

const quote = JSON.stringify;

/**
 * One NDJSON line (with its `\n`) for an order: the contract's keys in the contract's order. Built
 * by hand around `JSON.stringify` of each string, which is about twice as fast as stringifying the
 * nested object and gives the same text.
 */
export function orderLine(order: NormalizedOrder): string {
  let items = "";
  for (let i = 0; i < order.items.length; i++) {
    const item = order.items[i];
    items += `${i > 0 ? "," : ""}{"sku":${quote(item.sku)},"quantity":${item.quantity},"unitPrice":"${item.unitPrice}"}`;
  }
  const source = order.source;
  const position = "line" in source ? `"line":${source.line}` : `"index":${source.index}`;
  return `{"orderId":${quote(order.orderId)},"customerId":${quote(order.customerId)},"orderDate":"${order.orderDate}","currency":${quote(order.currency)},"items":[${items}],"total":"${order.total}","source":{"file":${quote(source.file)},${position}}}\n`;
}
