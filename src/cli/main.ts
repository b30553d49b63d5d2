// The process entry point: the only place that calls process.exit.

import { runCli } from './program.ts';
import { processIo } from './io.ts';

const code = await runCli(process.argv.slice(2), processIo);
process.exitCode = code;
// let pending stdout writes drain, then leave even if a socket is still open
setTimeout(() => process.exit(code), 50).unref();
