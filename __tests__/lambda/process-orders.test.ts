import { MalformedFileError } from "../../lambda-src/errors";
import { LIMITS } from "../../lambda-src/limits";
import { processOrders } from "../../lambda-src/pipeline";
import { OrderTally } from "../../lambda-src/tally";
import type { SupportedFormat } from "../../lambda-src/types";
import { csvText, jsonText, ndjsonText, type TestOrder, testOrder, xmlText } from "../helpers/lambda-orders";
import { chunksOf, piecesOf } from "../helpers/pieces";

/** Runs the pure path over `text`: the output's order ids and the tally's errors, as "position field: message". */
async function run(format: SupportedFormat, text: string): Promise<{ written: string[]; errors: string[] }> {
  const tally = new OrderTally();
  const lines: string[] = [];
  const decoder = new TextDecoder();
  await processOrders({
    body: chunksOf(piecesOf(text, 4096).map((piece) => new TextEncoder().encode(piece))),
    format,
    fileName: `incoming/orders.${format}`,
    maxBytes: 1 << 30,
    tally,
    sink: { write: (ndjson) => void lines.push(...decoder.decode(ndjson).split("\n").filter((line) => line !== "")) },
  });
  return {
    written: lines.map((line) => (JSON.parse(line) as { orderId: string }).orderId),
    errors: tally.errors.map((error) => `${"line" in error.position ? error.position.line : error.position.index} ${error.field ?? "-"}: ${error.message}`),
  };
}

/** Like `run`, with the output lines parsed. */
async function runLines(format: SupportedFormat, text: string): Promise<{ lines: { orderId: string; items: unknown[]; source?: unknown }[]; errors: string[] }> {
  const tally = new OrderTally();
  const blocks: Uint8Array[] = [];
  await processOrders({ body: chunksOf([new TextEncoder().encode(text)]), format, fileName: `incoming/orders.${format}`, maxBytes: 1 << 30, tally, sink: { write: (ndjson) => void blocks.push(ndjson.slice()) } });
  const lines = Buffer.concat(blocks).toString("utf8").split("\n").filter((line) => line !== "");
  return { lines: lines.map((line) => JSON.parse(line) as { orderId: string; items: unknown[] }), errors: tally.errors.map((error) => error.message) };
}

/** The same orders written in each format. */
function inEveryFormat(orders: readonly TestOrder[]): [SupportedFormat, string][] {
  return [
    ["csv", csvText(orders)],
    ["json", jsonText(orders)],
    ["ndjson", ndjsonText(orders)],
    ["xml", xmlText(orders)],
  ];
}

const HEADER = "order_id,customer_id,order_date,currency,sku,quantity,unit_price";
const row = (id: string, customer = "C1"): string => `${id},${customer},2025-07-10,EUR,S1,1,1.00`;
const duplicate = (id: string): string => `orderId "${id}" already appeared earlier in the file; give every order its own orderId`;

describe("the same orders in every format", () => {
  it("write the same normalized orders and find the same problems, whether the parser feeds an order whole or row by row", async () => {
    // CSV feeds the validator row by row (begin, item, finish); JSON, NDJSON and XML hand it whole orders (check).
    const orders = [
      testOrder({ orderId: " A1 ", currency: "eur", orderDate: "2025-07-10T10:00:00+02:00" }),
      testOrder({ orderId: "A2", currency: "eu", items: [{ sku: "", quantity: "0", unitPrice: "1.999" }, { sku: "b", quantity: "2", unitPrice: "3" }] }),
      testOrder({ orderId: "A3", orderDate: "2025-07-10T10:00" }),
      testOrder({ orderId: "A1" }),
      testOrder({ orderId: "A4", items: [{ sku: " s ", quantity: " 3 ", unitPrice: " 0.10 " }, { sku: "t", quantity: "1000000", unitPrice: "99999999999999.99" }] }),
    ];
    const seen = inEveryFormat(orders).map(async ([format, text]) => {
      const { lines, errors } = await runLines(format, text);
      return { format, lines: lines.map(({ source: _source, ...order }) => order), errors };
    });
    const [csv, ...others] = await Promise.all(seen);
    expect(csv.lines.map((order) => order.orderId)).toEqual(["A1", "A4"]);
    expect(csv.errors).toHaveLength(6);
    for (const other of others) expect(other).toEqual({ ...csv, format: other.format });
  });
});

