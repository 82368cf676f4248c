// Dev-only reference check (not run by CI): records what the official JS client (@aws-sdk/client-lambda) sends for
// the calls DurableGen's clients make, so their wire shapes can be compared with the assertions in
// ServiceClientTests / ExecutionClientTests.
//
//   mkdir -p /tmp/jsref && cp record-js-client.mjs /tmp/jsref && cd /tmp/jsref
//   npm install --ignore-scripts @aws-sdk/client-lambda && node record-js-client.mjs
//
// Last run with 3.1164.0: paths, query strings, bodies and content types were identical to DurableGen's (labels
// single-encoded on the wire; callback success application/octet-stream with the raw bytes; heartbeat no content type
// and Content-Length 0; GET without body or content type; scope <date>/us-east-1/lambda/aws4_request). Differences by
// design: the JS client also signs amz-sdk-invocation-id, amz-sdk-request, content-length and x-amz-user-agent
// (DurableGen signs content-type when there is a body, host, x-amz-content-sha256, x-amz-date, x-amz-security-token),
// and it orders OperationUpdate members differently (JSON member order carries no meaning).
import http from 'node:http';
import { LambdaClient, CheckpointDurableExecutionCommand, SendDurableExecutionCallbackSuccessCommand, SendDurableExecutionCallbackHeartbeatCommand, GetDurableExecutionStateCommand } from '@aws-sdk/client-lambda';
const seen = [];
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(req.url.includes('checkpoint') ? '{"CheckpointToken":"x","NewExecutionState":{}}' : (req.url.includes('/state') ? '{"Operations":[]}' : '{}'));
  });
});
await new Promise(r => server.listen(0, '127.0.0.1', r));
const port = server.address().port;
const client = new LambdaClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'TOKEN' } });
const arn = 'arn:aws:lambda:us-east-1:123456789012:function:order-flow:7/durable-execution/order-42/0f4e6c1a-6d0e-4c43-9b67-2f0e3d8b9a11';
await client.send(new CheckpointDurableExecutionCommand({ DurableExecutionArn: arn, CheckpointToken: 'eyJzZXEiOjB9', ClientToken: '5d0c6f1e-8f7a-4a53-9a0e-1b2c3d4e5f60',
  Updates: [{ Id: 'c4ca4238a0b92382', Type: 'STEP', SubType: 'Step', Action: 'START', Name: 'charge-card' }] }));
await client.send(new GetDurableExecutionStateCommand({ DurableExecutionArn: arn, CheckpointToken: 'a+b/c=', Marker: 'm 1', MaxItems: 1000 }));
await client.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: 'scDKyYALNFBYar5cCaxe++M4WDLkqQKp65dhnx/CoDZK', Result: Buffer.from('{"approved":true,"approver":"kim"}') }));
await client.send(new SendDurableExecutionCallbackHeartbeatCommand({ CallbackId: 'ab+/cd==' }));
for (const s of seen) {
  const auth = s.headers.authorization;
  console.log(s.method, s.url);
  console.log('  content-type:', s.headers['content-type'], ' content-length:', s.headers['content-length']);
  console.log('  signed:', /SignedHeaders=([^,]+)/.exec(auth)[1], ' scope:', /Credential=[^/]+\/\d+\/(.*?),/.exec(auth)[1]);
  console.log('  body:', s.body);
}
server.close();
