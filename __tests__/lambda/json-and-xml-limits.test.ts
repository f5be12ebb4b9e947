import { MalformedFileError } from "../../lambda-src/errors";
import { LIMITS } from "../../lambda-src/limits";
import { parseJson } from "../../lambda-src/parsers/json";
import { parseXml } from "../../lambda-src/parsers/xml";
import type { OrderParser } from "../../lambda-src/parsers/types";
import { CollectingVisitor, parsedOutcome } from "../helpers/collecting-visitor";
import { chunksOf, counted, piecesOf, randomPieces } from "../helpers/pieces";
import { seededRandom } from "../helpers/random";

/** Pieces of these sizes: smaller than, about, and larger than the limits. */
const PIECE_SIZES = [16_384, 65_536, 1 << 21];

/** What a parser made of `text` cut into `pieceChars` pieces: the failure's message, or the order ids and rejections. */
async function outcome(parse: OrderParser, text: string, pieceChars: number): Promise<string | string[]> {
  const visitor = new CollectingVisitor();
  try {
    await parse(chunksOf(piecesOf(text, pieceChars)), visitor);
  } catch (error) {
    return (error as Error).message;
  }
  return visitor.visited.map((entry) => (entry.kind === "order" ? String(entry.order.orderId) : entry.problem.message));
}

/** Parses `text` in 64 KiB pieces: it must fail with `message` after about `limit` characters, pulling no more pieces than that takes. */
async function expectFailsEarly(parse: OrderParser, text: string, message: string, limit: number): Promise<void> {
  const pulled = { count: 0 };
  const failure = parse(counted(piecesOf(text, 65_536), pulled), new CollectingVisitor());
  await expect(failure).rejects.toBeInstanceOf(MalformedFileError);
  await expect(failure).rejects.toThrow(message);
  expect(pulled.count).toBeLessThanOrEqual(Math.ceil(limit / 65_536) + 2);
}

const jsonOrder = (id: string, noteBytes = 0): string => JSON.stringify({ orderId: id, note: "n".repeat(noteBytes) });

describe("parseJson element limit", () => {
  const elementTooLong = (index: number): string =>
    `The JSON is malformed: element ${index} is longer than ${LIMITS.maxJsonElementBytes} bytes; no order is that large, so look in it for a string that never ends.`;

  it("fails an element longer than the limit, naming its index, wherever the chunks are cut", async () => {
    // An element of exactly the limit, counted between the commas around it, and one byte more.
    const overhead = jsonOrder("B").length;
    const long = `[${jsonOrder("A")},${jsonOrder("B", LIMITS.maxJsonElementBytes - overhead + 1)},${jsonOrder("C")}]`;
    const fits = `[${jsonOrder("A")},${jsonOrder("B", LIMITS.maxJsonElementBytes - overhead)},${jsonOrder("C")}]`;
    for (const pieceChars of PIECE_SIZES) {
      expect(await outcome(parseJson, long, pieceChars)).toBe(elementTooLong(1));
      expect(await outcome(parseJson, fits, pieceChars)).toEqual(["A", "B", "C"]);
    }
  });

  it("counts UTF-8 bytes, not characters", async () => {
    // 600 Ki two-byte characters: within the limit in characters, past it in bytes.
    const wide = JSON.stringify({ orderId: "W", note: "é".repeat(600 * 1024) });
    expect(await outcome(parseJson, `{"orders": [${jsonOrder("A")}, ${wide}]}`, 65_536)).toBe(elementTooLong(1));
  });

  it("fails a huge string after about the limit, without reading the rest of it", async () => {
    const text = `[${jsonOrder("A")}, {"orderId": "B", "note": "${"n".repeat(8 * LIMITS.maxJsonElementBytes)}"}]`;
    await expectFailsEarly(parseJson, text, elementTooLong(1), LIMITS.maxJsonElementBytes);
  });

  it("fails a string beside the orders longer than the limit, before or after them, and reads many small fields beside them", async () => {
    const reason = (at: number): string =>
      `The JSON is malformed: the value at byte ${at}, outside the orders array, is longer than ${LIMITS.maxJsonElementBytes} bytes; keep beside "orders" only small fields.`;
    const long = "m".repeat(LIMITS.maxJsonElementBytes);
    const orders = `[${jsonOrder("A")}, ${jsonOrder("B")}]`;
    // Small values the parser drops once read, together far more than the limit.
    const audit = `[${Array.from({ length: 30_000 }, (_, i) => JSON.stringify({ entry: i, note: "n".repeat(20) })).join(",")}]`;
    for (const pieceChars of PIECE_SIZES) {
      expect(await outcome(parseJson, `{"before": "${long}", "orders": ${orders}}`, pieceChars)).toBe(reason(11));
      const after = `{"orders": ${orders}, "after": "${long}"}`;
      expect(await outcome(parseJson, after, pieceChars)).toBe(reason(after.indexOf(`"m`)));
      expect(await outcome(parseJson, `{"audit": ${audit}, "orders": ${orders}, "more": ${audit}}`, pieceChars)).toEqual(["A", "B"]);
    }
  });

  it(`fails arrays and objects nested more than ${LIMITS.maxNesting} deep, and reads orders with deep fields within it`, async () => {
    const nested = (levels: number): string => `${"[".repeat(levels)}${"]".repeat(levels)}`;
    // The root array, the order object, and the note's arrays.
    const deepest = `[{"orderId": "A", "note": ${nested(LIMITS.maxNesting - 2)}}]`;
    const tooDeep = `[{"orderId": "A", "note": ${nested(LIMITS.maxNesting - 1)}}]`;
    expect(await outcome(parseJson, deepest, 65_536)).toEqual(["A"]);
    expect(await outcome(parseJson, tooDeep, 65_536)).toBe(
      `The JSON is malformed: arrays and objects nest more than ${LIMITS.maxNesting} levels deep at line 1, column ${tooDeep.indexOf("[", 1) + LIMITS.maxNesting - 1}; orders need at most 5.`,
    );
  });
});

