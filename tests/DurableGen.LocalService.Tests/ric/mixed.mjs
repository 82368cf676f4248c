// The JavaScript half of a mixed project: a durable function that the .NET workflow calls-node invokes, and that
// invokes the .NET workflow Greeting in turn (chained invokes both ways, through the local service).
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

export const callsDotnet = withDurableExecution(async (name, context) => {
  const greeting = await context.invoke("dotnet", "Greeting", name);
  return `${greeting} via node`;
});
