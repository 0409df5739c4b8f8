// Snippets for common pf.conf blocks, in VS Code/LSP snippet syntax (${1:placeholder}).
import type { Dialect } from './keywords';

export interface Snippet {
  label: string;
  prefix: string;
  description: string;
  dialects: Dialect[];
  body: string;
}

export const SNIPPETS: Snippet[] = [
  {
    label: 'default-deny skeleton',
    prefix: 'skeleton',
    description: 'Block everything by default, skip loopback, allow outgoing traffic and ssh in',
    dialects: ['openbsd', 'freebsd', 'macos'],
    body: [
      'ext_if = "${1:em0}"',
      '',
      'set skip on lo',
      'set block-policy ${2|drop,return|}',
      '',
      'block log all',
      'pass out quick on \\$ext_if keep state',
      'pass in on \\$ext_if proto tcp to (\\$ext_if) port ssh keep state',
      '$0',
    ].join('\n'),
  },
  {
    label: 'NAT gateway (OpenBSD)',
    prefix: 'nat-gateway',
    description: 'Translate the inside network to the outside address with match … nat-to',
    dialects: ['openbsd'],
    body: [
      'ext_if = "${1:em0}"',
      'int_if = "${2:em1}"',
      '',
      'match out on \\$ext_if inet from \\$int_if:network to any nat-to (\\$ext_if)',
      'pass in on \\$int_if',
      'pass out on \\$ext_if',
      '$0',
    ].join('\n'),
  },
  {
    label: 'NAT gateway (FreeBSD/macOS)',
    prefix: 'nat-gateway',
    description: 'Translate the inside network with an old-style nat rule',
    dialects: ['freebsd', 'macos'],
    body: [
      'ext_if = "${1:em0}"',
      'int_if = "${2:em1}"',
      '',
      'nat on \\$ext_if inet from \\$int_if:network to any -> (\\$ext_if)',
      'pass in on \\$int_if',
      'pass out on \\$ext_if keep state',
      '$0',
    ].join('\n'),
  },
  {
    label: 'spamd greylisting (OpenBSD)',
    prefix: 'spamd',
    description: 'Send unknown SMTP peers to spamd with divert-to; known-good ones pass to the mail server',
    dialects: ['openbsd'],
    body: [
      'table <spamd-white> persist',
      'table <nospamd> persist file "/etc/mail/nospamd"',
      '',
      'pass in on egress proto tcp to any port smtp divert-to 127.0.0.1 port spamd',
      'pass in on egress proto tcp from <nospamd> to any port smtp',
      'pass in log on egress proto tcp from <spamd-white> to any port smtp',
      'pass out log on egress proto tcp to any port smtp',
      '$0',
    ].join('\n'),
  },
  {
    label: 'spamd greylisting (FreeBSD/macOS)',
    prefix: 'spamd',
    description: 'Redirect unknown SMTP peers to spamd with rdr; whitelisted ones reach the mail server',
    dialects: ['freebsd', 'macos'],
    body: [
      'ext_if = "${1:em0}"',
      'table <spamd-white> persist',
      'table <nospamd> persist file "/usr/local/etc/spamd/nospamd"',
      '',
      'rdr pass on \\$ext_if inet proto tcp from !<spamd-white> to port smtp -> 127.0.0.1 port spamd',
      'pass in on \\$ext_if inet proto tcp from <nospamd> to port smtp',
      'pass out log on \\$ext_if proto tcp to port smtp',
      '$0',
    ].join('\n'),
  },
  {
    label: 'brute-force protection (overload)',
    prefix: 'bruteforce',
    description: 'Rate-limit new ssh connections and put offenders into a table that is blocked',
    dialects: ['openbsd', 'freebsd', 'macos'],
    body: [
      'table <${1:bruteforce}> persist',
      'block quick from <${1:bruteforce}>',
      'pass in on \\$ext_if proto tcp to port ${2:ssh} flags S/SA keep state \\\\',
      '\t(max-src-conn ${3:10}, max-src-conn-rate ${4:5/30}, overload <${1:bruteforce}> flush global)',
      '$0',
    ].join('\n'),
  },
];
