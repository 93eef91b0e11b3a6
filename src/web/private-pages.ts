// Keeps pages out of every cache: most depend on the session or on a secret list URL.
// Static files set their own caching over this.
import type { RequestStep } from "./app-env.ts";

export function privatePages(): RequestStep {
  return (c) => {
    c.header("Cache-Control", "no-store");
    c.header("Vary", "Cookie");
    return undefined;
  };
}
