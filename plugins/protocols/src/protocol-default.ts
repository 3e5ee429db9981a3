// Dialogue: none. The connection itself is the test (Monit's `protocol default`): a TCP or
// unix socket that was accepted, or for UDP a datagram that could be sent.
import { defineProtocol, ok } from '@warden/sdk';

/** `protocol default`: succeed once connected. */
export const defaultProtocol = defineProtocol<undefined>({
  name: 'default',
  summary: 'Plain connection test: the port accepts a connection',
  async speak(ctx) {
    const udp = ctx.udp;
    // UDP has no handshake: send one NUL byte so a closed port can answer with ICMP unreachable.
    if (udp) await new Promise<void>((resolve, reject) => udp.send(Buffer.alloc(1), (err) => (err ? reject(err) : resolve())));
    return ok('connected');
  },
});
