import { createServer, type Server, type Socket } from 'node:net';

/** One step of a dialogue: wait for a line matching `expect`, or send `send`. */
export type ScriptStep = { readonly expect: RegExp } | { readonly send: string } | { readonly close: true };

/** A loopback TCP server that follows a script with every client. */
export interface ScriptedServer {
  readonly host: string;
  readonly port: number;
  /** Lines each client sent, per connection. */
  readonly received: string[][];
  close(): Promise<void>;
}

/**
 * Start a TCP server on 127.0.0.1 and a free port that plays `script` with each client:
 * `{ send }` writes, `{ expect }` waits until what the client sent since the last match
 * matches the pattern, `{ close }` ends the connection. When a complete line (ending in
 * `\n`) arrives that does not match, the server ends the connection: the dialogue failed.
 */
export async function scriptedServer(script: readonly ScriptStep[]): Promise<ScriptedServer> {
  const received: string[][] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const lines: string[] = [];
    received.push(lines);
    let buffer = '';
    let step = 0;
    let waiting: ((chunk: string) => void) | undefined;
    socket.on('data', (data) => {
      buffer += data.toString('utf8');
      lines.push(data.toString('utf8'));
      waiting?.(buffer);
    });
    const play = async () => {
      while (step < script.length && !socket.destroyed) {
        const s = script[step++]!;
        if ('send' in s) {
          socket.write(s.send);
        } else if ('close' in s) {
          socket.end();
          return;
        } else if (!(await expectStep(s.expect))) {
          socket.end();
          return;
        }
      }
    };
    // True once what the client sent matches; false when a complete line did not, or it left.
    const expectStep = (pattern: RegExp) =>
      new Promise<boolean>((resolve) => {
        const settle = (matched: boolean) => {
          waiting = undefined;
          socket.off('close', onClose);
          resolve(matched);
        };
        const onClose = () => settle(false);
        const check = (text: string) => {
          if (pattern.test(text)) {
            buffer = '';
            settle(true);
          } else if (text.endsWith('\n')) {
            settle(false);
          }
        };
        waiting = check;
        socket.once('close', onClose);
        check(buffer);
      });
    void play();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    host: '127.0.0.1',
    port: address.port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
