import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One message accepted by `Publish`. */
export interface PublishedMessage {
  readonly topicArn: string;
  readonly messageId: string;
  readonly subject?: string;
  readonly message: string;
  /** String message attributes (`Status`, `Format`, ...). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** A local SNS endpoint: the subset of the SNS Query API the pipeline uses. */
export interface LocalSns {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_SNS`. */
  readonly endpoint: string;
  /** Every message published so far, in order. */
  readonly messages: readonly PublishedMessage[];
  /** Creates a topic (idempotent, like SNS) and returns its ARN. */
  createTopic(name: string): string;
  stop(): Promise<void>;
}

const XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";

function xmlEscape(value: string): string {
  return value.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/xml", "x-amzn-requestid": randomUUID() });
  res.end(`<?xml version="1.0"?>\n${body}`);
}

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  reply(
    res,
    status,
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}

function readBody(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(new URLSearchParams(Buffer.concat(chunks).toString("utf8"))));
    req.on("error", reject);
  });
}

function messageAttributes(params: URLSearchParams): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (let i = 1; params.has(`MessageAttributes.entry.${i}.Name`); i++) {
    const name = params.get(`MessageAttributes.entry.${i}.Name`) as string;
    attributes[name] = params.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? "";
  }
  return attributes;
}

/**
 * Starts an SNS Query-API endpoint on 127.0.0.1 that knows CreateTopic, ListTopics and Publish.
 * No local SNS server is published on npm; this is the smallest real one the SDK can talk to, so the
 * function's own SNS client runs unchanged. Publishing to a topic that does not exist fails with
 * `NotFound`, as SNS does.
 */
export async function startLocalSns(options: { region?: string; accountId?: string; port?: number } = {}): Promise<LocalSns> {
  const region = options.region ?? "us-east-1";
  const accountId = options.accountId ?? "000000000000";
  const topics = new Set<string>();
  const messages: PublishedMessage[] = [];
  const createTopic = (name: string): string => {
    const arn = `arn:aws:sns:${region}:${accountId}:${name}`;
    topics.add(arn);
    return arn;
  };

  const server: Server = createServer((req, res) => {
    readBody(req)
      .then((params) => {
        const action = params.get("Action");
        if (action === "CreateTopic") {
          const arn = createTopic(params.get("Name") ?? "");
          return reply(res, 200, `<CreateTopicResponse xmlns="${XMLNS}"><CreateTopicResult><TopicArn>${xmlEscape(arn)}</TopicArn></CreateTopicResult></CreateTopicResponse>`);
        }
        if (action === "ListTopics") {
          const members = [...topics].map((arn) => `<member><TopicArn>${xmlEscape(arn)}</TopicArn></member>`).join("");
          return reply(res, 200, `<ListTopicsResponse xmlns="${XMLNS}"><ListTopicsResult><Topics>${members}</Topics></ListTopicsResult></ListTopicsResponse>`);
        }
        if (action === "Publish") {
          const topicArn = params.get("TopicArn") ?? "";
          if (!topics.has(topicArn)) return fail(res, 404, "NotFound", `Topic does not exist: ${topicArn}`);
          const messageId = randomUUID();
          messages.push({
            topicArn,
            messageId,
            subject: params.get("Subject") ?? undefined,
            message: params.get("Message") ?? "",
            attributes: messageAttributes(params),
          });
          return reply(res, 200, `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult></PublishResponse>`);
        }
        return fail(res, 400, "InvalidAction", `Action ${action ?? "(none)"} is not supported by the local SNS endpoint`);
      })
      .catch((err: Error) => fail(res, 500, "InternalError", err.message));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    messages,
    createTopic,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
