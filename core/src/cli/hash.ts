import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

/** `warden -H [FILE]`: SHA1 and MD5 of a file or standard input, printed like `monit -H`. */
export async function hashLines(file: string | undefined, stdin: Readable = process.stdin): Promise<string> {
  const sha1 = createHash('sha1');
  const md5 = createHash('md5');
  const input = file ? createReadStream(file, { highWaterMark: 1 << 20 }) : stdin;
  for await (const chunk of input) {
    sha1.update(chunk as Buffer);
    md5.update(chunk as Buffer);
  }
  const name = file ?? 'stdin';
  return `SHA1(${name}) = ${sha1.digest('hex')}\nMD5(${name})  = ${md5.digest('hex')}\n`;
}
