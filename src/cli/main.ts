#!/usr/bin/env node
// `superlists <command>`: the project's manage.py. Shares the server's configuration.
import { enableCompileCache } from "node:module";

// Node keeps its compiled, type-stripped modules on disk (in the OS temp directory, or
// NODE_COMPILE_CACHE): every start after the first is faster and needs less memory.
// The program is imported only now, so that its modules are cached too.
enableCompileCache();
await import("./program.ts");
