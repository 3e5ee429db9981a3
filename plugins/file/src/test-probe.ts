import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceTypeDefinition, TestDefinition } from '@warden/sdk';
import { type FakeClock, observeOnce, parseTest, runProbe } from '@warden/sdk/testing';
import type { PathState, PathTarget } from './path-target.js';
import { directoryService, fifoService, fileService } from './service-types.js';

const SERVICES: Readonly<Record<string, ServiceTypeDefinition<{ path: string }, PathTarget, PathState>>> = {
  file: fileService, fifo: fifoService, directory: directoryService,
};

/** For this plugin's own tests: observe `path` as a `type` service, then run one rule's probe on it. */
export async function probePath<O>(
  def: TestDefinition<O, PathTarget>,
  text: string,
  path: string,
  opts: { type?: string; polarity?: 'none' | 'failed' | 'changed'; state?: Record<string, unknown>; clock?: FakeClock } = {},
) {
  const type = opts.type ?? 'file';
  const parsed = parseTest(def, text, { polarity: opts.polarity ?? 'none', serviceType: type });
  const { target } = await observeOnce(SERVICES[type]!, { path });
  const run = await runProbe(def, { options: parsed.options, target: target!, service: { name: 'svc', type }, state: opts.state ?? {}, ...(opts.clock ? { clock: opts.clock } : {}) });
  return { parsed, ...run };
}

/**
 * For this plugin's own tests: a temporary folder with a 10-byte file `f.txt` (mode 0644), a
 * folder `sub` and a fifo `q`. The caller removes `dir`.
 */
export function makeStatFixture(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'warden-stat-'));
  const file = join(dir, 'f.txt');
  writeFileSync(file, '0123456789');
  chmodSync(file, 0o644);
  mkdirSync(join(dir, 'sub'));
  execFileSync('mkfifo', [join(dir, 'q')]);
  return { dir, file };
}
