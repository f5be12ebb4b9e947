import { LIMITS } from "../../lambda-src/limits";
import { parseCsv } from "../../lambda-src/parsers/csv";
import { parsedOutcome } from "../helpers/collecting-visitor";
import { randomPieces } from "../helpers/pieces";
import { seededRandom } from "../helpers/random";

/**
 * The CSV reader carries state from chunk to chunk (the unfinished row, papaparse's cursor, line
 * numbers, whether a quote was seen, a CR that may be half of a CRLF), so its outcome must not
 * depend on where the body's chunks happen to be cut. Random documents with the shapes partners
 * send, and the usual mistakes, are read whole and cut at random places: every order, rejection,
 * line number and failure message must come out the same.
 */
describe("parseCsv, whatever the chunking", () => {
  // Reproducible documents and cuts.
  const random = seededRandom(29);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number): boolean => random() < p;

  const COLUMNS = ["order_id", "customer_id", "order_date", "currency", "sku", "quantity", "unit_price"];

  /** A field as written: quoted when it must be, sometimes when it need not be. */
  function field(value: string): string {
    const quote = /[",\r\n]/.test(value) || chance(0.2);
    return quote ? `"${value.replace(/"/g, '""')}"` : value;
  }

  /** A value with what makes CSV hard: commas, quotes, line ends inside quotes, non-ASCII, padding. */
  const value = (): string => pick(["A1", "x,y", 'say "hi"', "two\nlines", "crlf\r\ninside", "mac\rnote", "é€", "😀", "", "  pad  ", "B-2"]);

  /** A field that breaks the quoting rules: text after the closing quote, a space before the opening one. */
  const badField = (): string => pick(['"C1"x', ' "C1"', '"a""b"c']);

  interface Document {
    readonly text: string;
    /** Whether every row is well formed, so the whole text must not fail. */
    readonly clean: boolean;
  }

  function document(): Document {
    let clean = true;
    const header = [...COLUMNS, ...(chance(0.3) ? ["note"] : [])].sort(() => random() - 0.5);
    const names = header.map((name) => {
      const written = chance(0.3) ? ` ${name.toUpperCase()} ` : name;
      return chance(0.2) ? `"${written}"` : written;
    });
    const lines: string[] = [names.join(",")];
    const orders = Math.floor(random() * 5);
    for (let n = 0; n < orders; n++) {
      const order: Record<string, string> = {
        order_id: pick([`O${n}`, `O${n}`, value()]),
        customer_id: value(),
        order_date: pick(["2025-07-10", "2025-07-10T14:30:00+02:00", "not a date"]),
        currency: pick(["USD", "usd", "EU"]),
      };
      const items = 1 + Math.floor(random() * 3);
      for (let i = 0; i < items; i++) {
        const row: Record<string, string> = { ...order, sku: value(), quantity: pick(["1", "2", "0", "x"]), unit_price: pick(["1.00", "2.5", "-1"]), note: value() };
        // A later row of the order that disagrees with its first.
        if (i > 0 && chance(0.1)) row.currency = "GBP";
        let written = header.map((name) => field(row[name]));
        if (chance(0.05)) {
          written = written.map((text, at) => (at === Math.floor(random() * written.length) ? badField() : text));
          clean = false;
        }
        lines.push(written.join(","));
        if (chance(0.1)) lines.push(pick(["", "   "]));
      }
    }
    let text = "";
    for (let at = 0; at < lines.length; at++) {
      const last = at === lines.length - 1;
      text += lines[at];
      if (!last || chance(0.7)) {
        const lineEnd = chance(0.03) ? "\r" : pick(["\n", "\r\n"]);
        if (lineEnd === "\r") clean = false;
        text += lineEnd;
      }
    }
    if (chance(0.05)) {
      text += `${pick(COLUMNS)},"never closes,1\n`;
      clean = false;
    }
    return { text, clean };
  }

  const outcome = (pieces: readonly string[]): Promise<string> => parsedOutcome(parseCsv, pieces);

  it("reads a CR inside a quoted field as data even when a chunk of the body falls wholly inside the field", async () => {
    // Network chunks can be a few KiB and a quoted note up to LIMITS.maxCsvRowChars: the middle
    // chunk here holds a CR and no quote, so only what came before can tell it is data.
    const header = `${COLUMNS.join(",")},note`;
    const text = `${header}\nA1,C1,2025-07-10,USD,S1,1,1.00,"first\rsecond\rthird"\nA2,C1,2025-07-10,USD,S1,1,1.00,n\n`;
    const opening = text.indexOf('"first') + 3;
    const pieces = [text.slice(0, opening), text.slice(opening, opening + 10), text.slice(opening + 10)];
    expect(pieces[1]).toBe("rst\rsecond");
    const visited = JSON.parse(await outcome(pieces)) as { order: { orderId: string } }[];
    expect(visited.map((entry) => entry.order.orderId)).toEqual(["A1", "A2"]);
  });

  it("fails a file whose lines end with CR alone the same way wherever the chunks are cut, naming the line", async () => {
    const header = COLUMNS.join(",");
    const text = `${header}\nA1,C1,2025-07-10,USD,S1,1,1.00\nA2,C1,2025-07-10,USD,S1,1,1.00\rA3,C1,2025-07-10,USD,S1,1,1.00\r`;
    const message = "failed: The CSV is malformed: line 3 ends with CR alone, so the line after it runs into it; end every line with LF or CRLF.";
    const cr = text.indexOf("\r");
    // Whole, cut right after the CR (the next chunk decides), and cut right before it.
    for (const cuts of [[], [cr + 1], [cr]]) {
      const pieces = [0, ...cuts].map((from, i) => text.slice(from, [...cuts, text.length][i]));
      expect(await outcome(pieces)).toBe(message);
    }
    // On a line already longer than the limit, the length is the first problem, cut or not.
    const long = `${header}\nA1,C1,2025-07-10,USD,S1,1,${"1".repeat(LIMITS.maxCsvRowChars)}\rA2,C1,2025-07-10,USD,S1,1,1.00\n`;
    const longCr = long.indexOf("\r");
    for (const cuts of [[], [longCr], [longCr + 1], [longCr - 10, longCr + 1]]) {
      const pieces = [0, ...cuts].map((from, i) => long.slice(from, [...cuts, long.length][i]));
      expect(await outcome(pieces)).toMatch(/^failed: The CSV is malformed: the row on line 2 is longer than 1048576 characters/);
    }
    // A CR that only ends the file is its last line end.
    expect(await outcome([`${header}\nA1,C1,2025-07-10,USD,S1,1,1.00\r`, ""])).toMatch(/"orderId":"A1"/);
  });

  it("reads the same orders, rejections and line numbers from random documents cut anywhere as from the whole text", async () => {
    let failed = 0;
    let rejected = 0;
    for (let n = 0; n < 400; n++) {
      const { text, clean } = document();
      const whole = await outcome([text]);
      if (clean) expect({ text, whole }).toEqual({ text, whole: expect.not.stringMatching(/^failed/) });
      if (whole.startsWith("failed")) failed++;
      if (whole.includes('"rejected"')) rejected++;
      for (const longest of [3, 40]) {
        expect({ text, cut: await outcome(randomPieces(text, random, longest)) }).toEqual({ text, cut: whole });
      }
    }
    // The documents must exercise both kinds of outcome, or the comparison proves little.
    expect(failed).toBeGreaterThan(10);
    expect(rejected).toBeGreaterThan(50);
  });
});
