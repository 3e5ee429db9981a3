// Dialogue (rsync daemon protocol, https://git.samba.org/?p=rsync.git;a=blob;f=clientserver.c;
// Monit's src/protocols/rsync.c):
//   S: @RSYNCD: <major>.<minor>[ …]
//   C: the same greeting back, then #list
//   S: module lines …, then @RSYNCD: EXIT
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, quote, Reader, send } from './io.js';

/** A `#list` reply longer than this many lines is not awaited to its end. */
const MAX_LINES = 10_000;

/** `protocol rsync`. */
export const rsyncProtocol = defineProtocol<undefined>({
  name: 'rsync',
  summary: 'rsync daemon: greeting, #list, @RSYNCD: EXIT',
  defaultPort: 873,
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      const greeting = await reader.line('RSYNC greeting');
      const m = /^(\S{1,10})\s+(\d+)\.(\d+)/.exec(greeting);
      if (!m) throw new DialogueError(`RSYNC: server greeting parse error ${quote(greeting)}`);
      if (!m[1]!.toUpperCase().startsWith('@RSYNCD:')) throw new DialogueError(`RSYNC: server sent unexpected greeting -- ${quote(greeting)}`);
      await send(ctx.socket, `${greeting}\n#list\n`);
      for (let i = 0; i < MAX_LINES; i++) {
        const line = await reader.line('RSYNC module list');
        if (!line.toUpperCase().startsWith('@RSYNCD:')) continue;
        if (!line.toUpperCase().startsWith('@RSYNCD: EXIT')) throw new DialogueError(`RSYNC: server sent unexpected response -- ${quote(line)}`);
        return `protocol ${m[2]}.${m[3]}`;
      }
      throw new DialogueError(`RSYNC: more than ${MAX_LINES} lines without @RSYNCD: EXIT`);
    }),
});
