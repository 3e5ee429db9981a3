import type { CycleContext, DigestSmallFile, MetricsSink, ObserveContext, ProbeContext, StatPath } from '../context.js';
import type { ParseContext, ParsedTest, ServiceTypeDefinition, TestDefinition, ActionDefinition } from '../define.js';
import { tokenize } from '../lexer.js';
import { nodeDigestSmallFile } from '../digest.js';
import { nodeStat } from '../stat.js';
import type { ProbeResult } from '../result.js';
import { ArrayTokenStream } from '../token-stream.js';
import { CapturedLogger } from './captured-logger.js';
import { FakeClock } from './fake-clock.js';
import { testCycle } from './test-cycle.js';
import { testSpawner } from './test-spawner.js';

/** A token stream over `text`, as a plugin's `parse` would receive it. */
export function tokens(text: string, file = 'test.monitrc'): ArrayTokenStream {
  return new ArrayTokenStream(tokenize(text, file));
}

/** Parse `text` (the test's words, from its keyword on) with a test definition. */
export function parseTest<O>(
  def: TestDefinition<O, any>,
  text: string,
  ctx: Partial<ParseContext> = {},
): ParsedTest<O> {
  const ts = tokens(text);
  const parsed = def.parse(ts, { polarity: 'none', serviceType: def.serviceTypes[0] ?? '', serviceName: 'test', protocol: () => undefined, ...ctx });
  if (!ts.atEnd()) ts.syntaxError('the end of the test');
  return parsed;
}

/** Parse an action's words after its keyword. */
export function parseAction<O>(def: ActionDefinition<O>, text: string): O {
  const ts = tokens(text);
  const options = def.parse(ts);
  if (!ts.atEnd()) ts.syntaxError('the end of the action');
  return options;
}

/** Parse a service header's words after `check TYPE NAME`. */
export function parseTarget<O>(def: ServiceTypeDefinition<O, any, any>, text: string, name = 'test'): O {
  const ts = tokens(text);
  const options = def.parseTarget(ts, { name });
  if (!ts.atEnd()) ts.syntaxError('the end of the service header');
  return options;
}

/** A metrics sink that records what was set. */
export class RecordingMetrics implements MetricsSink {
  readonly values = new Map<string, number>();

  set(name: string, value: number): void {
    this.values.set(name, value);
  }

  inc(name: string, by = 1): void {
    this.values.set(name, (this.values.get(name) ?? 0) + by);
  }
}

/** What {@link runProbe} returns: the result and everything the probe logged. */
export interface ProbeRun {
  readonly result: ProbeResult;
  readonly log: CapturedLogger;
  readonly metrics: RecordingMetrics;
}

/** Options for {@link runProbe}. */
export interface RunProbeOptions<O, T> {
  readonly options: O;
  readonly target: T;
  readonly clock?: FakeClock;
  readonly timeoutMs?: number;
  readonly state?: Record<string, unknown>;
  readonly service?: { name: string; type: string };
  readonly cycle?: CycleContext;
  readonly settings?: Readonly<Record<string, unknown>>;
  /** The context's `stat` (default: through Node's `fs.statSync`). */
  readonly stat?: StatPath;
  /** The context's `digestSmallFile` (default: through Node). */
  readonly digestSmallFile?: DigestSmallFile;
}

/** Run a test's probe once with a fake clock and a captured logger. */
export async function runProbe<O, T>(def: TestDefinition<O, T>, opts: RunProbeOptions<O, T>): Promise<ProbeRun> {
  const log = new CapturedLogger();
  const metrics = new RecordingMetrics();
  const clock = opts.clock ?? new FakeClock();
  const controller = new AbortController();
  const ctx: ProbeContext<O, T> = {
    options: opts.options,
    target: opts.target,
    service: opts.service ?? { name: 'test', type: def.serviceTypes[0] ?? 'test' },
    signal: controller.signal,
    deadline: clock.now() + (opts.timeoutMs ?? 5000),
    clock,
    log,
    metrics,
    spawn: testSpawner,
    stat: opts.stat ?? nodeStat,
    digestSmallFile: opts.digestSmallFile ?? nodeDigestSmallFile,
    state: opts.state ?? {},
    cycle: opts.cycle ?? testCycle(),
    settings: opts.settings ?? {},
  };
  const result = await def.run(ctx);
  return { result, log, metrics };
}

/** Run a service type's `observe` once, with the state its `init` makes. */
export async function observeOnce<O, T, S>(
  def: ServiceTypeDefinition<O, T, S>,
  options: O,
  opts: { clock?: FakeClock; state?: S; timeoutMs?: number; cycle?: CycleContext; settings?: Readonly<Record<string, unknown>>; stat?: StatPath } = {},
): Promise<{ target: T | undefined; log: CapturedLogger; state: S }> {
  const log = new CapturedLogger();
  const clock = opts.clock ?? new FakeClock();
  const state = opts.state ?? (def.init ? def.init(options) : (undefined as S));
  const ctx: ObserveContext<O, S> = {
    options,
    service: { name: 'test', type: def.name },
    signal: new AbortController().signal,
    deadline: clock.now() + (opts.timeoutMs ?? 5000),
    clock,
    log,
    spawn: testSpawner,
    stat: opts.stat ?? nodeStat,
    state,
    cycle: opts.cycle ?? testCycle(),
    settings: opts.settings ?? {},
  };
  const target = def.observe ? await def.observe(ctx) : undefined;
  return { target, log, state };
}
