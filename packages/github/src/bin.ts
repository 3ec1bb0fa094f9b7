#!/usr/bin/env node
import { runServerCli } from '@switchboard-mcp/core';
import server from './index.ts';

await runServerCli(server);
