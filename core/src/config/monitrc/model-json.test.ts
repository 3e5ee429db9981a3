import assert from 'node:assert/strict';
import { parseText } from './fake-registry.js';
import { toJson } from './model-json.js';

describe('toJson (-t --json)', () => {
  it('shows services, rules, schedule and warnings', () => {
    const model = parseText([
      'check program p with path "/bin/p"',
      '  group batch',
      '  every "* 8-19 * * 1-5"',
      '  if status != 0 for 2 times within 3 cycles then exec "/bin/page" else if succeeded 2 cycles then alert',
      'check file f with path /f',
      '  depends on p',
      '  every 2 cycles',
      '  every 3 cycles',
      'check system myhost',
    ].join('\n'));
    const json = JSON.parse(JSON.stringify(toJson(model)));
    json.services.pop(); // the declared system service; no implicit one is added then
    assert.deepEqual(json, {
      services: [
        {
          name: 'p',
          type: 'program',
          groups: ['batch'],
          depends: [],
          rules: [{
            test: 'program.status',
            polarity: 'none',
            describe: 'status != 0',
            rate: { times: 2, cycles: 3 },
            action: 'exec "/bin/page"',
            else: 'alert',
            line: 4,
            implicit: false,
          }],
          every: { cron: '* 8-19 * * 1-5', not: false },
        },
        {
          name: 'f',
          type: 'file',
          groups: [],
          depends: ['p'],
          rules: [{
            test: 'file.exist',
            polarity: 'none',
            describe: 'does not exist',
            rate: { times: 1, cycles: 1 },
            action: 'restart',
            else: null,
            line: 5,
            implicit: true,
          }],
          every: { cycles: 3 },
        },
      ],
      warnings: ["test.rc:8: The 'every' statement can be specified only once, the last value will be used '3'", "test.rc:4: Program does not exist: '/bin/page'"],
      errors: [],
    });
  });

  it('shows errors without a model', () => {
    assert.deepEqual(toJson(undefined, ["rc:1: syntax error 'x'"]), { services: [], warnings: [], errors: ["rc:1: syntax error 'x'"] });
  });
});
