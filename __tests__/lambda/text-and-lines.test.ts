import Papa from "papaparse";
import { gzipSync } from "node:zlib";
import { InvalidEncodingError, MalformedFileError } from "../../lambda-src/errors";
import { LIMITS } from "../../lambda-src/limits";
import { CsvRowReader, parseCsv } from "../../lambda-src/parsers/csv";
import { parseNdjson } from "../../lambda-src/parsers/ndjson";
import { parseXml } from "../../lambda-src/parsers/xml";
import { codePoints, decodeText, firstInvalidUtf8, isBlank, trimmed } from "../../lambda-src/text";
import { CollectingVisitor } from "../helpers/collecting-visitor";
import { chunksOf, counted, piecesOf } from "../helpers/pieces";
import { seededRandom } from "../helpers/random";

async function decoded(chunks: readonly number[][]): Promise<string> {
  let text = "";
  for await (const piece of decodeText(chunksOf(chunks.map((c) => Uint8Array.from(c))), 1 << 20)) text += piece;
  return text;
}

const bytes = (text: string): number[] => [...Buffer.from(text, "utf8")];

describe("decodeText", () => {
  it("drops a leading BOM only, also when later chunks are ASCII", async () => {
    expect(await decoded([[0xef, 0xbb, 0xbf, ...bytes("ab")], bytes("cd"), bytes("\uFEFFe")])).toBe("abcd\uFEFFe");
  });

  it("keeps a BOM that starts a later chunk after ASCII chunks", async () => {
    expect(await decoded([bytes("ab"), bytes("cd"), bytes("\uFEFFe"), bytes("f")])).toBe("abcd\uFEFFef");
  });

  it("keeps a BOM that starts a later chunk when the body begins with an empty chunk", async () => {
    expect(await decoded([[], bytes("ab"), bytes("\uFEFFc")])).toBe("ab\uFEFFc");
  });

  it("joins characters split across chunks, before ASCII chunks", async () => {
    const euro = bytes("€"); // 3 bytes
    const emoji = bytes("😀"); // 4 bytes
    expect(await decoded([bytes("a"), [euro[0]], [euro[1]], [euro[2], 0x62], bytes("c"), [...bytes("d"), ...emoji.slice(0, 3)], [emoji[3]], bytes("e")])).toBe("a€bcd😀e");
  });

  it("reads a body of exactly the maximum size, and fails one byte more, naming both sizes", async () => {
    const read = async (size: number): Promise<string> => {
      let text = "";
      for await (const piece of decodeText(chunksOf([Uint8Array.from(bytes("x".repeat(size)))]), 10)) text += piece;
      return text;
    };
    expect(await read(10)).toBe("x".repeat(10));
    await expect(read(11)).rejects.toThrow("The file has 11 bytes, more than the limit of 10; split it into smaller files.");
  });

  it("fails invalid UTF-8 anywhere, also a character cut off at the end", async () => {
    await expect(decoded([bytes("ab"), [0x61, 0xff], bytes("c")])).rejects.toBeInstanceOf(InvalidEncodingError);
    await expect(decoded([bytes("ab"), bytes("c"), [0xe2, 0x82]])).rejects.toBeInstanceOf(InvalidEncodingError);
    await expect(decoded([bytes("ab"), [0xe2, 0x82], bytes("c")])).rejects.toBeInstanceOf(InvalidEncodingError);
  });

  it("names a gzip file, a ZIP archive and UTF-16 text by their first bytes, saying how to save them", async () => {
    const utf16 = (text: string, encoding: "utf16le" | "utf16be"): number[] => {
      const le = [...Buffer.from(`\uFEFF${text}`, "utf16le")];
      // Node has no utf16be encoder: swap each pair of the little-endian bytes.
      return encoding === "utf16le" ? le : le.map((_, i) => le[i ^ 1]);
    };
    const cases: [number[], RegExp][] = [
      [[...gzipSync("order_id,customer_id\nA1,C1\n")], /^The file is gzip-compressed, not UTF-8 text; upload it uncompressed/],
      [[0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0xff, 0xfe], /^The file is a ZIP archive \(an Excel workbook is one\), not UTF-8 text; export or save it as CSV UTF-8/],
      [utf16("order_id,customer_id\n", "utf16le"), /^The file is UTF-16 text \(it starts with a UTF-16 byte-order mark\); save it as UTF-8\.$/],
      [utf16("order_id,customer_id\n", "utf16be"), /^The file is UTF-16 text/],
    ];
    for (const [file, reason] of cases) {
      // Whole, or two bytes at a time: a body's first chunk is kilobytes, and two bytes name each kind.
      await expect(decoded([file])).rejects.toThrow(reason);
      await expect(decoded(file.flatMap((_byte, i) => (i % 2 === 0 ? [file.slice(i, i + 2)] : [])))).rejects.toThrow(reason);
    }
    // Other bad bytes are named by their offset, as before.
    await expect(decoded([[0x1f, 0x61, 0xff]])).rejects.toThrow("(its first bad byte is at offset 2, counting from 0)");
  });

  it("hands over the text before a bad byte first, so a problem earlier in the file is reported first", async () => {
    const pieces: string[] = [];
    const read = async (): Promise<void> => {
      for await (const piece of decodeText(chunksOf([Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes("ab€"), 0xff, ...bytes("cd")])]), 1 << 20)) pieces.push(piece);
    };
    await expect(read()).rejects.toThrow("(its first bad byte is at offset 8, counting from 0)");
    expect(pieces).toEqual(["ab€"]);
    // A malformed XML start before the bad byte is what the partner hears about, as with smaller chunks.
    const xml = [...bytes("<orders><order></orders>"), 0xff];
    for (const size of [1, 7, xml.length]) {
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < xml.length; at += size) chunks.push(Uint8Array.from(xml.slice(at, at + size)));
      await expect(parseXml(decodeText(chunksOf(chunks), 1 << 20), new CollectingVisitor())).rejects.toBeInstanceOf(MalformedFileError);
    }
  });

  it.each([
    ["a Latin-1 letter after ASCII", [...bytes("x".repeat(99)), 0xe9, ...bytes("y".repeat(25))], 99],
    ["a bad first byte", [0xff, 0x61, 0x00, 0x62, 0x00], 0],
    ["a bad second byte after multi-byte letters", [...bytes("a€"), 0xe2, 0x28, 0xa1, ...bytes("bc")], 4],
    ["an overlong form", [...bytes("xyz"), 0xc0, 0xaf], 3],
    ["a surrogate", [...bytes("é"), 0xed, 0xa0, 0x80, ...bytes("z")], 2],
    ["a character cut off by the end", [...bytes("ab😀"), 0xf0, 0x9f], 6],
  ])("says where the first bad byte is, wherever the chunks are cut: %s", async (_case, file, offset) => {
    for (let size = 1; size <= file.length; size++) {
      const chunks: number[][] = [];
      for (let at = 0; at < file.length; at += size) chunks.push(file.slice(at, at + size));
      await expect(decoded(chunks)).rejects.toThrow(`(its first bad byte is at offset ${offset}, counting from 0)`);
    }
  });
});

