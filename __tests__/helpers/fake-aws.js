#!/usr/bin/env node
// A stand-in for the AWS CLI, for scripts/redrive.sh: the SQS and Lambda calls it makes, against a
// JSON state file ($FAKE_AWS_STATE) the test prepares and reads back. Messages received are hidden
// until deleted; every invocation is recorded with its payload; an invocation whose event names a
// key in `failKeys` fails with FunctionError "Unhandled", as a function that throws does.
const { readFileSync, writeFileSync } = require("node:fs");

const statePath = process.env.FAKE_AWS_STATE;
const state = JSON.parse(readFileSync(statePath, "utf8"));
const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args[at + 1];
};
const save = () => writeFileSync(statePath, JSON.stringify(state, null, 2));
const command = `${args[0]} ${args[1]}`;
state.calls.push(args);

if (command === "sqs get-queue-url") {
  if (option("--queue-name") !== state.queueName) {
    process.stderr.write(`An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: The specified queue does not exist.\n`);
    save();
    process.exit(254);
  }
  process.stdout.write(`${state.queueUrl}\n`);
} else if (command === "sqs receive-message") {
  const max = Number(option("--max-number-of-messages") ?? 1);
  const visible = state.messages.filter((m) => !m.hidden).slice(0, max);
  for (const message of visible) message.hidden = true;
  // The real CLI prints nothing at all for an empty receive, not even {}.
  if (visible.length > 0) process.stdout.write(JSON.stringify({ Messages: visible.map(({ hidden: _hidden, ...m }) => m) }));
} else if (command === "sqs delete-message") {
  state.messages = state.messages.filter((m) => m.ReceiptHandle !== option("--receipt-handle"));
} else if (command === "lambda invoke") {
  const payload = JSON.parse(readFileSync(option("--payload").replace(/^file:\/\//, ""), "utf8"));
  state.invocations.push({ functionName: option("--function-name"), type: option("--invocation-type"), payload });
  const fails = payload.Records.some((record) => state.failKeys.includes(record.s3.object.key));
  writeFileSync(args[args.length - 1], fails ? JSON.stringify({ errorType: "ProvisionedThroughputExceededException", errorMessage: "Rate exceeded" }) : "null");
  process.stdout.write(`${fails ? "Unhandled" : "None"}\n`);
} else {
  process.stderr.write(`fake aws: unexpected command ${args.join(" ")}\n`);
  save();
  process.exit(2);
}
save();