const xmlOrder = (id: string, line = ""): string => `<order><orderId>${id}</orderId>${line}</order>\n`;

describe("parseXml node limit", () => {
  const nodeTooLong = (line: number): string =>
    `The XML is malformed: the text or markup starting on line ${line} is longer than ${LIMITS.maxXmlNodeChars} characters; no order field is that long, so look there for a tag, comment or CDATA section that never closes.`;

  it("fails a text node, tag, comment or CDATA section longer than the limit, naming its line, wherever the chunks are cut", async () => {
    const fill = (chars: number): string => "n".repeat(chars);
    // Each node at exactly the limit, and one character more; a comment counts with the tag after it.
    const cases = [
      (chars: number) => `<note>${fill(chars)}</note>`,
      (chars: number) => `<note text="${fill(chars - '<note text=""/>'.length)}"/>`,
      (chars: number) => `<!--${fill(chars - "<!---->".length - "</order>".length)}-->`,
      (chars: number) => `<note><![CDATA[${fill(chars - "<![CDATA[]]>".length)}]]></note>`,
    ];
    for (const node of cases) {
      const long = `<orders>\n${xmlOrder("A")}${xmlOrder("B", node(LIMITS.maxXmlNodeChars + 1))}${xmlOrder("C")}</orders>`;
      const fits = `<orders>\n${xmlOrder("A")}${xmlOrder("B", node(LIMITS.maxXmlNodeChars))}${xmlOrder("C")}</orders>`;
      for (const pieceChars of PIECE_SIZES) {
        expect(await outcome(parseXml, long, pieceChars)).toBe(nodeTooLong(3));
        expect(await outcome(parseXml, fits, pieceChars)).toEqual(["A", "B", "C"]);
      }
    }
  });

  it("fails a comment that never closes after about the limit, without reading the rest of the file", async () => {
    const text = `<orders>\n${xmlOrder("A")}<!-- never closed\n${xmlOrder("B").repeat((4 * LIMITS.maxXmlNodeChars) / 40)}</orders>`;
    await expectFailsEarly(parseXml, text, nodeTooLong(3), LIMITS.maxXmlNodeChars);
  });

  it("refuses an order with a field longer than its limit, also one made of many short text nodes, and reads the next", async () => {
    const padded = (chars: number): string => `5${" ".repeat(chars - 1)}`;
    const item = (quantity: string): string => `<items><item><sku>S</sku><quantity>${quantity}</quantity><unitPrice>1.00</unitPrice></item></items>`;
    const text = [
      "<orders>\n",
      xmlOrder("A", item(padded(LIMITS.maxXmlFieldChars))),
      // Text cut by comments: the pieces count together.
      xmlOrder("B", item(`${padded(LIMITS.maxXmlFieldChars)}<!---->0`)),
      xmlOrder("C", item("1")),
      "</orders>",
    ].join("");
    const visitor = new CollectingVisitor();
    await parseXml(chunksOf(piecesOf(text, 1000)), visitor);
    expect(visitor.visited.map((entry) => (entry.kind === "order" ? [String(entry.order.orderId), (entry.order.items as { quantity: string }[])[0].quantity.length] : [entry.problem.orderId, entry.problem.field, entry.problem.message]))).toEqual([
      ["A", LIMITS.maxXmlFieldChars],
      ["B", "items[0].quantity", `the <quantity> on line 3 is longer than ${LIMITS.maxXmlFieldChars} characters; no order field is that long`],
      ["C", 1],
    ]);
  });

  it(`fails elements nested more than ${LIMITS.maxNesting} deep, and reads orders with deep unknown elements within it`, async () => {
    const nested = (levels: number): string => `${"<x>".repeat(levels)}${"</x>".repeat(levels)}`;
    // <orders>, <order>, and the unknown elements.
    const deepest = `<orders>\n${xmlOrder("A", nested(LIMITS.maxNesting - 2))}</orders>`;
    const tooDeep = `<orders>\n${xmlOrder("A", nested(LIMITS.maxNesting - 1))}</orders>`;
    expect(await outcome(parseXml, deepest, 65_536)).toEqual(["A"]);
    expect(await outcome(parseXml, tooDeep, 65_536)).toBe(`The XML is malformed: elements nest more than ${LIMITS.maxNesting} levels deep on line 2; orders need 5.`);
  });
});

