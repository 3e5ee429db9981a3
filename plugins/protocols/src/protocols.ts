import type { Definition } from '@warden/sdk';
import { clamavProtocol } from './protocol-clamav.js';
import { defaultProtocol } from './protocol-default.js';
import { dnsProtocol } from './protocol-dns.js';
import { ftpProtocol } from './protocol-ftp.js';
import { imapProtocol, imapsProtocol } from './protocol-imap.js';
import { ldap3Protocol } from './protocol-ldap3.js';
import { memcacheProtocol } from './protocol-memcache.js';
import { mysqlProtocol } from './protocol-mysql.js';
import { nntpProtocol } from './protocol-nntp.js';
import { ntp3Protocol } from './protocol-ntp3.js';
import { pgsqlProtocol } from './protocol-pgsql.js';
import { popProtocol, popsProtocol } from './protocol-pop.js';
import { redisProtocol } from './protocol-redis.js';
import { lmtpProtocol, smtpProtocol, smtpsProtocol } from './protocol-smtp.js';
import { sshProtocol } from './protocol-ssh.js';
import { websocketProtocol } from './protocol-websocket.js';

/** The protocols this plugin speaks, registered by name like any plugin's (`protocol redis`). */
export const PROTOCOLS: readonly Definition[] = [
  defaultProtocol, clamavProtocol, dnsProtocol, ftpProtocol, imapProtocol, imapsProtocol, ldap3Protocol, lmtpProtocol,
  memcacheProtocol, mysqlProtocol, nntpProtocol, ntp3Protocol, pgsqlProtocol, popProtocol, popsProtocol, redisProtocol,
  smtpProtocol, smtpsProtocol, sshProtocol, websocketProtocol,
];
