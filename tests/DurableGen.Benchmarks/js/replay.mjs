// The official JS SDK's side of the replay comparison: one invocation of a workflow of N root steps whose history
// holds N SUCCEEDED step records (the same workload as ReplayBenchmarks.Replay), through withDurableExecution with an
// in-memory client. Usage: node replay.mjs N [runs] [warm-up ms]. Prints one JSON line: median and each run's µs per step.
import { createHash } from "node:crypto";
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

const n = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 21);
const warmupMs = Number(process.argv[4] ?? 2000);
let checkpoints = 0;

// The JS SDK's ids: the first 16 hex digits of md5 of the positional id ("1", "2", ... at the root).
const jsId = (raw) => createHash("md5").update(raw).digest("hex").substring(0, 16);
const start = new Date("2026-01-01T00:00:00Z");
const operations = [{
  Id: "execution", Type: "EXECUTION", Status: "STARTED", StartTimestamp: start,
  ExecutionDetails: { InputPayload: "\"input\"" },
}];
for (let i = 1; i <= n; i++) {
  operations.push({
    Id: jsId(String(i)), Type: "STEP", SubType: "Step", Status: "SUCCEEDED", StartTimestamp: start, EndTimestamp: start,
    StepDetails: { Attempt: 1, Result: "7" },
  });
}

const client = {
  checkpoint: async () => { checkpoints++; return { CheckpointToken: "token-" + checkpoints, NewExecutionState: { Operations: [] } }; },
  getExecutionState: async () => ({ Operations: [] }),
};
const handler = withDurableExecution(async (event, context) => {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += await context.step(async () => 7);
  }
  return sum;
}, { durableExecutionClient: client });

const event = () => ({
  DurableExecutionArn: "arn:aws:lambda:us-east-1:123456789012:function:bench:$LATEST/durable-execution/bench/1",
  CheckpointToken: "token-0",
  InitialExecutionState: { Operations: operations },
});
const lambda = { awsRequestId: "benchmark-request", getRemainingTimeInMillis: () => 900000 };

async function once() {
  const t0 = process.hrtime.bigint();
  const output = await handler(event(), lambda);
  const t1 = process.hrtime.bigint();
  if (output.Status !== "SUCCEEDED" || output.Result !== String(7 * n)) {
    throw new Error("unexpected output: " + JSON.stringify(output).slice(0, 500));
  }
  return Number(t1 - t0) / 1000 / n;
}

// Warm-up for a time, as the .NET side does: JIT and the SDK's id cache, as in a warm sandbox.
const warmupEnd = process.hrtime.bigint() + BigInt(Math.round(warmupMs * 1e6));
while (process.hrtime.bigint() < warmupEnd) await once();
const times = [];
for (let i = 0; i < runs; i++) times.push(await once());
const sorted = [...times].sort((a, b) => a - b);
console.log(JSON.stringify({ n, runs, medianMicrosPerStep: sorted[Math.floor(sorted.length / 2)], microsPerStep: times, checkpoints }));
