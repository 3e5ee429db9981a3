// The examples of /work/shared/reference/monit-features.md as whole control files.
// ACCEPTED: every item marked ✔ or ◐ that has an example (ids as in the reference), wrapped
// in the smallest service that accepts it. Monit 5.33 `monit -t` accepts each of them.
// REJECTED: Appendix A, the snippets Monit rejects, with its verbatim stderr. The harness
// that produced them prefixed two lines (`set idfile`, `set statefile`), so line numbers
// are snippet line + 2; `reference-examples.test.mjs` writes the same prefix.
// `@MV@` stands for the fixture folder the test creates (Monit's harness used /tmp/mv):
// f.txt (`hello`), prog.sh (executable), patterns, htpasswd, monit.pem (0600), conf.d/.

import { readFileSync } from 'node:fs';

const P = 'check process p with pidfile @MV@/p.pid\n';
const F = 'check file f with path @MV@/f.txt\n';
const H = 'check host h with address 127.0.0.1\n';
const S = 'check system s\n';
const FS = 'check filesystem rootfs with path /\n';
const N = 'check network lo with interface lo\n';
const PR = 'check program prog with path @MV@/prog.sh\n';
const HTTPD = 'set httpd port 2812 ';

/** @type {Array<{ id: string, text: string }>} */
export const ACCEPTED = [
  { id: 'L1', text: `${H}if failed port 80, protocol http (request "/a"; status = 200) then alert; if failed ping then alert` },
  { id: 'L2', text: `# a comment\r\n${H.trim()} # trailing\r\n  if failed ping then alert # end\r\n` },
  { id: 'L3', text: 'CHECK PROCESS X WITH PIDFILE /x.pid IF FAILED PORT 80 THEN ALERT' },
  { id: 'L4', text: `${FS}if space usage is greater than 80 % for 5 times within 15 cycles then alert\n  if inode usage was more than 90% for 2 cycles then alert` },
  { id: 'L4b', text: `${H}if failed port 443 ssl disable then alert\n  if failed port 444 disable ssl then alert` },
  { id: 'L5', text: `check file 'my file' with path "@MV@/f.txt"\n  if content = 'say "hi"' then alert\n  if content = "it's" then alert\n  if content = 'multi\nline' then alert` },
  { id: 'L7', text: `set daemon 99999999999\n${H}if failed port 65535 then alert\n${S}if loadavg (1min) > 1.5 then alert` },
  { id: 'L9', text: `${F}if size > 1 Mb then alert\n  if size > 2 kilobytes then alert\n  if size > 3 B then alert\n  if size > 1 gigabyte then alert\n  if size > 4 byte then alert\n${P}if disk read > 1 MB/s then alert` },
  { id: 'L10', text: `${FS}if space usage > 80 percent then alert\n  if inode usage > 90 % then alert` },
  { id: 'L11', text: `${F}if timestamp > 5 minutes then alert\n  if timestamp > 2 hours then alert\n  if timestamp > 3 days then alert\n  if timestamp > 1 month then alert\n  if timestamp > 30 seconds then alert\n  if timestamp > 10 s then alert\n  if timestamp > 10 m then alert\n  if timestamp > 1 h then alert` },
  { id: 'L12', text: `${F}if size gt 1 then alert\n  if size greater than 1 then alert\n  if size more than 1 then alert\n  if size >= 1 then alert\n  if size ge 1 then alert\n  if size < 1 then alert\n  if size lt 1 then alert\n  if size less than 1 then alert\n  if size <= 1 then alert\n  if size le 1 then alert\n  if size = 1 then alert\n  if size == 1 then alert\n  if size eq 1 then alert\n  if size equal 1 then alert\n  if size != 1 then alert\n  if size ne 1 then alert\n  if size notequal 1 then alert\n  if size 1 then alert\n  if timestamp older than 1 hour then alert\n  if timestamp newer than 1 hour then alert\n  if content != "x" then alert\ncheck process q matching "x"\ncheck process r match "y"` },
  { id: 'L13', text: `set daemon 30\n${H}if failed ping then alert\nset alert x@example.org\ncheck host b with address 127.0.0.2\n  if failed ping then alert` },
  { id: 'A1', text: 'set daemon 30' },
  { id: 'A2', text: 'set daemon 120 with start delay 240' },
  { id: 'A3', text: 'set daemon 60\nset init' },
  { id: 'A4', text: 'set terminal batch' },
  { id: 'A5', text: 'set log @MV@/monit.log' },
  { id: 'A6', text: 'set log syslog facility log_daemon' },
  { id: 'A7', text: 'set logfile syslog facility log_daemon' },
  { id: 'A8', text: 'set pidfile /var/run/monit.pid' },
  { id: 'A9', text: 'set idfile @MV@/monit.id' },
  { id: 'A10', text: 'set statefile /var/lib/monit/state' },
  { id: 'A11', text: 'set eventqueue basedir /var/lib/monit/events slots 100' },
  { id: 'A12', text: 'set mailserver smtp.example.com port 587 username "u@x" password "p" using tls, localhost' },
  { id: 'A13', text: 'set mailserver smtp.example.com port 587 username "u@x" password "p" using tls, localhost with timeout 60 seconds using hostname "mon.example.com"' },
  { id: 'A14', text: 'set mail-format { from: Monit <monit@x.org> subject: $SERVICE $EVENT }' },
  { id: 'A15', text: 'set alert ops@example.com' },
  { id: 'A16', text: 'set alert ops@x.org only on { timeout, nonexist }' },
  { id: 'A17', text: 'set alert ops@x.org but not on { instance, action }' },
  { id: 'A18', text: 'set alert ops@x.org with reminder on 10 cycles' },
  { id: 'A19', text: 'set alert sec@x.org on {checksum} with mail-format { subject: Alarm }' },
  { id: 'A20', text: 'set httpd port 2812 and use address localhost' },
  { id: 'A21', text: 'set httpd unixsocket /run/monit.sock permission 0660 allow admin:monit' },
  { id: 'A22', text: `${HTTPD}allow localhost allow 10.0.0.0/8 allow 192.168.1.0/255.255.255.0` },
  { id: 'A23', text: `${HTTPD}allow admin:"p@ss:w#" allow guest:guest read-only` },
  { id: 'A24', text: `${HTTPD}allow @admin allow @users readonly` },
  { id: 'A25', text: `${HTTPD}allow md5 @MV@/htpasswd john paul` },
  { id: 'A26', text: 'set httpd port 2812 with ssl { pemfile: @MV@/monit.pem } allow admin:monit' },
  { id: 'A27', text: 'set httpd port 2812 ssl enable pemfile @MV@/monit.pem' },
  { id: 'A28', text: `${HTTPD}signature disable allow admin:monit` },
  { id: 'A29', text: 'set ssl { verify: enable, version: tlsv12 tlsv13 }' },
  { id: 'A29b', text: 'set ssl options { verify: disable, selfsigned: allow, version: auto, ciphers: "HIGH:!aNULL", cacertificatepath: /etc/ssl/certs }' },
  { id: 'A30', text: 'set fips' },
  { id: 'A31', text: 'set limits { programTimeout: 120 s, startTimeout: 60 s }' },
  { id: 'A31b', text: 'set limits { programOutput: 1 kB, sendExpectBuffer: 512 B, fileContentBuffer: 1 kB, httpContentBuffer: 2 MB, networkTimeout: 10 s, programTimeout: 300 s, stopTimeout: 30 s, startTimeout: 30 s, restartTimeout: 30 s }' },
  { id: 'A32', text: 'set expectbuffer 1 kb' },
  { id: 'A33', text: 'set onreboot laststate' },
  { id: 'A34', text: 'set mmonit https://monit:monit@10.0.0.5:8443/collector' },
  { id: 'A34b', text: `${HTTPD}allow admin:monit\nset mmonit http://monit:monit@127.0.0.1:8080/collector with timeout 30 seconds and register without credentials, http://127.0.0.2:8080/collector` },
  { id: 'A35', text: 'include @MV@/conf.d/*' },
  { id: 'A39', text: 'check system $HOST' },
  { id: 'B1', text: 'check process nginx with pidfile /run/nginx.pid' },
  { id: 'B2', text: 'check process odoo matching "odoo.py"' },
  { id: 'B3', text: 'check process x with path /run/x.pid' },
  { id: 'B4', text: 'check file httpd.conf with path /etc/httpd/httpd.conf' },
  { id: 'B5', text: 'check fifo q with path /var/run/q.fifo' },
  { id: 'B6', text: 'check directory www with path /var/www' },
  { id: 'B7', text: 'check filesystem rootfs with path /' },
  { id: 'B8', text: 'check device sda1 with path /dev/sda1' },
  { id: 'B9', text: 'check host web with address 10.0.0.5 if failed ping then alert' },
  { id: 'B10', text: 'check system $HOST' },
  { id: 'B11', text: 'check program backup with path "@MV@/prog.sh -q" with timeout 60 seconds\n  if status != 0 then alert' },
  { id: 'B12', text: 'check network eth0 with interface eth0' },
  { id: 'B-names', text: 'check process "my app" with pidfile /run/app.pid\ncheck process alert with pidfile /run/alert.pid' },
  { id: 'C1', text: `${P}if does not exist for 3 cycles then restart` },
  { id: 'C2', text: 'check process vmware matching "vmware" if exist then exec "/usr/bin/pkill vmware"' },
  { id: 'C3', text: `${P}if changed pid then alert` },
  { id: 'C4', text: `${P}if changed ppid then exec "/my/script"` },
  { id: 'C5', text: `${P}if uptime > 3 days then restart\n${S}if uptime < 1 hour then alert` },
  { id: 'C6', text: `${P}if cpu > 80% for 5 cycles then restart` },
  { id: 'C7', text: `${P}if total cpu > 50% for 10 cycles then restart\n  if totalcpu > 60% then alert` },
  { id: 'C8', text: `${P}if memory usage > 200 MB then alert\n  if mem > 10% then alert\n${S}if memory usage > 75% then alert` },
  { id: 'C9', text: `${P}if totalmem > 200.0 MB for 5 cycles then restart\n  if total memory > 50% then alert` },
  { id: 'C10', text: `${P}if children > 250 then restart` },
  { id: 'C11', text: `${P}if threads > 100 then alert` },
  { id: 'C12', text: `${S}if loadavg (5min) per core > 1.5 for 10 cycles then alert\n  if loadavg (1m) > 4 then alert\n  if loadavg (15min) > 2 then alert\n  if loadavg > 3 then alert\n${P}if loadavg (5m) > 8 then alert` },
  { id: 'C13', text: `${S}if cpu usage (wait) > 20% then alert\n  if cpu (user) > 70% then alert\n  if cpu usage (system) > 30% then alert\n  if cpu (steal) > 5% then alert\n  if cpu > 95% then alert` },
  { id: 'C14', text: `${S}if swap usage > 25% then alert\n  if memory > 1 GB then alert` },
  { id: 'C15', text: `${P}if disk write activity > 500 kb/s for 10 cycles then alert\n  if read > 1 MB/s then alert\n  if disk read > 100 operations/s then alert` },
  { id: 'C16', text: `${F}if failed uid "root" then unmonitor\n${P}if failed euid root then alert\n  if failed uid 0 then alert` },
  { id: 'C17', text: `${F}if failed gid "shadow" then alert` },
  { id: 'C18', text: `${P}if failed security attribute "system_u:system_r:ntpd_t:s0" then alert` },
  { id: 'C19', text: `${P}if filedescriptors >= 90% then alert\n  if total filedescriptors > 1000 then alert\n${S}if filedescriptors > 80% then alert` },
  { id: 'C20', text: `${F}if failed permission 0640 then alert\n  if failed perm 644 then alert` },
  { id: 'C21', text: `${F}if changed permission then alert` },
  { id: 'C22', text: `${F}if failed checksum and expect 8f7f419955cefa0b33a2ba316cba3659 then unmonitor\n  if failed sha1 checksum expect the sum aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d then alert\n  if failed md5 checksum then alert` },
  { id: 'C23', text: `${F}if changed checksum then exec "/usr/sbin/apachectl graceful"\n  if changed sha1 checksum then alert` },
  { id: 'C24', text: `${F}if timestamp is older than 15 minutes then alert\n  if mtime > 1 hour then alert\n  if atime > 2 hours then alert\n  if ctime > 3 hours then alert\n  if access time > 1 day then alert\n  if change time > 1 day then alert\n  if modification time > 1 day then alert\n  if modify time > 1 day then alert\n  if time > 1 day then alert` },
  { id: 'C25', text: `${F}if changed timestamp then exec "/etc/init.d/httpd graceful"\n  if changed mtime then alert\n  if changed atime then alert\n  if changed ctime then alert` },
  { id: 'C26', text: `${F}if size > 100 MB then exec "/my/cleanup" as uid nobody and gid nogroup` },
  { id: 'C27', text: `${F}if changed size then alert` },
  { id: 'C28', text: `${F}if content = "^panic" then alert` },
  { id: 'C29', text: `${F}if content = @MV@/patterns then alert` },
  { id: 'C30', text: `${F}ignore content = "monit"\n  ignore content != "x"\n  if content = "^panic" then alert` },
  { id: 'C31', text: `${F}if match "ERROR|WARNING" then alert\n  if not match "OK" then alert\n  ignore match "debug"\n  ignore not match "x"` },
  { id: 'C32', text: `${FS}if space usage > 80% for 5 times within 15 cycles then alert` },
  { id: 'C33', text: `${FS}if space free < 1 GB then alert\n  if space free < 10% then alert` },
  { id: 'C34', text: `${FS}if inode usage > 90% then alert\n  if inodes > 100000 then alert\n  if inode free < 5% then alert` },
  { id: 'C35', text: `${FS}if read rate > 1 MB/s for 5 cycles then alert\n  if write rate > 500 operations/s then alert` },
  { id: 'C36', text: `${FS}if service time > 10 milliseconds for 3 times within 5 cycles then alert` },
  { id: 'C37', text: `${FS}if changed fsflags then exec "/my/script"` },
  { id: 'C38', text: `${N}if link down then restart` },
  { id: 'C38b', text: `${N}if link up then alert` },
  { id: 'C39', text: `${N}if failed link for 3 cycles then exec "/fix.sh"` },
  { id: 'C40', text: `${N}if changed link then alert\n  if changed link capacity then alert` },
  { id: 'C41', text: `${N}if saturation > 90% then alert` },
  { id: 'C42', text: `${N}if download > 10 MB/s then alert\n  if upload > 1000 packets/s then alert` },
  { id: 'C43', text: `${N}if total downloaded > 1 GB in last 2 hours then alert\n  if total uploaded > 1000 packets in last 24 hours then alert\n  if total downloaded > 10 MB in last minute then alert\n  if total downloaded > 100 MB in last day then alert` },
  { id: 'C44', text: `${PR}if status != 0 then alert` },
  { id: 'C45', text: `${PR}if changed status then alert\n  if status > 1 for 2 cycles then alert` },
  { id: 'C46', text: `${PR}if content != "critical_warning[ ]+: 0" then alert` },
  { id: 'C47', text: `${P}if failed host 127.0.0.1 port 80 protocol http then restart\n  if failed port 80 ipv4 type tcp then alert\n  if failed port 53 ipv6 type udp then alert` },
  { id: 'C48', text: `${H}if failed port 443 protocol https with timeout 15 seconds then restart` },
  { id: 'C49', text: `${H}if failed port 81 retry 3 then alert` },
  { id: 'C50', text: `${H}if failed port 80 responsetime > 500 ms then alert` },
  { id: 'C51', text: `${H}if failed port 443 with ssl { selfsigned: allow } then alert\n  if failed port 465 with ssl options { verify: enable } then alert\n  if failed port 8443 tls then alert` },
  { id: 'C52', text: `${H}if failed port 443 protocol https and certificate valid > 30 days then alert` },
  { id: 'C53', text: `${H}if failed port 443 protocol https certificate checksum = "1ED948A6F4258ACAB964227EF4EB19FCC453B0F8" then alert\n  if failed port 444 protocol https certificate checksum md5 "8f7f419955cefa0b33a2ba316cba3659" then alert` },
  { id: 'C54', text: `${H}if failed port 443 type tcpssl then alert` },
  { id: 'C55', text: `${H}if failed port 53 type udp protocol dns then alert` },
  { id: 'C56', text: `${H}if failed port 25 expect "^220" send "QUIT\\r\\n" then alert\n  if failed port 26 send "\\0x01PING" expect "PONG" send "x" expect "y" then alert` },
  { id: 'C57', text: `${P}if failed unixsocket /var/run/mysqld/mysqld.sock protocol mysql then restart\n  if failed unix /run/x.sock type tcp timeout 5 seconds retry 2 then alert` },
  { id: 'C58', text: `${H}if failed url http://user:pw@www.foo.bar:8080/?q and content = "ok" then alert\n  if succeeded url https://example.com/admin then alert\n  if failed url http://example.com/ content != "error" timeout 10 seconds retry 2 then alert` },
  { id: 'C59', text: `${H}if failed ping count 5 size 128 with timeout 10 seconds then alert\n  if failed ping4 then alert\n  if failed ping6 responsetime > 100 ms then alert` },
  { id: 'C60', text: `${H}if failed icmp type echo count 3 with timeout 3 seconds then alert` },
  { id: 'C61', text: `${P}if 3 restarts within 5 cycles then unmonitor\n${P.replace('p ', 'p2 ').replace('p.pid', 'p2.pid')}if 2 restart within 2 cycle then timeout` },
  { id: 'C62', text: `${P}if cpu > 50% memory > 100 MB then alert` },
  { id: 'C63', text: `${H}if failed port 80 protocol http request "/health" status = 200 hostheader "example.com" then alert` },
  { id: 'C63b', text: `${H}if failed port 80 protocol http username "u" password "p" request /index.html method head status >= 400 http headers [Accept: text/html, "X-Token": "a:b"] then alert\n  if failed port 81 protocol http method get checksum 8f7f419955cefa0b33a2ba316cba3659 content = "ok" then alert` },
  { id: 'C72', text: `${H}if failed port 80 protocol websocket request "/ws" host "example.com" origin "http://example.com" version 13 then alert` },
  { id: 'C76', text: `${H}if failed port 5060 type udp protocol sip target "monit@example.com" maxforward 10 then alert` },
  { id: 'C78', text: `${H}if failed port 1812 type udp protocol radius secret "s3cret" then alert` },
  { id: 'P1', text: `${H}if failed port 80 protocol apache-status loglimit > 10% or waitlimit < 20% or dnslimit > 5 % then alert\n  if failed port 81 protocol apache-status path /status username "u" password "p" replylimit > 50% then alert` },
  { id: 'P2-P38', text: `${H}${['clamav', 'default', 'dns', 'dwp', 'fail2ban', 'ftp', 'gps', 'http', 'https', 'imap', 'imaps', 'ldap2', 'ldap3', 'lmtp', 'memcache', 'mongodb', 'mqtt', 'mysql', 'mysqls', 'nntp', 'ntp3', 'pgsql', 'pop', 'pops', 'postfix-policy', 'rdate', 'redis', 'rsync', 'sieve', 'sip', 'smtp', 'smtps', 'spamassassin', 'ssh', 'tns'].map((p, i) => `  if failed port ${i + 2} protocol ${p} then alert`).join('\n')}\n  if failed port 40 type udp protocol radius then alert` },
  { id: 'P18', text: `${H}if failed port 1883 protocol mqtt username "u" password "p" then alert` },
  { id: 'P19', text: `${H}if failed port 3306 protocol mysql username "u" password "p" then alert\n  if failed port 3307 protocol mysqls username "u" password "p" then alert` },
  { id: 'P23', text: `${H}if failed port 5432 protocol pgsql username "u" password "p" database "db" then alert` },
  { id: 'P33', text: `${H}if failed port 25 protocol smtp username "u" password "p" then alert\n  if failed port 465 protocol smtps username "u" password "p" then alert` },
  { id: 'P39', text: `${H}if failed port 6379 send "PING\\r\\n" expect "\\+PONG" then alert` },
  { id: 'D1', text: `${H}if failed port 80 then restart` },
  { id: 'D3', text: `${H}if failed port 81 then alert else alert` },
  { id: 'D4', text: `${H}if failed port 80 for 3 cycles then restart else if succeeded for 2 cycles then alert\n  if failed port 81 then alert else if recovered then exec "/bin/true"\n  if failed port 82 then alert else if passed 2 times within 3 cycles then alert` },
  { id: 'D5', text: `${H}if succeeded port 3306 then alert\n  if succeeded port 3307 then alert else if failed then alert` },
  { id: 'D6', text: `${F}if changed checksum then alert` },
  { id: 'D8', text: `${P}if cpu > 80% for 5 cycles then restart\n  if cpu > 90% 64 cycles then alert` },
  { id: 'D9', text: `${H}if failed port 80 for 3 times within 5 cycles then alert` },
  { id: 'D10', text: `${H}if failed port 82 3 within 5 cycles then alert` },
  { id: 'D11', text: 'check process dynamo with pidfile /x.pid every 2 cycles' },
  { id: 'D12', text: `${P}every "* 8-19 * * 1-5"` },
  { id: 'D13', text: `${P}not every "* 0-3 * * 0"` },
  { id: 'D14', text: `${P}every 2 cycles\n  every 3 cycles` },
  { id: 'D15', text: 'check process apache with pidfile /run/apache.pid\n  depends on apache_bin, apache_rc\ncheck file apache_bin with path /usr/sbin/apache2\ncheck file apache_rc with path /etc/init.d/apache2\ncheck process x with pidfile /run/x.pid depend apache' },
  { id: 'D16', text: `${P}group www group database` },
  { id: 'D17', text: `${P}mode active` },
  { id: 'D18', text: `${P}mode passive` },
  { id: 'D19', text: `${P}mode manual` },
  { id: 'D20', text: `${P}onreboot nostart` },
  { id: 'D21', text: `${P}start program = "/etc/init.d/tomcat start" as uid "nobody" and gid "nogroup" with timeout 60 seconds` },
  { id: 'D22', text: `${P}stop program = "/bin/sh -c 'kill -s TERM \`cat /run/x.pid\`'"\n  restart program "/bin/true"\n  start "/bin/true"` },
  { id: 'D23', text: `${P}start program = "/bin/true" as uid 65534 and gid 65534` },
  { id: 'D24', text: `${P}alert admin@x.org on { nonexist, timeout } with mail-format { subject: $SERVICE $EVENT }` },
  { id: 'D25', text: `set alert ops@example.com\n${P}noalert ops@example.com` },
  { id: 'E1-E5', text: `${P}if failed port 80 then alert\n  if failed port 81 then restart\n  if failed port 82 then start\n  if failed port 83 then stop\n  if failed port 84 then unmonitor` },
  { id: 'E6', text: `${H}if failed port 80 then exec "/usr/local/bin/sms.sh"\n  if failed port 81 then exec '/bin/true'` },
  { id: 'E7', text: `${H}if failed port 80 then exec "/bin/notify" as uid nobody and gid nogroup` },
  { id: 'E8', text: `${H}if failed port 80 then exec "/bin/page.sh" repeat every 5 cycles\n  if failed port 81 then exec "/bin/true" repeat every 1 cycles` },
  { id: 'E9', text: `${P}if 3 restarts within 5 cycles then timeout` },
  { id: 'F1-F30', text: 'set alert ops@x.org on { action, checksum, bytein, byteout, connection, content, data, exec, exist, fsflags, gid, icmp, instance, invalid, link, nonexist, packetin, packetout, permission, pid, ppid, resource, saturation, size, speed, status, timeout, timestamp, uid, uptime }' },
  { id: 'V1-V6', text: 'set mail-format {\n  from: monit@$HOST\n  subject: $EVENT $SERVICE on $HOST\n  message: $EVENT $SERVICE $DATE $HOST $ACTION $DESCRIPTION\n}' },
];

