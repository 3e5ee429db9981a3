import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { observeOnce, parseTarget } from '@warden/sdk/testing';
import { programService } from './program-type.js';
import type { ProgramState, ProgramTarget } from './runner.js';

/** For this plugin's own tests: wait (bounded) until the program of `state` has finished. */
export async function settle(state: ProgramState, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (state.running && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  assert.equal(state.running, undefined, `program still running after ${ms} ms`);
}

/** An executable shell script `dir/name` running `body`. */
export function writeScript(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Two cycles of a `check program` header: the first starts the program, the second collects its result. */
export async function twoCycles(header: string): Promise<ProgramTarget> {
  const options = parseTarget(programService, header);
  const first = await observeOnce(programService, options);
  await settle(first.state);
  const second = await observeOnce(programService, options, { state: first.state });
  await settle(first.state);
  return second.target!;
}