describe("an order the parser refuses as a whole", () => {
  it("still counts its id as seen in CSV, when its rows disagree or it has too many items", async () => {
    const tooMany = Array.from({ length: LIMITS.maxItems + 1 }, () => row("A2")).join("\n");
    const text = [HEADER, row("A1"), row("A1", "C2"), tooMany, row("B1"), row("A1"), row("A2")].join("\n");
    const { written, errors } = await run("csv", text);
    const afterTooMany = 4 + LIMITS.maxItems + 1;
    expect(written).toEqual(["B1"]);
    expect(errors).toEqual([
      `2 customerId: customer_id "C2" on line 3 differs from "C1" on line 2; rows of one order must agree`,
      `4 items: the order has ${LIMITS.maxItems + 1} items; give ${LIMITS.minItems} to ${LIMITS.maxItems}`,
      `${afterTooMany + 1} orderId: ${duplicate("A1")}`,
      `${afterTooMany + 2} orderId: ${duplicate("A2")}`,
    ]);
  });

  it("reports its order-level problems beside the refusal, alike in every format", async () => {
    // Too many items and a bad currency: each format reports both, and no item problem.
    const items = Array.from({ length: LIMITS.maxItems + 1 }, (_, i) => ({ sku: `S${i}`, quantity: i === 0 ? 0 : 1, unitPrice: "1.00" }));
    const orders = [testOrder({ orderId: "A1", currency: "DOLLARS", items }), testOrder({ orderId: "B1" })];
    const expected = [
      'currency: currency "DOLLARS" is not a three-letter code; use an ISO 4217 code such as USD',
      `items: the order has ${LIMITS.maxItems + 1} items; give ${LIMITS.minItems} to ${LIMITS.maxItems}`,
    ];
    for (const [format, text] of inEveryFormat(orders)) {
      const { written, errors } = await run(format, text);
      expect({ format, written, errors: errors.map((error) => error.replace(/^\d+ /, "")) }).toEqual({ format, written: ["B1"], errors: expected });
    }
  });

  it("reports the first row's problems beside its rows' disagreement, but not the refused field's", async () => {
    const text = [HEADER, "A1,C1,2025-07-10,EURO,S1,1,1.00", "A1,C2,2025-07-10,EURO,S2,0,abc", row("B1")].join("\n");
    expect((await run("csv", text)).errors).toEqual([
      '2 currency: currency "EURO" is not a three-letter code; use an ISO 4217 code such as USD',
      '2 customerId: customer_id "C2" on line 3 differs from "C1" on line 2; rows of one order must agree',
    ]);
  });

  it("names its id clipped in the errors kept, however long the file made it", () => {
    // A refused order's id is the file's text, unvalidated: a 100,000-character one would break DynamoDB's 400 KB item limit.
    const tally = new OrderTally();
    const id = (length: number): string => "L".repeat(length);
    for (const length of [100_000, LIMITS.maxIdLength + 4, LIMITS.maxIdLength + 3]) tally.reject([{ position: { line: 2 }, orderId: id(length), field: "customerId", message: "rows disagree" }]);
    expect(tally.errors.map((error) => error.orderId)).toEqual([`${id(LIMITS.maxIdLength)}...`, `${id(LIMITS.maxIdLength)}...`, id(LIMITS.maxIdLength + 3)]);
  });

  it("still counts its id as seen in XML, when it has too many items, and names the id", async () => {
    const item = "<item><sku>S1</sku><quantity>1</quantity><unitPrice>1.00</unitPrice></item>";
    const order = (id: string, items: number): string =>
      `<order><orderId> ${id} </orderId><customerId>C1</customerId><orderDate>2025-07-10</orderDate><currency>EUR</currency><items>${item.repeat(items)}</items></order>\n`;
    const text = `<orders>\n${order("A1", LIMITS.maxItems + 1)}${order("B1", 1)}${order("A1", 1)}</orders>`;
    const { written, errors } = await run("xml", text);
    expect(written).toEqual(["B1"]);
    expect(errors).toEqual([`2 items: the order has ${LIMITS.maxItems + 1} items; give ${LIMITS.minItems} to ${LIMITS.maxItems}`, `4 orderId: ${duplicate("A1")}`]);
  });
});

