// The HTTP peer of the host scenario, run as its own process so its CPU is neither the
// daemon's nor the bench's: answers every request with 200 "ok" on 127.0.0.1, prints its port.
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '3' });
  res.end('ok\n');
});
server.keepAliveTimeout = 1000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