/**
 * Accepted by Monit, refused by warden on purpose because they cannot work (documented in
 * docs/CONFIGURATION.md, "Differences from Monit"), with warden's message.
 * @type {Array<{ id: string, text: string, message: string }>}
 */
export const STRICTER = [
  // Monit has no range check (L7) and then fails to connect every cycle.
  { id: 'L7-port', text: `${H}if failed port 99999 then alert`, message: "@F@:4: Invalid port number '99999'" },
  // Node has no datagram UNIX sockets; Monit accepts `type udp` on a unixsocket test (C57).
  { id: 'C57-udp', text: `${P}if failed unix /run/x.sock type udp then alert`, message: "@F@:4: UDP unix sockets are not supported 'then'" },
];

/**
 * More files Monit 5.33 rejects, measured here with `monit -t` (same harness prefix), for the
 * checks Appendix A does not show: PEM files, htpasswd files.
 * @type {Array<{ id: string, text: string, message: string }>}
 */
export const MORE_REJECTED = [
  { id: 'SEM-pem-missing', text: 'set httpd port 2812 with ssl { pemfile: @MV@/nope.pem } allow admin:monit', message: "SEM-pem-missing.rc:3: SSL server PEM file doesn't exist '@MV@/nope.pem'" },
  { id: 'SEM-pem-mode', text: 'set httpd port 2812 with ssl { pemfile: @MV@/open.pem } allow admin:monit', message: "The SSL server PEM file '@MV@/open.pem' permission 0644 is wrong, maximum 0750 allowed" },
  { id: 'SEM-htpasswd', text: 'set httpd port 2812 allow md5 @MV@/nohtpasswd john', message: 'SEM-htpasswd.rc:3: Cannot read htpasswd (@MV@/nohtpasswd) for user john \'john\'' },
];

/** @type {Array<{ id: string, text: string, message: string }>} Appendix A, verbatim. */
export const REJECTED = JSON.parse(readFileSync(new URL('./appendix-a.json', import.meta.url), 'utf8'));