describe("the rows of one CSV order", () => {
  it("agree when their order-level fields normalize alike, and not otherwise", async () => {
    const text = [
      HEADER,
      "A1,C1,2025-07-10,usd,S1,1,1.00",
      "A1,C1 ,2025-07-10T02:00:00+02:00,USD,S2,2,1.50",
      "B1,C1,2025-07-10,EUR,S1,1,1.00",
      "B1,C1,2025-07-11,EUR,S2,1,1.00",
      // Upper-cases to USD, but is no currency code.
      "C1,C1,2025-07-10,USD,S1,1,1.00",
      "C1,C1,2025-07-10,uſd,S2,1,1.00",
    ].join("\n");
    const { written, errors } = await run("csv", text);
    expect(written).toEqual(["A1"]);
    expect(errors).toEqual([
      `4 orderDate: order_date "2025-07-11" on line 5 differs from "2025-07-10" on line 4; rows of one order must agree`,
      `6 currency: currency "uſd" on line 7 differs from "USD" on line 6; rows of one order must agree`,
    ]);
  });
});

describe("a CSV quoted field that runs on", () => {
  it("fails the file, naming the row's line, instead of taking in the rows after it", async () => {
    const text = [HEADER, row("A1"), `A2,C1,2025-07-10,EUR,"S2,1,1.00`, row("A3"), row("A4"), ""].join("\n");
    await expect(run("csv", text)).rejects.toThrow(
      new MalformedFileError("CSV", "the row on line 3 opens a quoted field that never closes, so it takes in every line after it; add the closing double quote"),
    );
  });

  it("fails the file when text after a closing quote makes the field run on over the rows after it", async () => {
    const text = [HEADER, row("A1"), `A2,C1,2025-07-10,EUR,"S2" x,1,1.00`, row("A3"), ""].join("\n");
    await expect(run("csv", text)).rejects.toThrow(
      "the row on line 3 has text right after the closing quote of a field, so the field takes in every line after it; quote the whole field, or remove that text",
    );
  });

  it.each([
    ["text after a closing quote", `A2,C1,2025-07-10,EUR,"S2" x,1,1.00`],
    ["a quote that never closes", `A2,C1,2025-07-10,EUR,"S2,1,1.00`],
  ])("fails the file when %s runs on to a later row's quote, however the file is cut", async (_case, broken) => {
    // The field would end at the quote of A3's sku and could pass validation, losing A3 silently.
    const text = [HEADER, row("A1"), broken, `A3,C1,2025-07-10,EUR,"S3",1,1.00`, row("A4"), ""].join("\n");
    const reason = "the row on line 3 has a quoted field that runs on into the lines after it, taking them in (a quote that never closes, or text right after a closing quote); fix that row's quotes";
    for (let size = 1; size <= text.length; size += 7) {
      const tally = new OrderTally();
      const failure = processOrders({
        body: chunksOf(piecesOf(text, size).map((piece) => new TextEncoder().encode(piece))),
        format: "csv",
        fileName: "incoming/orders.csv",
        maxBytes: 1 << 20,
        tally,
        sink: { write: () => undefined },
      });
      await expect(failure).rejects.toThrow(new MalformedFileError("CSV", reason));
    }
  });

  it("leaves the file alone when the field's row is the last line: no other row is taken in, and the field's value decides", async () => {
    const trailingText = await run("csv", [HEADER, row("A1"), `A2,C1,2025-07-10,EUR,S2,1,"1.00" `].join("\n"));
    expect(trailingText).toEqual({ written: ["A1"], errors: [expect.stringMatching(/^3 items\[0\]\.unitPrice: items\[0\]\.unitPrice is "1\.00\" "/)] });
    // The quote is still open at the end of the file: the field is the rest of it, "1.00".
    expect((await run("csv", [HEADER, row("A1"), `A2,C1,2025-07-10,EUR,S2,1,"1.00`].join("\n"))).written).toEqual(["A1", "A2"]);
  });

  it("refuses the last row's order when its quote never closes and takes in the fields after it, saying so", async () => {
    const text = [HEADER, row("A1"), `A2,C1,2025-07-10,EUR,"S2,1,1.00`].join("\n");
    expect(await run("csv", text)).toEqual({
      written: ["A1"],
      errors: ["3 -: the row on line 3 opens a quoted field that never closes, so the fields after it run into it; add the closing double quote"],
    });
  });

  it("leaves a last row alone whose open quote takes in no column the order needs, even if it leaves off optional ones", async () => {
    const text = [`${HEADER},note`, `${row("A1")},n`, `A2,C1,2025-07-10,EUR,S2,1,"1.00`].join("\n");
    expect(await run("csv", text)).toEqual({ written: ["A1", "A2"], errors: [] });
  });

  it("refuses a last row whose open quote takes the optional columns after a needed one into it", async () => {
    const reordered = "order_id,customer_id,order_date,currency,quantity,unit_price,sku,note";
    const text = [reordered, "A1,C1,2025-07-10,EUR,1,1.00,S1,n", 'A2,C1,2025-07-10,EUR,1,1.00,"S2,gift wrap please'].join("\n");
    expect(await run("csv", text)).toEqual({
      written: ["A1"],
      errors: ["3 -: the row on line 3 opens a quoted field that never closes, so the fields after it run into it; add the closing double quote"],
    });
  });

  it("leaves quoted fields that close, line ends inside them included, alone", async () => {
    const text = [HEADER, row("A1"), `A2,C1,2025-07-10,EUR,"S2\nsecond line",1,1.00`, row("A3")].join("\n");
    expect((await run("csv", text)).written).toEqual(["A1", "A2", "A3"]);
  });
});