describe("codePoints", () => {
  it("counts characters as [...text] does: a surrogate pair as one, a lone surrogate of either half as one", () => {
    for (const text of ["abc", "😀😀", "a\udc00b", "\udc00".repeat(65), "\ud800".repeat(3), "\udc00\ud800", "😀\udc00", "é€😀"]) {
      expect([text, codePoints(text)]).toEqual([text, [...text].length]);
    }
    // A range that starts inside a pair counts the low half it starts with.
    expect(codePoints("😀x", 1)).toBe(2);
  });
});

describe("firstInvalidUtf8", () => {
  const EDGES = [0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff];

  it("finds a bad sequence exactly when TextDecoder refuses the bytes", () => {
    // Short random strings of the bytes at the edges of UTF-8's ranges.
    const random = seededRandom(7);
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const disagreements: number[][] = [];
    for (let n = 0; n < 20_000; n++) {
      const sample = Uint8Array.from({ length: 1 + Math.floor(random() * 6) }, () => EDGES[Math.floor(random() * EDGES.length)]);
      let valid = true;
      try {
        decoder.decode(sample);
      } catch {
        valid = false;
      }
      if ((firstInvalidUtf8(sample) === -1) !== valid) disagreements.push(Array.from(sample));
    }
    expect(disagreements).toEqual([]);
  });
});

