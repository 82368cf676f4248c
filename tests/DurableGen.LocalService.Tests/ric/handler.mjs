// A durable function written against AWS's durable execution SDK for JavaScript, run by AWS's Node.js runtime
// interface client (aws-lambda-ric) as `_HANDLER=handler.handler`: neither knows it runs on the local service.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const handler = withDurableExecution(async (event, context) => {
  const reservation = await context.step("reserve", async () => `rsv-${event.orderId}`);
  await context.wait("cool-off", { seconds: 1 });
  const [approval] = await context.createCallback("approval", { timeout: { minutes: 5 } });
  const decision = JSON.parse(await approval);
  return { reservation, approved: decision.approved === true };
});
