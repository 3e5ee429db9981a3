// Dialogue (Monit's src/protocols/fail2ban.c; fail2ban's client socket, pickled commands ending
// in <F2B_END_COMMAND>, https://github.com/fail2ban/fail2ban/blob/master/fail2ban/protocol.py):
//   C: (lp0\nS'ping'\np1\na.<F2B_END_COMMAND>\0     (the list ['ping'] in pickle protocol 0)
//   S: 0x80 …                                      (a pickle of protocol ≥ 2: the server reacted)
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, Reader, send } from './io.js';

/** `protocol fail2ban`, usually on `unixsocket /var/run/fail2ban/fail2ban.sock`. */
export const fail2banProtocol = defineProtocol<undefined>({
  name: 'fail2ban',
  summary: 'fail2ban: a pickled ping answered by a pickle',
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      // Monit writes the C string with its terminating NUL; the server ignores it.
      await send(ctx.socket, Buffer.from("(lp0\nS'ping'\np1\na.<F2B_END_COMMAND>\0", 'latin1'));
      const first = await reader.bytes(1, 'FAIL2BAN PONG');
      if (first[0] !== 0x80) throw new DialogueError('FAIL2BAN: PONG error');
      return 'PONG';
    }),
});
