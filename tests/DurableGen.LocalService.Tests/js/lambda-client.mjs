// Calls one durable-execution API through the official AWS JS client (@aws-sdk/client-lambda), unchanged, against
// the local service, and prints the outcome as one JSON line on stdout.
//
//   node lambda-client.mjs <endpoint> <Operation> '<input as JSON>'
//
// <Operation> is a command name without "Command" (GetDurableExecution, SendDurableExecutionCallbackSuccess, ...).
// A string Result/Payload member of the input is sent as the blob the client expects (UTF-8 bytes).
// Output: {"ok":true,"status":200,"output":{...}} or {"ok":false,"name":"...","status":404,"fault":"client","message":"..."}.
// Blobs in the output are printed as UTF-8 text; Dates as epoch milliseconds. Exit code 0 either way, 2 on bad usage.
import * as lambda from "@aws-sdk/client-lambda";

const [endpoint, operation, inputJson = "{}"] = process.argv.slice(2);
const Command = lambda[`${operation}Command`];
if (!endpoint || !Command) {
  console.error(`usage: node lambda-client.mjs <endpoint> <Operation> '<json>' (unknown operation: ${operation})`);
  process.exit(2);
}

const client = new lambda.LambdaClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "AKIDLOCALTEST", secretAccessKey: "local-test-secret" },
  maxAttempts: 1,
});

const input = JSON.parse(inputJson);
for (const blob of ["Result", "Payload"]) {
  if (typeof input[blob] === "string") input[blob] = new TextEncoder().encode(input[blob]);
}

const dates = value => {
  if (value instanceof Date) return value.getTime();
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (Array.isArray(value)) return value.map(dates);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, dates(v)]));
  }
  return value;
};

try {
  const output = await client.send(new Command(input));
  const { $metadata, ...rest } = output;
  console.log(JSON.stringify({ ok: true, status: $metadata.httpStatusCode, output: dates(rest) }));
} catch (error) {
  console.log(JSON.stringify({
    ok: false,
    name: error.name,
    status: error.$metadata?.httpStatusCode ?? null,
    fault: error.$fault ?? null,
    message: error.message,
    typed: error instanceof lambda.LambdaServiceException && error.constructor !== lambda.LambdaServiceException,
  }));
}
