import assert from 'node:assert/strict';
import { isParseError } from '@warden/sdk';
import { lexPmtr } from './lexer.js';
import { parsePmtr } from './parser.js';

const F = '/etc/pmtr.conf';
const job = (...lines: string[]) => ['job {', '  name a', '  cmd /bin/true', ...lines, '}', ''].join('\n');

function error(text: string): string {
  try {
    parsePmtr(text, F);
  } catch (err) {
    assert.ok(isParseError(err), String(err));
    return `${err.line}: ${err.message}`;
  }
  assert.fail('no error');
}

describe('pmtr.conf parser', () => {
  it('lexes like pmtr: keywords at line start, {/on/to/every anywhere, quotes, comments', () => {
    const toks = lexPmtr('cmd /bin/echo name # c\n  "a b" d"e f"g ""\n', F);
    assert.deepEqual(toks.map((t) => `${t.kind}:${t.text}`), ['keyword:cmd', 'word:/bin/echo', 'word:name', 'string:a b', 'word:d"e', 'word:f"g', 'string:', 'eof:']);
    assert.equal(toks.at(-1)!.line, 3);
  });

  it('parses every job option', () => {
    const f = parsePmtr([
      'report to udp://127.0.0.1:19999@lo', 'listen on udp://127.0.0.1:19998',
      'job {', '  name web', '  cmd /bin/sleep 1 "x y" ""', '  dir /tmp', '  out o', '  err syslog', '  in i',
      '  env A=1', '  env B=x=y', '  user nobody', '  ulimit -n 77', '  ulimit {', '    -c unlimited RLIMIT_CPU -1', '    -f 10k', '  }',
      '  depends {', '    /a /b', '  }', '  bounce every 2m', '  disable', '  wait', '  once', '  order -3', '  nice 5', '  cpu 0x5', '}', '',
    ].join('\r\n'), F);
    assert.deepEqual(f.reports, [{ host: '127.0.0.1', port: 19999, iface: 'lo', line: 1 }]);
    assert.deepEqual(f.listens, [{ host: '127.0.0.1', port: 19998, line: 2 }]);
    assert.deepEqual(f.jobs[0]!.job, {
      name: 'web', argv: ['/bin/sleep', '1', 'x y', ''], dir: '/tmp', out: 'o', in: 'i', env: ['A=1', 'B=x=y'], user: 'nobody',
      ulimits: [{ resource: 'nofile', value: 77 }, { resource: 'core', value: 'unlimited' }, { resource: 'cpu', value: 'unlimited' }, { resource: 'fsize', value: 10 }],
      depends: ['/a', '/b'], bounceMs: 120_000, disabled: true, wait: true, once: true, order: -3, nice: 5, cpu: '0,2',
    });
    assert.deepEqual(f.warnings, []);
  });

  const cases: Array<[string, string, string]> = [
    ['missing }', 'job {\n  name a\n  cmd /bin/true\n', '4: parse failed: syntax error at end of file'],
    ['no name', 'job {\n  cmd /bin/true\n}\n', '1: parse failed: job has no name'],
    ['name twice', 'job {\n  name a\n  name b\n}\n', '3: parse failed: name respecified'],
    ['dir twice', job('  dir /a', '  dir /b'), '5: parse failed: dir respecified'],
    ['unterminated quote', 'job {\n  name a\n  cmd /bin/echo "x\n}\n', '3: parse failed: syntax error (a quoted string must end on its line)'],
    ['ulimit -z', job('  ulimit -z 5'), '4: parse failed: unknown ulimit resource -z'],
    ['ulimit -n infinity', job('  ulimit -n infinity'), '4: parse failed: ulimit -n must be finite'],
    ['ulimit -n lots', job('  ulimit -n lots'), '4: parse failed: non-numeric ulimit value'],
    ['env FOO', job('  env FOO'), '4: parse failed: environment string must be VAR=VALUE'],
    ['nice 25', job('  nice 25'), '4: parse failed: nice out of range -20 to 19'],
    ['nice high', job('  nice high'), '4: parse failed: non-numeric nice parameter'],
    ['bounce 10x', job('  bounce every 10x'), "4: parse failed: invalid time unit in 'bounce every'"],
    ['bounce m', job('  bounce every m'), "4: parse failed: invalid time interval in 'bounce every'"],
    ['cpu 3-1', job('  cpu 3-1'), '4: parse failed: syntax error in cpuset'],
    ['cpu 0,,1', job('  cpu 0,,1'), '4: parse failed: syntax error in cpuset'],
    ['cpu 0xZZ', job('  cpu 0xZZ'), '4: parse failed: invalid hex in cpuset'],
    ['cpu 0x', job('  cpu 0x'), '4: parse failed: parse error in cpuset'],
    ['order x', job('  order x'), '4: parse failed: non-numeric order parameter'],
    ['report tcp', 'report to tcp://127.0.0.1:9\n', '1: parse failed: required format: udp://1.2.3.4:5678[@eth2]'],
    ['report port', 'report to udp://127.0.0.1:99999\n', '1: parse failed: required format: udp://1.2.3.4:5678[@eth2]'],
    ['listen no scheme', 'listen on 127.0.0.1:10000\n', '1: parse failed: required format: udp://1.2.3.4:5678[@eth2]'],
    ['cmd … to', 'job {\n  name a\n  cmd /bin/echo to\n}\n', "3: parse failed: syntax error near 'to'"],
    ['one-line job', 'job { name a', "1: parse failed: syntax error near 'name'"],
    ['job{', 'job{\n', "1: parse failed: syntax error near 'job{'"],
    ['} after cmd', 'job {\n  name a\n  cmd /bin/true }\n', '4: parse failed: syntax error at end of file'],
    ['quoted argv[0]', 'job {\n  name a\n  cmd "/bin/true"\n}\n', "3: parse failed: syntax error near '/bin/true'"],
    ['quoted env', job('  env "A=b c"'), "4: parse failed: syntax error near 'A=b c'"],
    ['empty body', 'job {\n}\n', "2: parse failed: syntax error near '}'"],
    ['depends one line', job('  depends { /etc/hostname }'), '6: parse failed: syntax error at end of file'],
    ['depends empty', job('  depends {', '  }'), "5: parse failed: syntax error near '}'"],
    ['wait extra', job('  wait extra'), "4: parse failed: syntax error near 'extra'"],
    ['top-level name', 'name a\n', "1: parse failed: syntax error near 'name'"],
    ['unknown option before cmd', 'job {\n  name a\n  frobnicate 1\n}\n', "3: parse failed: syntax error near 'frobnicate'"],
  ];
  for (const [what, text, expected] of cases) {
    it(`${what}: ${expected}`, () => assert.equal(error(text), expected));
  }

  it('accepts what pmtr accepts silently, with a warning where it is surely wrong', () => {
    const f = parsePmtr([
      'job {', '  name a', '  cmd /bin/echo one', '  frobnicate 1', '}',
      'job {', '  name a', '  cmd /bin/echo two', '  cmd /bin/echo three', '}',
      'job {', '  name nocmd # comment', '  ulimit {', '  }', '}',
      'listen on udp://127.0.0.1:1', 'listen on udp://127.0.0.1:2', '',
    ].join('\n'), F);
    assert.deepEqual(f.jobs.map((j) => j.job.argv), [['/bin/echo', 'one', 'frobnicate', '1'], ['/bin/echo', '/bin/echo', 'two', 'three'], []]);
    assert.deepEqual(f.warnings.map((w) => `${w.line}: ${w.message.split(':')[0]}`), [
      "4: 'frobnicate' is taken as an argument of cmd (line 3), as pmtr does",
      '9: cmd respecified (first on line 8)',
      '6: job name a is used twice (also line 1)',
      '11: job nocmd has no cmd',
      '17: only the first listen on (line 16) is used, as in pmtr',
    ]);
  });
});
