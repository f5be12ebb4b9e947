#!/usr/bin/env node
// A stand-in for the AWS CLI, for scripts/redrive.sh and `preflight --account`: the SQS and Lambda
// calls they make, against a JSON state file ($FAKE_AWS_STATE) the test prepares and reads back.
// Every call is recorded in `calls`. Messages received are hidden until deleted; every invocation
// is recorded with its payload; an invocation whose event names a key in `failKeys` fails with
// FunctionError "Unhandled", as a function that throws does. `accountLimit` is what
// get-account-settings reports; `reservations` maps a function name to its reserved concurrency
// (null: none), and a function not in it does not exist. With `failure` set, every call fails as
// the real CLI does without credentials.
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

if (state.failure !== undefined) {
  process.stderr.write(`\n${state.failure.stderr}\n`);
  save();
  process.exit(state.failure.status);
}

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
} else if (command === "lambda get-account-settings") {
  process.stdout.write(JSON.stringify({ AccountLimit: { TotalCodeSize: 80530636800, CodeSizeUnzipped: 262144000, CodeSizeZipped: 52428800, ...state.accountLimit }, AccountUsage: { TotalCodeSize: 0, FunctionCount: 0 } }, null, 4));
} else if (command === "lambda get-function-concurrency") {
  const name = option("--function-name");
  if (!(name in state.reservations)) {
    process.stderr.write(`\nAn error occurred (ResourceNotFoundException) when calling the GetFunctionConcurrency operation: Function not found: arn:aws:lambda:eu-west-1:000000000000:function:${name}\n`);
    save();
    process.exit(254);
  }
  // Like the real CLI, nothing at all for a function without a reservation.
  if (state.reservations[name] !== null) process.stdout.write(JSON.stringify({ ReservedConcurrentExecutions: state.reservations[name] }, null, 4));
} else {
  process.stderr.write(`fake aws: unexpected command ${args.join(" ")}\n`);
  save();
  process.exit(2);
}
save();
