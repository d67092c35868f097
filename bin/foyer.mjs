#!/usr/bin/env node
// `foyer`: the operator's commands (server/cli). Runs the TypeScript sources with tsx, as
// `npm run serve` does for the server.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../server/cli/main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