describe("CSV line ends", () => {
  it("end rows at LF and CRLF alike, so a file joined from two systems loses no order", async () => {
    // Told the file was CRLF, the parser once read A2's LF as part of its ignored last column,
    // taking A3 into it: the file succeeded without A3.
    const withNote = (id: string): string => `${row(id)},note ${id}`;
    const text = `${HEADER},note\r\n${withNote("A1")}\r\n${withNote("A2")}\n${withNote("A3")}\r\n${withNote("A4")}\r\n`;
    expect(await run("csv", text)).toEqual({ written: ["A1", "A2", "A3", "A4"], errors: [] });
    expect(await run("csv", `${HEADER}\r\n${row("B1")}\n${row("B2")}\n${row("B3")}\n`)).toEqual({ written: ["B1", "B2", "B3"], errors: [] });
  });

  it("leave no CR in a CRLF row's last value or in the messages about it", async () => {
    const text = `${HEADER}\r\nA1,C1,2025-07-10,EUR,S1,1,abc\r\n${row("A2")}\r\n`;
    expect(await run("csv", text)).toEqual({ written: ["A2"], errors: ['2 items[0].unitPrice: items[0].unitPrice is "abc"; give a non-negative amount with at most 2 decimals, such as 12.50'] });
  });

  it("fail a file whose lines end with CR alone, saying so, instead of missing its columns", async () => {
    const headerCr = (line: number): MalformedFileError =>
      new MalformedFileError("CSV", `the header row on line ${line} ends with CR alone, as lines of an old Mac export do, so the line after it runs into it; save the file with LF or CRLF line ends`);
    const crOnly = `${HEADER}\r${row("A1")}\r${row("A2")}\r`;
    await expect(run("csv", crOnly)).rejects.toThrow(headerCr(1));
    const long = `${HEADER}\r${`${row("A1")}\r`.repeat(Math.ceil(LIMITS.maxCsvRowChars / 30))}`;
    await expect(run("csv", long)).rejects.toThrow(headerCr(1));
    // Only the header ends with CR alone, after a blank line.
    await expect(run("csv", `\n${HEADER}\r${row("A1")}\n${row("A2")}\n`)).rejects.toThrow(headerCr(2));
  });
});

describe("the item limit", () => {
  it("writes an order of exactly 1000 items whole, in every format", async () => {
    const items = Array.from({ length: LIMITS.maxItems }, (_, i) => ({ sku: `S${i}`, quantity: 1, unitPrice: "1.00" }));
    const orders = [testOrder({ orderId: "K1", items }), testOrder({ orderId: "K2" })];
    for (const [format, text] of inEveryFormat(orders)) {
      const { lines, errors } = await runLines(format, text);
      expect({ format, errors, items: lines.map((line) => line.items.length) }).toEqual({ format, errors: [], items: [1000, 2] });
    }
  });
});

describe("CSV rows without an order id", () => {
  it("are orders of their own, each rejected, even when two follow each other", async () => {
    const text = [HEADER, row(""), row(""), row("A1")].join("\n");
    expect(await run("csv", text)).toEqual({ written: ["A1"], errors: ["2 orderId: orderId is empty; give a value", "3 orderId: orderId is empty; give a value"] });
  });

  it("are read under a header in any case", async () => {
    expect((await run("csv", [HEADER.toUpperCase().replace("ORDER_ID", "Order_Id"), row("A1")].join("\n"))).written).toEqual(["A1"]);
  });
});