/** Lines as the contract numbers them, ended by LF or CRLF: [line number, content] of each non-blank line. */
function contractLines(text: string): [number, string][] {
  const lines = text.split("\n").map((line, i): [number, string] => [i + 1, line.endsWith("\r") ? line.slice(0, -1) : line]);
  return lines.filter(([, content]) => content.trim() !== "");
}

async function ndjsonLines(chunks: readonly string[]): Promise<[number, unknown][]> {
  const lines: [number, unknown][] = [];
  const visitor = new CollectingVisitor();
  await parseNdjson(chunksOf(chunks), visitor);
  for (const entry of visitor.visited) {
    if (entry.kind === "order") lines.push(["line" in entry.position ? entry.position.line : -1, entry.order]);
    else lines.push(["line" in entry.problem.position ? entry.problem.position.line : -1, entry.problem.message]);
  }
  return lines;
}

describe("parseNdjson line splitting", () => {
  const texts = [
    '{"a":1}\n{"a":2}\n',
    '{"a":1}\r\n\r\n{"a":2}\r\n{"a":3}',
    '{"a":1}\r{"a":2}\n\n  \n{"a":3}\r\n',
    '\n\n{"a":1}\n{"a":\n2}\n[]\nnull\n{"a":4}',
    '{"a":"x\\ny"}\r\r\n{"a":5}\r',
    '{"a":1,\r"b":2}\r\n{"a":\r3}\n',
  ];

  it.each(texts)("ends lines at LF or CRLF only, whatever the chunking: %j", async (text) => {
    const expected = contractLines(text);
    for (let size = 1; size <= text.length; size++) {
      const chunks = piecesOf(text, size);
      const got = await ndjsonLines(chunks);
      expect(got.map(([line]) => line)).toEqual(expected.map(([line]) => line));
      got.forEach(([, value], i) => {
        const content = expected[i][1] as string;
        let parsed: unknown;
        try {
          parsed = JSON.parse(content);
        } catch {
          parsed = undefined;
        }
        if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) expect(value).toEqual(parsed);
        else expect(typeof value).toBe("string");
      });
    }
  });
});

describe("parseNdjson line limit, on a last line with no line end", () => {
  it("rejects it at one character over the limit and reads it at the limit", async () => {
    const line = (chars: number): string => `{}${" ".repeat(chars - 2)}`;
    const over = await ndjsonLines(piecesOf(line(LIMITS.maxNdjsonLineChars + 1), 1 << 22));
    expect(over).toEqual([[1, `line 1 is longer than ${LIMITS.maxNdjsonLineChars} characters; put one order object on each line`]]);
    const at = await ndjsonLines(piecesOf(line(LIMITS.maxNdjsonLineChars), 1 << 22));
    expect(at).toEqual([[1, {}]]);
  });
});

