import type { Definition } from '@warden/sdk';
import { apacheStatusProtocol } from './protocol-apache-status.js';
import { clamavProtocol } from './protocol-clamav.js';
import { defaultProtocol } from './protocol-default.js';
import { dnsProtocol } from './protocol-dns.js';
import { dwpProtocol } from './protocol-dwp.js';
import { fail2banProtocol } from './protocol-fail2ban.js';
import { ftpProtocol } from './protocol-ftp.js';
import { gpsProtocol } from './protocol-gps.js';
import { imapProtocol, imapsProtocol } from './protocol-imap.js';
import { ldap2Protocol } from './protocol-ldap2.js';
import { ldap3Protocol } from './protocol-ldap3.js';
import { memcacheProtocol } from './protocol-memcache.js';
import { mongodbProtocol } from './protocol-mongodb.js';
import { mqttProtocol } from './protocol-mqtt.js';
import { mysqlProtocol, mysqlsProtocol } from './protocol-mysql.js';
import { nntpProtocol } from './protocol-nntp.js';
import { ntp3Protocol } from './protocol-ntp3.js';
import { pgsqlProtocol } from './protocol-pgsql.js';
import { popProtocol, popsProtocol } from './protocol-pop.js';
import { postfixPolicyProtocol } from './protocol-postfix-policy.js';
import { radiusProtocol } from './protocol-radius.js';
import { rdateProtocol } from './protocol-rdate.js';
import { redisProtocol } from './protocol-redis.js';
import { rsyncProtocol } from './protocol-rsync.js';
import { sieveProtocol } from './protocol-sieve.js';
import { sipProtocol } from './protocol-sip.js';
import { lmtpProtocol, smtpProtocol, smtpsProtocol } from './protocol-smtp.js';
import { spamassassinProtocol } from './protocol-spamassassin.js';
import { sshProtocol } from './protocol-ssh.js';
import { tnsProtocol } from './protocol-tns.js';
import { websocketProtocol } from './protocol-websocket.js';

/** The protocols this plugin speaks, registered by name like any plugin's (`protocol redis`). */
export const PROTOCOLS: readonly Definition[] = [
  defaultProtocol, apacheStatusProtocol, clamavProtocol, dnsProtocol, dwpProtocol, fail2banProtocol, ftpProtocol, gpsProtocol,
  imapProtocol, imapsProtocol, ldap2Protocol, ldap3Protocol, lmtpProtocol, memcacheProtocol, mongodbProtocol, mqttProtocol,
  mysqlProtocol, mysqlsProtocol, nntpProtocol, ntp3Protocol, pgsqlProtocol, popProtocol, popsProtocol, postfixPolicyProtocol,
  radiusProtocol, rdateProtocol, redisProtocol, rsyncProtocol, sieveProtocol, sipProtocol, smtpProtocol, smtpsProtocol,
  spamassassinProtocol, sshProtocol, tnsProtocol, websocketProtocol,
];