describe("XML refusals", () => {
  it("refuse an entity declaration even without a DOCTYPE", async () => {
    await expect(run("xml", '<!ENTITY x "y">\n<orders/>')).rejects.toThrow("The XML contains an entity declaration on line 1, which is refused (no DTDs or entities); remove it.");
  });

  it("refuse a declaration spread over tiny chunks, naming it and its line however the text is cut", async () => {
    const text = '<orders>\n<order><orderId>A1</orderId></order>\n<!ENTITY x "y">\n</orders>';
    const at = text.indexOf("<!ENTITY");
    for (const cuts of [[at + 1, at + 4], [at + 2, at + 3], [at + 1, at + 2, at + 3, at + 5, at + 7]]) {
      const pieces = [0, ...cuts].map((from, i) => text.slice(from, [...cuts, text.length][i]));
      const failure = processOrders({ body: chunksOf(pieces.map((piece) => new TextEncoder().encode(piece))), format: "xml", fileName: "incoming/x.xml", maxBytes: 1 << 30, tally: new OrderTally(), sink: { write: () => undefined } });
      await expect(failure).rejects.toThrow("The XML contains an entity declaration on line 3, which is refused");
    }
  });

  it("name a refused order by its trimmed id", async () => {
    const item = "<item><sku>S1</sku><quantity>1</quantity><unitPrice>1.00</unitPrice></item>";
    const text = `<orders><order><orderId> A1 </orderId><customerId>C1</customerId><orderDate>2025-07-10</orderDate><currency>EUR</currency><items>${item.repeat(LIMITS.maxItems + 1)}</items></order></orders>`;
    const tally = new OrderTally();
    await expect(processOrders({ body: chunksOf([new TextEncoder().encode(text)]), format: "xml", fileName: "incoming/x.xml", maxBytes: 1 << 30, tally, sink: { write: () => undefined } })).rejects.toThrow();
    expect(tally.errors.map((error) => error.orderId)).toEqual(["A1"]);
  });
});

describe("an item's position in the errors", () => {
  const order = (id: string, item: string): string => `{"orderId":"${id}","customerId":"C1","orderDate":"2025-07-10","currency":"EUR","items":[${item}]}`;
  const badItem = (extra: string): string => `{"sku":"S","quantity":"x","unitPrice":"1"${extra}}`;
  const valid = order("V", '{"sku":"S","quantity":1,"unitPrice":"1"}');

  it("is the order's, in JSON and NDJSON, whatever line field the partner's item carries", async () => {
    for (const extra of [',"line":7', ',"line":-1.5', ',"line":1e400']) {
      const json = await run("json", `[${order("A1", badItem(extra))}, ${order("A2", badItem(""))}, ${valid}]`);
      expect(json.errors.map((error) => error.split(" ")[0])).toEqual(["0", "1"]);
      const ndjson = await run("ndjson", `${order("A1", badItem(extra))}\n\n${order("A2", badItem(""))}\n${valid}\n`);
      expect(ndjson.errors.map((error) => error.split(" ")[0])).toEqual(["1", "3"]);
    }
  });

  it("is the <item> tag's line in XML, also when an attribute or a line end follows the tag's name", async () => {
    const fields = (id: string): string => `<orderId>${id}</orderId><customerId>C1</customerId><orderDate>2025-07-10</orderDate><currency>EUR</currency>`;
    const item = (open: string, quantity = "x"): string => `${open}<sku>S</sku><quantity>${quantity}</quantity><unitPrice>1</unitPrice></item>`;
    const text = [
      "<orders>",
      "<order",
      ` status="new">${fields("A1")}`,
      "<items>",
      item("<item\n>"),
      item("<item\r\n  kind='x'>"),
      "</items></order>",
      `<order>${fields("V")}<items>${item("<item>", "1")}</items></order></orders>`,
    ].join("\n");
    const { errors } = await run("xml", text);
    expect(errors.map((error) => error.split(" ")[0])).toEqual(["5", "7"]);
    const { lines } = await runLines("xml", text.replace(/<quantity>x/g, "<quantity>1"));
    expect(lines[0].source).toMatchObject({ line: 2 });
  });
});

describe("a JSON file's leading blanks", () => {
  it("are JSON's own whitespace only: a no-break space fails the file wherever the chunks are cut", async () => {
    const text = '\u00a0[{"orderId":"A1"}]';
    for (const pieces of [[text], ["\u00a0", text.slice(1)]]) {
      const failure = processOrders({ body: chunksOf(pieces.map((piece) => new TextEncoder().encode(piece))), format: "json", fileName: "incoming/j.json", maxBytes: 1 << 30, tally: new OrderTally(), sink: { write: () => undefined } });
      await expect(failure).rejects.toThrow('The JSON is malformed: it starts with "\u00a0"; give an array of orders or an object with an "orders" array');
    }
  });
});