describe("parseNdjson line limit", () => {
  it("rejects a line longer than the limit wherever the chunks are cut, and reads the lines after it", async () => {
    const order = (id: string): string => JSON.stringify({ orderId: id });
    const long = JSON.stringify({ orderId: "L", note: "n".repeat(LIMITS.maxNdjsonLineChars) });
    const fits = JSON.stringify({ orderId: "F", note: "n".repeat(LIMITS.maxNdjsonLineChars - 40) });
    const text = `${order("A")}\r\n${long}\r\n${fits}\n${order("B")}\n${long}`;
    const reason = (line: number): string => `line ${line} is longer than ${LIMITS.maxNdjsonLineChars} characters; put one order object on each line`;
    for (const pieceChars of [16_384, 65_536, 1 << 22]) {
      const got = await ndjsonLines(piecesOf(text, pieceChars));
      expect(got.map(([line, value]) => [line, typeof value === "string" ? value : (value as { orderId: string }).orderId])).toEqual([
        [1, "A"],
        [2, reason(2)],
        [3, "F"],
        [4, "B"],
        [5, reason(5)],
      ]);
    }
  });

  it("counts a line's characters without its CRLF, also when the chunk ends between CR and LF", async () => {
    const exactly = (chars: number): string => JSON.stringify({ orderId: "E", note: "n".repeat(chars - 25) });
    expect(exactly(LIMITS.maxNdjsonLineChars)).toHaveLength(LIMITS.maxNdjsonLineChars);
    const text = `${exactly(LIMITS.maxNdjsonLineChars)}\r\n${exactly(LIMITS.maxNdjsonLineChars + 1)}\r\n`;
    const atCr = LIMITS.maxNdjsonLineChars + 1;
    for (const pieces of [piecesOf(text, 65_536), [text.slice(0, atCr), text.slice(atCr)], [text]]) {
      const got = await ndjsonLines(pieces);
      expect(got.map(([line, value]) => [line, typeof value === "string" ? "rejected" : "read"])).toEqual([
        [1, "read"],
        [2, "rejected"],
      ]);
    }
  });

  it("drops a long line as it arrives: one longer than a string can hold is only rejected", async () => {
    // 600 Mi characters: past V8's longest string (about 512 Mi), so holding the line would throw.
    const piece = "x".repeat(1 << 21);
    async function* oneHugeLine(): AsyncGenerator<string> {
      yield '[{"orderId":"A"}';
      for (let i = 0; i < 300; i++) yield piece;
      yield '"]\n{"orderId":"B"}\n';
    }
    const visitor = new CollectingVisitor();
    await parseNdjson(oneHugeLine(), visitor);
    expect(visitor.visited.map((entry) => (entry.kind === "order" ? entry.order.orderId : entry.problem.message))).toEqual([
      `line 1 is longer than ${LIMITS.maxNdjsonLineChars} characters; put one order object on each line`,
      "B",
    ]);
  });
});

async function csvLines(chunks: readonly string[]): Promise<[number, unknown][]> {
  const lines: [number, unknown][] = [];
  const visitor = new CollectingVisitor();
  await parseCsv(chunksOf(chunks), visitor);
  for (const entry of visitor.visited) {
    if (entry.kind === "order") lines.push(["line" in entry.position ? entry.position.line : -1, entry.itemLines]);
    else lines.push(["line" in entry.problem.position ? entry.problem.position.line : -1, entry.problem.message]);
  }
  return lines;
}

describe("parseCsv line numbers", () => {
  const header = "order_id,customer_id,order_date,currency,sku,quantity,unit_price";
  const row = (id: string, sku = "S"): string => `${id},C,2025-07-10,EUR,${sku},1,1.00`;

  it("counts line ends inside quoted fields, also when the first quote comes in a later chunk", async () => {
    const early = Array.from({ length: 50 }, (_, i) => row(`A${i}`)).join("\n");
    const text = `${header}\n${early}\n${row("Q", '"multi\nline\nsku"')}\n${row("Q", "T")}\n${row("Z")}\n`;
    const expected: [number, unknown][] = [...Array.from({ length: 50 }, (_, i): [number, unknown] => [i + 2, [i + 2]]), [52, [52, 55]], [56, [56]]];
    for (const size of [7, 64, 1000, text.length]) {
      const chunks = piecesOf(text, size);
      expect(await csvLines(chunks)).toEqual(expected);
    }
  });

  it("ends a row at every LF, so LF and CRLF lines may mix, whatever the chunking", async () => {
    // A CRLF header on LF rows, then CRLF rows again: files joined from two systems.
    const text = `${header}\r\n${row("A1")}\n${row("A2")}\n${row("A3")}\r\n${row("A4")}\r\n`;
    for (const size of [1, 2, 3, 7, text.length]) {
      expect(await csvLines(piecesOf(text, size))).toEqual([
        [2, [2]],
        [3, [3]],
        [4, [4]],
        [5, [5]],
      ]);
    }
  });
});

