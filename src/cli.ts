#!/usr/bin/env node
import { hideBin, main } from './cli/main.js';

/** Wait for stdout to drain before exiting, so piped output is never cut. */
main(hideBin(process.argv)).then((code) => {
  process.exitCode = code;
});