describe("a JSON syntax error", () => {
  const order = (id: string): string => JSON.stringify(testOrder({ orderId: id }));
  const many = Array.from({ length: 100 }, (_, i) => order(`M${i}`)).join(",\n");

  it.each([
    ["single quotes", "[{'orderId':'A1'}]", "at line 1, column 3 it has a single quote; JSON strings and names take double quotes"],
    ["a trailing comma, far into the file", `[\n${many},\n]`, "at line 102, column 1 it has a comma right before a closing bracket or brace; JSON allows no trailing comma, so remove it"],
    ["a comment", `[\n// the first\n${order("A1")}]`, "at line 2, column 1 it has a slash outside a string; JSON has no comments, so remove them"],
    ["a name without quotes, after text with multi-byte characters", '[{"ü":"é", orderId: "A1"}]', 'at line 1, column 12 it has a bare word starting with "o"; JSON names and text take double quotes, and other values are numbers, true, false or null'],
    ["a missing comma", `[${order("A1")} ${order("A2")}]`, `at line 1, column ${order("A1").length + 3} it has a value where a comma or a closing bracket or brace belongs; separate values with commas, and write numbers without leading zeros`],
    ["a missing colon", '{"orders" []}', 'at line 1, column 11 it has no colon after a name; write "name": value'],
  ])("says where and how to fix it: %s", async (_case, text, reason) => {
    await expect(run("json", text)).rejects.toThrow(`The JSON is malformed: ${reason}.`);
  });

  it("counts columns across chunks on a long line, however the file is cut", async () => {
    const minified = `[${Array.from({ length: 100 }, (_, i) => order(`M${i}`)).join(",")}, x]`;
    const column = minified.indexOf(" x") + 2;
    for (const size of [7, 100, 4096, minified.length]) {
      const failure = processOrders({ body: chunksOf(piecesOf(minified, size).map((piece) => new TextEncoder().encode(piece))), format: "json", fileName: "incoming/m.json", maxBytes: 1 << 30, tally: new OrderTally(), sink: { write: () => undefined } });
      await expect(failure).rejects.toThrow(`at line 1, column ${column} it has a bare word starting with "x"`);
    }
  });

  it("places a token that began in the chunk before, on any line: a string cut by a chunk's end", async () => {
    // A missing comma before "customerId": the parser reports the string where a comma belongs, at its start.
    const text = `[\n${order("A0")},\n  {"orderId":"A1" "customerId":"C1"}]`;
    const at = text.indexOf('"customerId":"C1"');
    const column = at - text.lastIndexOf("\n", at);
    for (const cut of [at + 1, at + 5, at + 12]) {
      const pieces = [text.slice(0, cut), text.slice(cut)];
      const failure = processOrders({ body: chunksOf(pieces.map((piece) => new TextEncoder().encode(piece))), format: "json", fileName: "incoming/m.json", maxBytes: 1 << 30, tally: new OrderTally(), sink: { write: () => undefined } });
      await expect(failure).rejects.toThrow(`at line 3, column ${column} it has a value where a comma or a closing bracket or brace belongs`);
    }
  });

  it("counts characters, not UTF-16 units, in columns, and says what is wrong inside strings and numbers", async () => {
    await expect(run("json", '[{"orderId":"😀😀","customerId":"C1" "x":1}]')).rejects.toThrow("at line 1, column 36 it has a value where a comma");
    await expect(run("json", '["A\\x1"]')).rejects.toThrow("at line 1, column 5 it has the escape \\x in a string; JSON escapes only");
    await expect(run("json", "[-x]")).rejects.toThrow("at line 1, column 3 it has a number that ends too soon");
    await expect(run("json", "[tru]")).rejects.toThrow("it has a misspelled true, false or null");
    await expect(run("json", '["A\\é"]')).rejects.toThrow("at line 1, column 5 it has a backslash before a non-ASCII character in a string");
  });

  it("says where a document ends wrongly too", async () => {
    await expect(run("json", "[1 2")).rejects.toThrow("The JSON is malformed: at line 1, column 4 it has a value where a comma or a closing bracket or brace belongs");
  });
});

describe("a name given twice", () => {
  it("fails a CSV whose header names a column more than once, saying which columns", async () => {
    await expect(run("csv", `${HEADER},note,unit_price\n${row("A1")},n,2.00\n`)).rejects.toThrow(
      new MalformedFileError("CSV", "its header names unit_price more than once (columns 7 and 9), so which one holds the value is unclear; keep one"),
    );
  });

  it("fails a JSON object with two orders arrays, which would number two orders 0", async () => {
    const order = (id: string): string => JSON.stringify(testOrder({ orderId: id }));
    await expect(run("json", `{"orders":[${order("D1")}],"batch":7,"orders":[${order("D2")}]}`)).rejects.toThrow(
      new MalformedFileError("JSON", 'the object has "orders" twice; give one "orders" array with every order in it'),
    );
  });
});

