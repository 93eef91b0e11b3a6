// The application's root directory (where package.json, static/ and node_modules are):
// one level above this file both in src/ and in the bundle in dist/.
import { fileURLToPath } from "node:url";

export const APP_ROOT = fileURLToPath(new URL("..", import.meta.url));