describe("CsvRowReader", () => {
  const texts = [
    'a,b\n1,2\n3,4\n',
    'a,b\r\n"x\r\ny",2\r\n"q ""quoted"" w",4\r\n5,6',
    'a,"b,c"\n"",""\n"\n",\n\n1,"2\n\n3"',
    '"unclosed,1\n2,3\n',
  ];

  it.each(texts)("reads the rows of a one-shot papaparse parse, whatever the chunking: %j", (text) => {
    // The reader also drops the CR a CRLF line end leaves on a row's last field.
    const expected = Papa.parse<string[]>(text, { delimiter: ",", newline: "\n", quoteChar: '"', escapeChar: '"' }).data.map((row) => row.map((field, i) => (i === row.length - 1 ? field.replace(/\r$/, "") : field)));
    // A one-shot parse ends a text that ends with a line end with an empty row; streaming does not.
    if (expected.length > 0 && expected[expected.length - 1].join() === "") expected.pop();
    for (let size = 1; size <= text.length; size++) {
      const reader = new CsvRowReader();
      const rows = piecesOf(text, size).flatMap((piece) => reader.rows(piece).rows);
      expect([...rows, ...reader.end().rows]).toEqual(expected);
    }
  });

  /** The long row `CsvRowReader` reports, as "row <index in the file>" and what it looks like, for every chunking of `text`. */
  function longRowsOf(text: string, limit: number): Set<string> {
    const outcomes = new Set<string>();
    for (let size = 1; size <= text.length; size++) {
      const reader = new CsvRowReader(limit);
      let seen = 0;
      let outcome = "none";
      for (const piece of piecesOf(text, size)) {
        const { rows, longRow } = reader.rows(piece);
        if (longRow !== undefined) {
          const { index, quoted, crOnly } = longRow;
          outcome = `row ${seen + index}${quoted ? ", quoted" : ""}${crOnly ? ", CR line ends" : ""}`;
          break;
        }
        seen += rows.length;
      }
      outcomes.add(outcome);
    }
    return outcomes;
  }

  it.each([
    ["a row of exactly the limit passes, its CRLF not counted", "a,b\r\n" + "x".repeat(20) + "\r\nc\r\n", "none"],
    ["a row of exactly the limit passes, its LF not counted", "a,b\n" + "x".repeat(20) + "\nc\n", "none"],
    ["one character more is too long, with either line end", "a,b\r\n" + "x".repeat(21) + "\nc\r\n", "row 1"],
    ["the first row over the limit is reported, not a later one", "a,b\n" + "x".repeat(20) + "\n" + "y".repeat(21) + "\n" + "z".repeat(30) + "\n", "row 2"],
    ["a long quoted field counts its quotes", 'a,b\n"' + "q".repeat(18) + '",1\nz\n', "row 1, quoted"],
    ["a quote that never closes swallows the rest", 'a\n"open\n' + "x\n".repeat(20), "row 1, quoted"],
    ["a quote that never closes swallows CRLF lines too", 'a\r\n"open\r\n' + "x\r\n".repeat(20), "row 1, quoted"],
    ["lines ended by CR alone are one long row", "a,b\r" + "1,2\r".repeat(10), "row 0, CR line ends"],
  ])("reports the same long row wherever the chunks are cut: %s", (_name, text, outcome) => {
    expect([...longRowsOf(text, 20)]).toEqual([outcome]);
  });
});

