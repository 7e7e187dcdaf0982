#!/usr/bin/env node
import { hideBin, main } from './cli/main.js';

// A reader that stops early (`teardown analyze x.pcap | head`) is not an error: stop quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(hideBin(process.argv)).then((code) => {
  process.exitCode = code;
});
