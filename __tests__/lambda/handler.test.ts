import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import { csvText, jsonText, ndjsonText, testOrder, xmlText } from "../helpers/lambda-orders";
import { type CapturedOutput, captureStdout, eventFor, fakeContext, type Handler, loadBundledHandler, type PipelineEnv, startPipelineEnv, TEST_BUCKET } from "../helpers/lambda-env";

const ORDERS = [
  testOrder({ orderId: "A1" }),
  testOrder({ orderId: "A2", customerId: "C2", orderDate: "2025-07-10T23:30:00-02:00", currency: "eur", items: [{ sku: "SKU-9", quantity: 1, unitPrice: "99.99" }] }),
];
const FIRST_LINE = { csv: { line: 2 }, json: { index: 0 }, ndjson: { line: 1 }, xml: { line: 3 } } as const;

describe("the bundled handler, against local S3, DynamoDB and SNS", () => {
  let env: PipelineEnv;
  let handler: Handler;
  let cleanup: () => void;
  let output: CapturedOutput;

  beforeAll(async () => {
    env = await startPipelineEnv({ MAX_FILE_BYTES: String(1024 * 1024) });
    ({ handler, cleanup } = loadBundledHandler());
  });
  beforeEach(() => {
    output = captureStdout();
  });
  afterEach(() => output.restore());
  afterAll(async () => {
    await env.stop();
    cleanup();
  });

  const messageFor = (key: string) => env.sns.messages.filter((m) => JSON.parse(m.message).FileName === key);
  const run = async (key: string, body: string | Buffer) => {
    const object = await env.upload(key, body);
    await handler(eventFor(object), fakeContext());
    return { object, item: await env.item(key) };
  };

  it.each([
    ["csv", csvText(ORDERS)],
    ["json", jsonText(ORDERS)],
    ["ndjson", ndjsonText(ORDERS)],
    ["xml", xmlText(ORDERS)],
  ] as const)("turns a %s file with multi-item orders into NDJSON, a SUCCEEDED item and a status message", async (format, text) => {
    // Prepare
    const key = `incoming/happy/orders.${format}`;

    // Act
    const { object, item } = await run(key, text);

    // Assess
    expect(item).toMatchObject({
      FileName: key,
      Bucket: TEST_BUCKET,
      Status: "SUCCEEDED",
      Format: format,
      OrdersTotal: 2,
      OrdersValid: 2,
      OrdersRejected: 0,
      Errors: [],
      ErrorsTruncated: false,
      OutputKey: `processed/happy/orders.${format}.ndjson`,
      Attempts: 1,
      Sequencer: object.sequencer,
      ETag: object.eTag,
      SizeBytes: object.size,
    });
    expect(item?.History).toEqual([expect.objectContaining({ Sequencer: object.sequencer, Status: "SUCCEEDED", OrdersValid: 2, OrdersRejected: 0 })]);
    expect(item?.FailureReason).toBeUndefined();
    const lines = (await env.text(`processed/happy/orders.${format}.ndjson`))!.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({
      orderId: "A1",
      customerId: "C9",
      orderDate: "2025-07-10T00:00:00.000Z",
      currency: "USD",
      items: [
        { sku: "SKU-1", quantity: 2, unitPrice: "12.50" },
        { sku: "SKU-2", quantity: 3, unitPrice: "0.10" },
      ],
      total: "25.30",
      source: { file: key, ...FIRST_LINE[format] },
    });
    expect(lines[1]).toMatchObject({ orderId: "A2", orderDate: "2025-07-11T01:30:00.000Z", currency: "EUR", total: "99.99" });
    const [message] = messageFor(key);
    expect(message.attributes).toEqual({ Status: "SUCCEEDED", Format: format });
    expect(JSON.parse(message.message)).toMatchObject({ FileName: key, Status: "SUCCEEDED", Format: format, OrdersTotal: 2, OrdersValid: 2, OrdersRejected: 0, OutputKey: `processed/happy/orders.${format}.ndjson`, FailureReason: null });
  });

  it("reads a CSV with a byte-order mark, CRLF line ends and quoted newlines, numbering rows by physical line", async () => {
    // Prepare
    const text = "\uFEFForder_id,customer_id,order_date,currency,sku,quantity,unit_price,notes\r\n" + 'Q1,C1,2025-07-10,USD,SKU-1,1,1.00,"two\r\nlines"\r\n' + "Q2,C1,2025-07-10,USD,SKU-1,1,nope,\r\n";

    // Act
    const { item } = await run("incoming/quirks/bom crlf.csv", text);

    // Assess
    expect(item).toMatchObject({ Status: "PARTIAL", OrdersValid: 1, OrdersRejected: 1, Errors: [{ Line: 4, OrderId: "Q2", Field: "items[0].unitPrice", Message: expect.stringContaining('"nope"') }] });
    const [order] = (await env.text("processed/quirks/bom crlf.csv.ndjson"))!.trim().split("\n").map((l) => JSON.parse(l));
    expect(order).toMatchObject({ orderId: "Q1", source: { line: 2 } });
  });

  it.each([
    ["incoming/keys/orders 1.csv"],
    ["incoming/keys/a+b=c.csv"],
    ["incoming/keys/100% real.csv"],
    ["incoming/keys/Bestellungen für Müller – 東京.csv"],
  ])("decodes the event key of %s and records it as uploaded", async (key) => {
    // Act
    const { object, item } = await run(key, csvText(ORDERS));

    // Assess
    expect(eventFor(object).Records[0].s3.object.key).not.toBe(key);
    expect(item).toMatchObject({ FileName: key, Status: "SUCCEEDED", OutputKey: `processed/${key.slice("incoming/".length)}.ndjson` });
    expect(await env.exists(`processed/${key.slice("incoming/".length)}.ndjson`)).toBe(true);
  });

  it("accepts a JSON object whose orders property holds the array", async () => {
    // Act
    const { item } = await run("incoming/wrapped.json", jsonText(ORDERS, true));

    // Assess
    expect(item).toMatchObject({ Status: "SUCCEEDED", OrdersValid: 2 });
  });

  it("records PARTIAL with the rejected order's line or index, field and message", async () => {
    // Prepare
    const orders = [...ORDERS, testOrder({ orderId: "BAD", currency: "dollars" })];

    // Act
    const ndjson = await run("incoming/partial.ndjson", ndjsonText(orders) + "{not json\n");
    const json = await run("incoming/partial.json", jsonText(orders));

    // Assess
    expect(ndjson.item).toMatchObject({
      Status: "PARTIAL",
      OrdersTotal: 4,
      OrdersValid: 2,
      OrdersRejected: 2,
      OutputKey: "processed/partial.ndjson.ndjson",
      Errors: [
        { Line: 3, OrderId: "BAD", Field: "currency", Message: expect.stringContaining("three-letter code") },
        { Line: 4, Message: expect.stringContaining("not valid JSON") },
      ],
    });
    expect(json.item).toMatchObject({ Status: "PARTIAL", Errors: [{ Index: 2, OrderId: "BAD", Field: "currency" }] });
    expect(messageFor("incoming/partial.json")[0].attributes.Status).toBe("PARTIAL");
  });

  it("keeps the first 50 errors and marks the rest as truncated", async () => {
    // Prepare
    const orders = [testOrder({ orderId: "OK" }), ...Array.from({ length: 80 }, (_, i) => testOrder({ orderId: `X${i}`, currency: "?" }))];

    // Act
    const { item } = await run("incoming/many-errors.json", jsonText(orders));

    // Assess
    expect(item).toMatchObject({ Status: "PARTIAL", OrdersRejected: 80, ErrorsTruncated: true });
    expect(item?.Errors).toHaveLength(50);
    expect((item?.Errors as { Index: number }[])[0].Index).toBe(1);
  });

  it.each([
    ["an unsupported extension", "incoming/bad/orders.txt", "order_id\n1\n", "unknown", /no supported extension.*\.csv/],
    ["an empty file", "incoming/bad/empty.csv", "", "csv", /The file is empty/],
    ["a whitespace-only file with a BOM", "incoming/bad/blank.json", "\uFEFF \n", "json", /The file is empty/],
    ["a CSV header without required columns", "incoming/bad/columns.csv", "order_id,sku,quantity\nA,B,1\n", "csv", /no customer_id, order_date, currency, unit_price columns/],
    ["truncated JSON", "incoming/bad/truncated.json", jsonText(ORDERS).slice(0, -20), "json", /JSON is malformed: it ends before the document is complete/],
    ["malformed XML", "incoming/bad/malformed.xml", "<orders><order><orderId>A</customerId></order></orders>", "xml", /XML is malformed/],
    ["an XML entity-expansion bomb", "incoming/bad/bomb.xml", '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n<orders>&lol2;</orders>', "xml", /DOCTYPE on line 2, which is refused/],
    ["a file with no orders", "incoming/bad/header-only.csv", "order_id,customer_id,order_date,currency,sku,quantity,unit_price\n", "csv", /contains no orders/],
    ["a file where no order is valid", "incoming/bad/all-invalid.ndjson", ndjsonText([testOrder({ currency: "x" })]), "ndjson", /None of the 1 order in the file is valid/],
    ["a file larger than MAX_FILE_BYTES", "incoming/bad/large.csv", csvText(ORDERS) + "x".repeat(1024 * 1024), "csv", /more than the limit of 1048576; split it/],
  ])("ends FAILED with a reason, no output and a FAILED message for %s", async (_, key, text, format, reason) => {
    // Act
    const { item } = await run(key, text);

    // Assess
    expect(item).toMatchObject({ Status: "FAILED", Format: format, FailureReason: expect.stringMatching(reason) });
    expect(item?.OutputKey).toBeUndefined();
    expect(await env.exists(`processed/${key.slice("incoming/".length)}.ndjson`)).toBe(false);
    const [message] = messageFor(key);
    expect(message.attributes).toEqual({ Status: "FAILED", Format: format });
    expect(JSON.parse(message.message)).toMatchObject({ Status: "FAILED", FailureReason: item?.FailureReason, OutputKey: null });
  });

  it("processes every record of an event on its own, so a bad file does not hide a good one", async () => {
    // Prepare
    const good = await env.upload("incoming/multi/good.csv", csvText(ORDERS));
    const bad = await env.upload("incoming/multi/bad.xml", "<orders>");

    // Act
    await handler(eventFor(bad, good), fakeContext());

    // Assess
    expect((await env.item("incoming/multi/bad.xml"))?.Status).toBe("FAILED");
    expect((await env.item("incoming/multi/good.csv"))?.Status).toBe("SUCCEEDED");
  });

  it("changes nothing for a duplicate delivery but publishes the status again", async () => {
    // Prepare
    const key = "incoming/dup/orders.csv";
    const { object, item: first } = await run(key, csvText(ORDERS));

    // Act
    await handler(eventFor(object), fakeContext());

    // Assess
    expect(await env.item(key)).toEqual(first);
    expect(messageFor(key).map((m) => m.attributes.Status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
  });

  it("ignores an older event that arrives after a newer version was processed", async () => {
    // Prepare
    const key = "incoming/order/orders.ndjson";
    const older = await env.upload(key, ndjsonText([ORDERS[0]]));
    const newer = await env.upload(key, ndjsonText(ORDERS));
    await handler(eventFor(newer), fakeContext());
    const recorded = await env.item(key);

    // Act
    await handler(eventFor(older), fakeContext());

    // Assess
    expect(await env.item(key)).toEqual(recorded);
    expect(recorded).toMatchObject({ Sequencer: newer.sequencer, OrdersValid: 2, Attempts: 1 });
    expect(messageFor(key)).toHaveLength(1);
  });

  it("keeps History across versions and removes the old output when the new version fails", async () => {
    // Prepare
    const key = "incoming/versions/orders.csv";
    await run(key, csvText(ORDERS));
    expect(await env.exists("processed/versions/orders.csv.ndjson")).toBe(true);

    // Act
    const { object, item } = await run(key, "order_id\n");

    // Assess
    expect(item).toMatchObject({ Status: "FAILED", Sequencer: object.sequencer, Attempts: 1 });
    expect((item?.History as { Status: string }[]).map((h) => h.Status)).toEqual(["SUCCEEDED", "FAILED"]);
    expect(await env.exists("processed/versions/orders.csv.ndjson")).toBe(false);
  });

  it("records FAILED, saying to upload again, when the object is gone before it is read", async () => {
    // Prepare: an event for a key whose object was deleted before the function got to it.
    const object = await env.upload("incoming/gone.csv", csvText(ORDERS));
    await env.s3.send(new DeleteObjectCommand({ Bucket: TEST_BUCKET, Key: "incoming/gone.csv" }));

    // Act
    await handler(eventFor(object), fakeContext());

    // Assess
    expect(await env.item("incoming/gone.csv")).toMatchObject({ Status: "FAILED", FailureReason: 'The object "incoming/gone.csv" no longer exists; upload it again.' });
  });

  it("processes a file of exactly the maximum size, and fails one a byte larger, naming both sizes", async () => {
    // Prepare: MAX_FILE_BYTES is 1 MiB here; a last column pads the file to the byte.
    const exactly = (size: number): string => {
      const text = csvText(ORDERS).replace(/\n/g, ",\n").replace(",\n", ",note\n");
      return `${text.slice(0, -1)}${"x".repeat(size - Buffer.byteLength(text))}\n`;
    };

    // Act
    const fits = await run("incoming/limit/fits.csv", exactly(1024 * 1024));
    const over = await run("incoming/limit/over.csv", exactly(1024 * 1024 + 1));

    // Assess
    expect(fits.item).toMatchObject({ Status: "SUCCEEDED", SizeBytes: 1024 * 1024 });
    expect(over.item).toMatchObject({ Status: "FAILED", FailureReason: `The file has ${1024 * 1024 + 1} bytes, more than the limit of ${1024 * 1024}; split it into smaller files.` });
  });

  it("ignores the empty folder markers the S3 console's Create folder makes: no item, no status message", async () => {
    // Act
    const { item } = await run("incoming/", "");
    const nested = await run("incoming/2025-07/", "");

    // Assess
    expect(item).toBeUndefined();
    expect(nested.item).toBeUndefined();
    expect(messageFor("incoming/")).toHaveLength(0);
    expect(output.json().some((line) => line.message === "Ignoring a folder marker" && line.s3Key === "incoming/2025-07/")).toBe(true);
  });

  it("ends FAILED, saying by how much to shorten the name, when the output key would pass S3's 1,024 bytes", async () => {
    // Prepare: a 1,020-byte key (S3 takes up to 1,024), in folders of 200 characters as a file system
    // must hold them; its output key processed/<...>.ndjson would be 1,028. s3rver does not enforce
    // the limit, so without the check the file would SUCCEED here and be retried forever on S3.
    const key = `incoming/${`${"k".repeat(199)}/`.repeat(5)}${"k".repeat(7)}.csv`;
    expect(Buffer.byteLength(key)).toBe(1020);

    // Act
    const { item } = await run(key, csvText(ORDERS));

    // Assess
    expect(item).toMatchObject({
      Status: "FAILED",
      FailureReason: "The key is 1020 bytes long (UTF-8), so its output key would be 1028, more than S3's limit of 1024; shorten the file name by at least 4 bytes.",
    });
    expect(await env.exists(`processed/${key.slice("incoming/".length)}.ndjson`)).toBe(false);
    expect(messageFor(key).map((m) => m.attributes.Status)).toEqual(["FAILED"]);
  });

  it("ignores an event that announces no new object, such as a delete marker: the file's outcome stands", async () => {
    // Prepare
    const key = "incoming/removed/orders.csv";
    const { object, item } = await run(key, csvText(ORDERS));

    // Act
    await handler(eventFor({ ...object, eventName: "ObjectRemoved:DeleteMarkerCreated", sequencer: env.clock.next() }), fakeContext());

    // Assess
    expect(await env.item(key)).toEqual(item);
    expect(await env.exists("processed/removed/orders.csv.ndjson")).toBe(true);
    expect(messageFor(key)).toHaveLength(1);
  });

  it("cuts a long key short in a failure reason, keeping the fix", async () => {
    // Prepare: an event for a key of 1,024 characters (S3's longest) outside incoming/, which the reason quotes.
    const key = `elsewhere/${"k".repeat(1010)}.csv`;

    // Act
    await handler(eventFor({ bucket: TEST_BUCKET, key, size: 10, eTag: "etag", sequencer: env.clock.next() }), fakeContext());

    // Assess
    expect((await env.item(key))?.FailureReason).toBe(`The key "elsewhere/${"k".repeat(187)}..." is not under "incoming/"; upload order files under "incoming/".`);
  });

  it("keeps a failure reason short however long the name it quotes, and the item writable", async () => {
    // Prepare: a root element name of 300,000 characters, which the reason names.
    const name = "A".repeat(300_000);

    // Act
    const { item } = await run("incoming/long-root.xml", `<${name}><order/></${name}>`);

    // Assess
    expect(item).toMatchObject({ Status: "FAILED", FailureReason: `The XML is malformed: the root element is <${"A".repeat(61)}...>; use <orders>.` });
  });

  it("stores and publishes only well-formed text, even when the file holds half of a character", async () => {
    // Prepare: JSON may escape a lone surrogate, which UTF-8 (DynamoDB, SNS) cannot carry; and a file may start with an emoji.
    const text = '[{"orderId":"X\\ud800","customerId":"C1","orderDate":"2025-07-10","currency":"USD","items":[{"sku":"S1","quantity":0,"unitPrice":"1.00"}]}]';

    // Act
    const json = await run("incoming/surrogates.json", text);
    const emoji = await run("incoming/emoji.json", "\u{1F600} orders");

    // Assess
    expect(json.item?.Errors).toEqual([expect.objectContaining({ OrderId: "X\ufffd", Field: "items[0].quantity" })]);
    expect(emoji.item?.FailureReason).toBe('The JSON is malformed: it starts with "\u{1F600}"; give an array of orders or an object with an "orders" array.');
    expect(messageFor("incoming/emoji.json")[0].message).toContain('starts with \\"\u{1F600}\\"');
  });

  it("refuses an event from another bucket by throwing, so it lands in the on-failure destination", async () => {
    // Prepare
    const object = await env.upload("incoming/foreign.csv", csvText(ORDERS));

    // Act
    const act = handler(eventFor({ ...object, bucket: "someone-elses-bucket" }), fakeContext());

    // Assess
    await expect(act).rejects.toThrow(/serves only "orders-bucket"/);
    expect(await env.item("incoming/foreign.csv")).toBeUndefined();
  });

  it("logs JSON lines that carry the S3 key and request id, and emits EMF metrics with the service dimension", async () => {
    // Prepare
    const key = "incoming/observed/orders 2.csv";
    const object = await env.upload(key, csvText(ORDERS));
    const context = fakeContext();

    // Act
    await handler(eventFor(object), context);

    // Assess
    const records = output.json();
    const logs = records.filter((r) => typeof r.message === "string" && r.s3Key === key);
    expect(logs.length).toBeGreaterThanOrEqual(2);
    expect(logs.every((l) => l.function_request_id === context.awsRequestId && l.service === "order-processor-test")).toBe(true);
    const emf = records.find((r) => "_aws" in r) as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] } };
    expect(emf._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: "OrderPipeline", Dimensions: [["service"]] });
    expect(emf).toMatchObject({ service: "order-processor-test", FilesSucceeded: 1, OrdersValid: 2, OrdersRejected: 0, BytesRead: object.size });
  });

  it.each([
    ["FAILED", "FilesFailed", "incoming/metrics/failed.csv", "order_id\n"],
    ["PARTIAL", "FilesPartial", "incoming/metrics/partial.ndjson", `${ndjsonText(ORDERS)}{not json\n`],
  ])("counts a %s file in the %s metric alone, the one its alarm or dashboard reads", async (status, metric, key, text) => {
    // Act
    const { item } = await run(key, text);

    // Assess
    expect(item?.Status).toBe(status);
    const emf = output.json().find((r) => "_aws" in r);
    expect(emf).toMatchObject({ [metric]: 1 });
    for (const other of ["FilesSucceeded", "FilesPartial", "FilesFailed"].filter((name) => name !== metric)) expect(emf).not.toHaveProperty(other);
  });

  it("refuses a file over MAX_FILE_BYTES by the size the event announces, before reading any of it, naming its whole size", async () => {
    // Prepare: three times the limit (1 MiB here), valid orders first.
    const text = csvText(ORDERS) + "x".repeat(3 * 1024 * 1024);

    // Act
    const { object, item } = await run("incoming/limit/far-over.csv", text);

    // Assess
    expect(item).toMatchObject({ Status: "FAILED", OrdersTotal: 0, FailureReason: `The file has ${object.size} bytes, more than the limit of ${1024 * 1024}; split it into smaller files.` });
    expect(output.json().find((r) => "_aws" in r)).toMatchObject({ BytesRead: 0 });
  });

  it("records each outcome's rejected orders in History, beside its valid ones", async () => {
    // Act
    const { object, item } = await run("incoming/history/partial.json", jsonText([...ORDERS, testOrder({ orderId: "BAD", currency: "dollars" })]));

    // Assess
    expect(item?.History).toEqual([expect.objectContaining({ Sequencer: object.sequencer, Status: "PARTIAL", OrdersValid: 2, OrdersRejected: 1 })]);
  });

  it("leaves another file's output alone when it fails an event for a key outside incoming/", async () => {
    // Prepare: "outgoing/" is as long as "incoming/", so its key, mapped like an incoming one, would name the same output.
    const { item: first } = await run("incoming/prefix/orders.csv", csvText(ORDERS));
    expect(first?.Status).toBe("SUCCEEDED");

    // Act
    const { item } = await run("outgoing/prefix/orders.csv", csvText(ORDERS));

    // Assess
    expect(item).toMatchObject({ Status: "FAILED", FailureReason: expect.stringContaining('is not under "incoming/"') });
    expect(await env.exists("processed/prefix/orders.csv.ndjson")).toBe(true);
  });

  it("records when S3 received the object as the event says, not when processing started", async () => {
    // Prepare
    const key = "incoming/received/orders.csv";
    const object = await env.upload(key, csvText(ORDERS));

    // Act
    await handler(eventFor({ ...object, eventTime: new Date("2025-07-10T12:34:56.789Z") }), fakeContext());

    // Assess
    expect(await env.item(key)).toMatchObject({ Status: "SUCCEEDED", ReceivedAt: "2025-07-10T12:34:56.789Z" });
  });

  it("records FAILED for an object with content whose key ends with /: only an empty one is a folder marker", async () => {
    // Act
    const { item } = await run("incoming/notes/", "order_id\n");

    // Assess
    expect(item).toMatchObject({ Status: "FAILED", Format: "unknown", FailureReason: expect.stringContaining("has no supported extension") });
    expect(messageFor("incoming/notes/").map((m) => m.attributes.Status)).toEqual(["FAILED"]);
  });

  it("logs a record's failure without the bucket and sequencer of the record before it", async () => {
    // Prepare: a good record, then one from a bucket the function does not serve.
    const good = await env.upload("incoming/log-keys/good.csv", csvText(ORDERS));
    const foreign = await env.upload("incoming/log-keys/foreign.csv", csvText(ORDERS));

    // Act
    const act = handler(eventFor(good, { ...foreign, bucket: "someone-elses-bucket" }), fakeContext());

    // Assess
    await expect(act).rejects.toThrow(/serves only "orders-bucket"/);
    const failed = output.json().find((line) => line.message === "Record failed; the event will be retried");
    expect(failed).toMatchObject({ s3Key: "incoming/log-keys/foreign.csv" });
    expect(failed?.sequencer).not.toBe(good.sequencer);
    expect(failed?.bucket).not.toBe(TEST_BUCKET);
  });
});
