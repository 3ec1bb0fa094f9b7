#!/usr/bin/env node
import { main } from './main.ts';

const code = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
// Exit once stdout is flushed: child processes and sockets are closed by then, and nothing may keep the CLI alive.
process.stdout.write('', () => process.exit(code));
