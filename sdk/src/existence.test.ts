import assert from 'node:assert/strict';
import { parseExistence } from './existence.js';
import { tokenize } from './lexer.js';
import { ArrayTokenStream } from './token-stream.js';

const parse = (text: string) => parseExistence(new ArrayTokenStream(tokenize(text, 'f.rc')), (exist) => ({ exist }));

describe('parseExistence (every service type\'s existence test)', () => {
  it('reads `[does] not exist` as a nonexist rule and `exist` as an inverted exist rule', () => {
    assert.deepEqual(parse('does not exist'), { options: { exist: false }, condition: { kind: 'state' }, event: 'nonexist', describe: 'does not exist' });
    assert.deepEqual(parse('not exist'), parse('does not exist'));
    assert.deepEqual(parse('exist'), { options: { exist: true }, condition: { kind: 'state', invert: true }, event: 'exist', describe: 'exist' });
  });

  it('refuses anything else with a positioned syntax error', () => {
    assert.throws(() => parse('not running'), /f\.rc:1: syntax error 'running'/);
  });
});
