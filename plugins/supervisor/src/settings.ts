import { defineSetting, type TokenStream } from '@warden/sdk';
import { LISTEN_SETTING, REPORT_SETTING } from './hub.js';
import { parseUdpUrl, UDP_FORMAT, type UdpEndpoint } from './udp.js';

function endpoint(ts: TokenStream): UdpEndpoint {
  const tok = ts.peek();
  const ep = parseUdpUrl(ts.string(UDP_FORMAT));
  if (!ep) ts.error(UDP_FORMAT, tok);
  return ep;
}

/** `set report to "udp://HOST:PORT[@IFACE]"`: pmtr's job report datagram every 10 s. */
export const reportSetting = defineSetting<UdpEndpoint>({
  name: REPORT_SETTING,
  summary: 'Send the jobs report (pmtr format) to a UDP address every 10 s',
  keywords: ['report'],
  repeatable: true,
  parse: endpoint,
});

/** `set listen on "udp://HOST:PORT"`: take `enable NAME` / `disable NAME` datagrams. */
export const listenSetting = defineSetting<UdpEndpoint>({
  name: LISTEN_SETTING,
  summary: 'Take enable/disable job control datagrams on a UDP address',
  keywords: ['listen'],
  parse: endpoint,
});