describe("parseJson and parseXml, whatever the chunking", () => {
  // Reproducible documents and cuts.
  const random = seededRandom(11);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const word = (): string => pick(["A1", "é", "x y", '"q"', "€", "😀", "", "  pad  ", "a\\b", "<&>"]);

  it("reads the same orders from random documents cut anywhere as from the whole text", async () => {
    for (let n = 0; n < 150; n++) {
      const orders = Array.from({ length: Math.floor(random() * 4) }, () => ({
        orderId: word(),
        note: pick([null, 1.5, [1, [2, {}]], { a: word() }, word()]),
        items: Array.from({ length: 1 + Math.floor(random() * 2) }, () => ({ sku: word(), quantity: pick([1, "2", 3.5]), unitPrice: pick(["1.00", 2]) })),
      }));
      const extra = { meta: { tags: [word(), word()] }, count: orders.length };
      const json = pick([JSON.stringify(orders, null, pick([0, 1])), JSON.stringify({ ...extra, orders, after: [word()] }), JSON.stringify({ orders, ...extra })]);
      const escape = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
      const xml = `<orders>\n${orders
        .map(
          (order) =>
            `<order><!-- ${word().replace(/-/g, "")} --><orderId>${pick([escape(order.orderId), `<![CDATA[${order.orderId.replace(/]]>/g, "")}]]>`])}</orderId><note a="${escape(word()).replace(/"/g, "&quot;")}"><x/></note><items>${order.items
              .map((item) => `<item><sku>${escape(item.sku)}</sku><quantity>${String(item.quantity)}</quantity><unitPrice>${String(item.unitPrice)}</unitPrice></item>`)
              .join("\n")}</items></order>`,
        )
        .join("\n")}\n</orders>`;
      for (const [parse, text] of [
        [parseJson, json],
        [parseXml, xml],
      ] as const) {
        const whole = await parsedOutcome(parse, [text]);
        expect(whole).not.toMatch(/^failed/);
        expect({ text, visited: await parsedOutcome(parse, randomPieces(text, random)) }).toEqual({ text, visited: whole });
      }
    }
  });
});