describe("a CSV with a space before a quoted field", () => {
  it("reads a quoted header name after a space, and refuses a row whose value would keep its quotes", async () => {
    const header = HEADER.replace(",customer_id,", ', "customer_id",');
    const text = [header, row("A1"), 'A2, "C1",2025-07-10,EUR,S1,1,1.00', "A3,C1,2025-07-10,EUR,S1,1, \"2.00\"", row("A4"), ""].join("\n");
    expect(await run("csv", text)).toEqual({
      written: ["A1", "A4"],
      errors: [
        '3 customerId: customer_id on line 3 has a space before its opening quote, so the quotes would be part of the value; remove the space after the comma',
        '4 items[0].unitPrice: unit_price on line 4 has a space before its opening quote, so the quotes would be part of the value; remove the space after the comma',
      ],
    });
  });
});

describe("CSV quoting and line ends, second round", () => {
  const QUOTE_TEXT = "has text right after the closing quote of a field, so the quotes would be part of the value; quote the whole field, or remove that text";
  const SPACE = "has a space before its opening quote, so the quotes would be part of the value; remove the space after the comma";

  it("fails a file whose data lines end with CR alone after an LF header, instead of dropping orders", async () => {
    const text = `${HEADER},note\n${row("A1")},\r${row("A2")},\r`;
    await expect(run("csv", text)).rejects.toThrow("line 2 ends with CR alone, so the line after it runs into it; end every line with LF or CRLF");
  });

  it("refuses an order whose quote closes before the field ends, on one line", async () => {
    const text = [HEADER, 'A1,"C1"x,y",2025-07-10,EUR,S1,1,1.00', row("A2")].join("\n");
    expect(await run("csv", text)).toEqual({ written: ["A2"], errors: [`2 -: the row on line 2 ${QUOTE_TEXT}`] });
  });

  it("names a space before a quote in a later row instead of a disagreement", async () => {
    const text = [`${HEADER},note`, `${row("A1")},n`, 'A1, "C1",2025-07-10,EUR,S2,1,1.00,n', row("C1")].join("\n");
    expect(await run("csv", text)).toEqual({ written: ["C1"], errors: [`2 customerId: customer_id on line 3 ${SPACE}`] });
  });

  it("names a space before a quote in an ignored column when the comma in it shifts the needed columns after it", async () => {
    const header = HEADER.replace("order_id,", "order_id,note,");
    const text = [header, 'B1, "gift, wrap",C1,2025-07-10,EUR,S1,1,1.00', "C1,n,C1,2025-07-10,EUR,S1,1,1.00"].join("\n");
    expect(await run("csv", text)).toEqual({ written: ["C1"], errors: [`2 -: column 2 on line 2 ${SPACE}`] });
  });

  it("reports an open quote on the last line alone, not the fields it swallowed", async () => {
    const text = [HEADER, row("A1"), 'A2,"C1,2025-07-10,EUR,S1,1,1.00'].join("\n");
    expect((await run("csv", text)).errors).toEqual(["3 -: the row on line 3 opens a quoted field that never closes, so the fields after it run into it; add the closing double quote"]);
  });

  it("fails CR-only line ends even when the joined rows have no more fields than the header", async () => {
    const text = `${HEADER},a,b,c,d,e,f,g\n${row("A1")}\r${row("A2")}\n${row("A3")}\n`;
    await expect(run("csv", text)).rejects.toThrow("line 2 ends with CR alone, so the line after it runs into it; end every line with LF or CRLF");
  });

  it("reads a CR inside quotes as data: a CRLF in a row with extra columns, a lone CR in a row of the header's width", async () => {
    // (A lone CR in a row wider than the header fails the file: that is how two lines joined at a CR look.)
    const crlfNote = `${HEADER},note\r\n${row("A1")},"line one\r\nline two",\r\n${row("A2")},n\r\n`;
    const loneCr = `${HEADER},note\n${row("A1")},"a\rb"\n${row("A2")},n\n`;
    expect(await run("csv", crlfNote)).toEqual({ written: ["A1", "A2"], errors: [] });
    expect(await run("csv", loneCr)).toEqual({ written: ["A1", "A2"], errors: [] });
  });

  it("ignores a lone quote on the last line, and quoted values in ignored columns at the end of a row", async () => {
    const reordered = "order_id,customer_id,order_date,currency,quantity,unit_price,sku";
    expect(await run("csv", [reordered, 'A1,C1,2025-07-10,USD,1,1.00,"Widget, large"', '"'].join("\n"))).toEqual({ written: ["A1"], errors: [] });
    expect(await run("csv", [`${HEADER},note`, `${row("A1")}," ""Rush"" please"`].join("\n"))).toEqual({ written: ["A1"], errors: [] });
  });

  it("names an open quote in a header with no rows after it, instead of missing columns", async () => {
    await expect(run("csv", HEADER.replace(",order_date,", ',"order_date,'))).rejects.toThrow(
      "the header row on line 1 opens a quoted field that never closes, so the names after it run into it; add the closing double quote",
    );
  });

  it("reads a header name quoted after a space with spaces inside the quotes", async () => {
    expect((await run("csv", [HEADER.replace(",sku,", ', " sku ",'), row("A1")].join("\n"))).written).toEqual(["A1"]);
  });

  it("keeps the fix in messages that quote long values or many columns", async () => {
    const many = `${HEADER}${",unit_price".repeat(4)}`;
    await expect(run("csv", `${many}\n${row("A1")}\n`)).rejects.toThrow("its header names unit_price more than once (columns 7, 8, 9 and 2 more), so which one holds the value is unclear; keep one");
    const long = "C".repeat(400);
    const { errors } = await run("csv", [HEADER, row("A1"), row("A1", long), row("B1")].join("\n"));
    expect(errors).toEqual([`2 customerId: customer_id "${"C".repeat(40)}..." on line 3 differs from "C1" on line 2; rows of one order must agree`]);
  });
});

