import type { SupportedFormat } from "../types";
import { parseCsv } from "./csv";
import { parseJson } from "./json";
import { parseNdjson } from "./ndjson";
import type { OrderParser } from "./types";
import { parseXml } from "./xml";

/** The streaming parser of each supported format. */
export const PARSERS: Readonly<Record<SupportedFormat, OrderParser>> = {
  csv: parseCsv,
  json: parseJson,
  ndjson: parseNdjson,
  xml: parseXml,
};
