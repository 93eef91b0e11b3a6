// Runs the steps before the routes, in order, as one Hono middleware: every middleware
// layer costs an asynchronous dispatch per request whether or not it does anything
// after the route, and none of these does.
import { createMiddleware } from "hono/factory";
import type { AppEnv, RequestStep } from "./app-env.ts";

export function requestPipeline(steps: RequestStep[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    for (const step of steps) {
      const result = step(c);
      const answer = result instanceof Promise ? await result : result;
      if (answer) return answer;
    }
    await next();
  });
}