describe("a file a spreadsheet or a hand saved the usual wrong way", () => {
  it("fails a CSV separated by semicolons or tabs, saying so and how to save it", async () => {
    for (const [separator, name] of [
      [";", "semicolons"],
      ["\t", "tabs"],
      ["|", "vertical bars"],
    ]) {
      const text = `${HEADER.replace(/,/g, separator)}\n${row("A1").replace(/,/g, separator)}\n`;
      await expect(run("csv", text)).rejects.toThrow(
        `The CSV is malformed: its header row is separated by ${name}, not commas; save it as CSV with commas between the columns (${HEADER}).`,
      );
    }
  });

  it("rejects an XML order that gives its fields as attributes, saying to write them as elements", async () => {
    const fields = "<customerId>C1</customerId><orderDate>2025-07-10</orderDate><currency>EUR</currency>";
    const text = [
      "<orders>",
      `<order orderId="A1">${fields}<items><item><sku>S1</sku><quantity>1</quantity><unitPrice>1.00</unitPrice></item></items></order>`,
      `<order><orderId>A2</orderId>${fields}<items><item><sku>S1</sku><quantity>1</quantity><unitPrice>1.00</unitPrice></item><item sku="S2" quantity="1"><unitPrice>1.00</unitPrice></item><item sku="S3"><quantity>1</quantity><unitPrice>1.00</unitPrice></item></items></order>`,
      // The order's own fields come first.
      `<order orderId="A4">${fields}<items><item sku="S1"><quantity>1</quantity><unitPrice>1.00</unitPrice></item></items></order>`,
      // An attribute beside the element is only ignored.
      `<order orderId="X"><orderId>A3</orderId>${fields}<items><item><sku>S1</sku><quantity>1</quantity><unitPrice>1.00</unitPrice></item></items></order>`,
      "</orders>",
    ].join("\n");
    const { written, errors } = await run("xml", text);
    expect(written).toEqual(["A3"]);
    expect(errors).toEqual([
      "2 orderId: the <order> on line 2 gives orderId as an attribute; write it as an element, <orderId>...</orderId>",
      "3 items[1].sku: the <item> on line 3 gives sku as an attribute; write it as an element, <sku>...</sku>",
      "4 orderId: the <order> on line 4 gives orderId as an attribute; write it as an element, <orderId>...</orderId>",
    ]);
  });

  it("fails a JSON file holding one order object, saying to put it in an array", async () => {
    const order = { orderId: "A1", customerId: "C1", orderDate: "2025-07-10", currency: "EUR", items: [{ sku: "S1", quantity: 1, unitPrice: "1.00" }] };
    await expect(run("json", JSON.stringify(order))).rejects.toThrow('the object has no "orders" array; it looks like a single order: put it in an array, [ {...} ], or in { "orders": [ {...} ] }');
    await expect(run("json", JSON.stringify({ data: [order] }))).rejects.toThrow('the object has no "orders" array; put the orders in "orders".');
  });
});
