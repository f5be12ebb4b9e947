export { PARSERS } from "./by-format";
export { CSV_COLUMNS, parseCsv } from "./csv";
export { parseJson } from "./json";
export { parseNdjson } from "./ndjson";
export type { OrderParser, OrderVisitor } from "./types";
export { parseXml } from "./xml";
