import assert from 'node:assert/strict';
import { detectFormat } from './detect-format.js';

describe('detectFormat', () => {
  const table: Array<[string, 'monitrc' | 'pmtr']> = [
    ['job {\n  name a\n}\n', 'pmtr'],
    ['# pmtr\n\n  job {\n', 'pmtr'],
    ['report to udp://127.0.0.1:9\n', 'pmtr'],
    ['listen on udp://127.0.0.1:9\n', 'pmtr'],
    ['job\n{\n', 'pmtr'],
    ['set daemon 30\ncheck file x with path /x\n', 'monitrc'],
    ['check job web with command "/bin/sleep 1"\n', 'monitrc'],
    ['', 'monitrc'],
    ['# only a comment\n', 'monitrc'],
    ['jobs {\n', 'monitrc'],
  ];
  for (const [text, format] of table) it(`${JSON.stringify(text)} is ${format}`, () => assert.equal(detectFormat(text), format));
});
