#!/usr/bin/env bash
# Replays one stage's on-failure queue into its function, one event at a time (README "Replaying
# failed files"). Fix the cause first.
#
#   bash scripts/redrive.sh <stage> [project]        e.g. bash scripts/redrive.sh prod
#
# The project defaults to config/stages.json's `project` (else order-pipeline), as synth names it.
#
# Each event is invoked synchronously (RequestResponse), so two versions of one file never run at
# once, a slow file has all the time of the function's timeout, and a failure comes back here
# instead of into the queue. A message is deleted only after its invocation succeeded; the first
# one that fails again stops the script, and its message stays in the queue. A message whose body
# holds no S3 event is left in the queue and named. Exits 0 when every message was replayed, 1 when
# a replay failed again, 2 on wrong usage, 3 when messages without an S3 event were left, and with
# the AWS CLI's own code (252-255) when a call to AWS failed. Needs AWS CLI v2 and jq, and sqs:GetQueueUrl,
# sqs:ReceiveMessage, sqs:DeleteMessage on the queue, kms:Decrypt on the stack key (the queue is
# encrypted with it) and lambda:InvokeFunction on the function.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: bash scripts/redrive.sh <stage> [project], e.g. bash scripts/redrive.sh prod" >&2
  exit 2
fi
stage=$1
config="$(dirname "${BASH_SOURCE[0]}")/../config/stages.json"
if [ $# -eq 2 ]; then
  project=$2
elif [ -f "$config" ]; then
  project=$(jq -r '.project // "order-pipeline"' "$config")
else
  project=order-pipeline
fi
function_name="$project-$stage-processor"
queue_url=$(aws sqs get-queue-url --queue-name "$project-$stage-failed-events" --query QueueUrl --output text)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

replayed=0
skipped=0
while :; do
  # One message at a time, hidden for the longest function timeout while it is replayed.
  aws sqs receive-message --queue-url "$queue_url" --max-number-of-messages 1 \
    --visibility-timeout 900 --wait-time-seconds 2 --output json > "$work/received.json"
  # An empty queue gets no output at all from the CLI, and jq 1.6's -e passes on empty input.
  if [ ! -s "$work/received.json" ] || ! jq -e '(.Messages // []) | length > 0' "$work/received.json" > /dev/null; then break; fi
  jq '.Messages[0]' "$work/received.json" > "$work/message.json"
  id=$(jq -r '.MessageId' "$work/message.json")
  if ! jq -e '.Body | fromjson | .requestPayload.Records | length > 0' "$work/message.json" > /dev/null 2>&1; then
    echo "message $id holds no S3 event (not an on-failure record of this function?): left in the queue" >&2
    skipped=$((skipped + 1))
    continue
  fi
  jq '.Body | fromjson | .requestPayload' "$work/message.json" > "$work/event.json"
  keys=$(jq -r '[.Records[].s3.object.key] | join(", ")' "$work/event.json")
  reason=$(jq -r '.Body | fromjson | .responsePayload.errorMessage // "unknown"' "$work/message.json")
  echo "replaying $keys (it failed with: $reason)"
  function_error=$(aws lambda invoke --function-name "$function_name" --invocation-type RequestResponse \
    --cli-read-timeout 0 --cli-binary-format raw-in-base64-out --payload "file://$work/event.json" \
    --query FunctionError --output text "$work/response.json")
  if [ "$function_error" != "None" ]; then
    echo "the replay of $keys failed again ($function_error): $(cat "$work/response.json")" >&2
    echo "stopping after $replayed replayed; its message stays in the queue (visible again in 15 minutes)" >&2
    exit 1
  fi
  aws sqs delete-message --queue-url "$queue_url" --receipt-handle "$(jq -r '.ReceiptHandle' "$work/message.json")"
  replayed=$((replayed + 1))
done
echo "replayed $replayed event(s); $skipped message(s) left in the queue"
# Messages left behind keep the queue's alarm on: not a clean drain.
if [ "$skipped" -gt 0 ]; then exit 3; fi