describe("parseCsv pace", () => {
  const header = "order_id,customer_id,order_date,currency,sku,quantity,unit_price";

  afterEach(() => jest.restoreAllMocks());

  it("parses each character about once, also when the body is always ready", async () => {
    // papaparse's stream mode re-split the rest of its chunk after every row once its output
    // buffer was full, which a body that is always ready (S3 in the same region) fills.
    const RealParser = Papa.Parser;
    let parsedChars = 0;
    jest.spyOn(Papa, "Parser").mockImplementation((config) => {
      const parser = new RealParser(config);
      const parse = parser.parse.bind(parser);
      parser.parse = (input: string, baseIndex: number, ignoreLastRow: boolean) => {
        parsedChars += input.length;
        return parse(input, baseIndex, ignoreLastRow) as unknown;
      };
      return parser;
    });
    const rows = Array.from({ length: 20_000 }, (_, i) => `ORD-${i},C,2025-07-10,EUR,S,1,1.00`);
    const text = `${header}\n${rows.join("\n")}\n`;
    const pieces = piecesOf(text, 4096);
    const visitor = new CollectingVisitor();
    await parseCsv(chunksOf(pieces), visitor);
    expect(visitor.visited).toHaveLength(20_000);
    expect(parsedChars).toBeGreaterThanOrEqual(text.length);
    // Each piece may re-read the unfinished row before it: at most one row's length.
    expect(parsedChars).toBeLessThanOrEqual(text.length + pieces.length * 40);
  });

  it("fails a row that never ends at the limit, naming its line, without reading the rest of the file", async () => {
    const good = "ORD-1,C,2025-07-10,EUR,S,1,1.00";
    const filler = `${good}\n`.repeat(Math.ceil((3 * LIMITS.maxCsvRowChars) / (good.length + 1)));
    const text = `${header}\n${good}\nORD-2,C,2025-07-10,EUR,"never closed,1,1.00\n${filler}`;
    const pieces = piecesOf(text, 65_536);
    const pulled = { count: 0 };
    const failure = parseCsv(counted(pieces, pulled), new CollectingVisitor());
    await expect(failure).rejects.toBeInstanceOf(MalformedFileError);
    await expect(failure).rejects.toThrow(
      `The CSV is malformed: the row on line 3 is longer than ${LIMITS.maxCsvRowChars} characters; close its quoted fields (one that never closes makes the rest of the file one row), or shorten its longest field.`,
    );
    expect(pulled.count).toBeLessThanOrEqual(Math.ceil(LIMITS.maxCsvRowChars / 65_536) + 2);
    expect(pulled.count).toBeLessThan(pieces.length);
  });
});

describe("parseCsv row limit", () => {
  const header = "order_id,customer_id,order_date,currency,sku,quantity,unit_price,note";
  const rowWithNote = (id: string, noteChars: number): string => `${id},C,2025-07-10,EUR,S,1,1.00,${"n".repeat(noteChars)}`;

  async function outcome(text: string, pieceChars: number): Promise<string> {
    const visitor = new CollectingVisitor();
    try {
      await parseCsv(chunksOf(piecesOf(text, pieceChars)), visitor);
      return `${visitor.visited.length} orders`;
    } catch (error) {
      return (error as Error).message;
    }
  }

  it("decides by the row's length alone, wherever the body's chunks are cut", async () => {
    const long = `${header}\n${rowWithNote("A", LIMITS.maxCsvRowChars)}\n${rowWithNote("B", 5)}\n`;
    const fits = `${header}\n${rowWithNote("A", LIMITS.maxCsvRowChars - 40)}\n${rowWithNote("B", 5)}\n`;
    const reason = `The CSV is malformed: the row on line 2 is longer than ${LIMITS.maxCsvRowChars} characters; end every line with LF or CRLF, or shorten its longest field.`;
    for (const pieceChars of [16_384, 65_536, 1 << 21]) {
      expect(await outcome(long, pieceChars)).toBe(reason);
      expect(await outcome(fits, pieceChars)).toBe("2 orders");
    }
  });
});

describe("trimmed and isBlank", () => {
  const whitespace = [" ", "\t", "\n", "\v", "\f", "\r", "\u00a0", "\u1680", "\u2000", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff"];
  const edges = ["", "a", "ab", "\u0000", "\u001f", "\u007f", "\u0085", "é", "😀", ...whitespace];

  it("agrees with String.prototype.trim for every pair of edge characters around a value", () => {
    for (const before of edges) {
      for (const after of edges) {
        for (const middle of ["", "x", " y ", "\u0000"]) {
          const text = before + middle + after;
          expect([text, trimmed(text)]).toEqual([text, text.trim()]);
          expect([text, isBlank(text)]).toEqual([text, text.trim() === ""]);
        }
      }
    }
  });
});
