export { FakeClock } from './fake-clock.js';
export { CapturedLogger, type LogLine } from './captured-logger.js';
export { scriptedServer, type ScriptedServer, type ScriptStep } from './scripted-server.js';
export {
  tokens,
  parseTest,
  parseAction,
  parseTarget,
  runProbe,
  observeOnce,
  RecordingMetrics,
  type ProbeRun,
  type RunProbeOptions,
} from './run-probe.js';
export { testCycle } from './test-cycle.js';
export { testSpawner } from './test-spawner.js';
