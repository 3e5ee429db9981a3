// Dialogue (Monit's src/protocols/gps.c; gpsd's old protocol, https://gpsd.gitlab.io/gpsd/):
//   C: G\r\n
//   S: GPSD,G=GPS | GPSD,G=RTCM104v2 | GPSD,G=RTCM104 …   (anything else: no device)
import { defineProtocol } from '@warden/sdk';
import { converse, DialogueError, quote, Reader, send } from './io.js';

const DEVICES = ['GPSD,G=GPS', 'GPSD,G=RTCM104v2', 'GPSD,G=RTCM104'];

/** `protocol gps` (gpsd). */
export const gpsProtocol = defineProtocol<undefined>({
  name: 'gps',
  summary: 'gpsd: the G command answered with a device',
  defaultPort: 2947,
  speak: (ctx) =>
    converse(async () => {
      const reader = new Reader(ctx.socket, ctx.signal);
      await send(ctx.socket, 'G\r\n');
      const line = await reader.line('GPS response');
      if (!DEVICES.some((d) => line.toUpperCase().startsWith(d.toUpperCase()))) throw new DialogueError(`GPS error (no device): ${quote(line)}`);
      return quote(line);
    }),
});
