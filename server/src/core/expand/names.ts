/** Name → number tables pfctl consults: services, protocols, ICMP, users and groups. */
import { protocolByName, protocolByNumber, serviceByName, type ServiceOs } from '../docs/services';
import { ICMP_TYPES, icmpTypeByName, icmpCodeByName } from '../docs/icmp';

export function resolveService(name: string, os: ServiceOs): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  if (/^0x[0-9a-f]+$/i.test(name)) return parseInt(name, 16);
  const s = serviceByName(name, 'tcp', os) ?? serviceByName(name, 'udp', os);
  return s?.port;
}

export function resolveProto(name: string, os: ServiceOs): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  return protocolByName(name, os)?.number ?? protocolByName(name.toLowerCase(), os)?.number;
}

export function protoName(n: number, os: ServiceOs): string {
  return protocolByNumber(n, os)?.name ?? String(n);
}

export function icmpTypeNumber(name: string, v6: boolean): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  return icmpTypeByName(name, v6 ? 'icmp6' : 'icmp')?.type;
}

export function icmpCodeNumber(name: string, v6: boolean, type?: number): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  const hit = icmpCodeByName(name, v6 ? 'icmp6' : 'icmp', type);
  if (hit) return hit.code.code;
  return icmpCodeByName(name, v6 ? 'icmp6' : 'icmp')?.code.code;
}

export function icmpTypeText(type: number, v6: boolean): string {
  const fam = v6 ? 'icmp6' : 'icmp';
  return ICMP_TYPES.find((t) => t.family === fam && t.type === type)?.name ?? String(type);
}

export function icmpCodeText(type: number, code: number, v6: boolean): string {
  const fam = v6 ? 'icmp6' : 'icmp';
  const t = ICMP_TYPES.find((x) => x.family === fam && x.type === type);
  return (t?.codes.find((c) => c.code === code && !c.note) ?? t?.codes.find((c) => c.code === code))?.name ?? String(code);
}

/** Unreachable codes by name for return-icmp (type 3 / icmp6 type 1). */
export function unreachCode(name: string, v6: boolean): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  return icmpCodeNumber(name, v6, v6 ? 1 : 3);
}

const UNREACH6 = ['noroute-unr', 'admin-unr', 'beyond-unr', 'addr-unr', 'port-unr'];

export function unreachText(code: number, v6: boolean): string {
  if (v6 && UNREACH6[code]) return UNREACH6[code];
  return icmpCodeText(v6 ? 1 : 3, code, v6);
}

/** The users and groups of a stock OpenBSD install (what the regress hosts resolve). */
const USERS: Record<string, number> = {
  root: 0, daemon: 1, operator: 2, bin: 3, build: 21, sshd: 27, _portmap: 28, _identd: 29, _rstatd: 30,
  _rusersd: 32, _fingerd: 33, _x11: 35, _unwind: 48, _switchd: 49, _traceroute: 50, _ping: 51,
  _unbound: 53, _dpb: 54, _pbuild: 55, _pfetch: 56, _pkgfetch: 57, _pkguntar: 58, _spamd: 62,
  www: 67, _isakmpd: 68, _rpki_client: 70, _syslogd: 73, _pflogd: 74, _bgpd: 75, _tcpdump: 76,
  _dhcp: 77, _mopd: 78, _tftpd: 79, _rbootd: 80, _ppp: 82, _ntp: 83, _ftp: 84, _ospfd: 85, _hostapd: 86,
  _dvmrpd: 87, _ripd: 88, _relayd: 89, _ospf6d: 90, _snmpd: 91, _ypldap: 93, _dhcpd: 94, _rad: 95,
  _smtpd: 95, _smtpq: 103, _file: 104, _radiusd: 105, _eigrpd: 106, _vmd: 107, _tftp_proxy: 108,
  _ftp_proxy: 109, _sndiop: 110, _syspatch: 112, _slaacd: 115, nobody: 32767,
};
const GROUPS: Record<string, number> = {
  wheel: 0, daemon: 1, kmem: 2, sys: 3, tty: 4, operator: 5, bin: 7, wsrc: 9, users: 10, auth: 11,
  games: 13, staff: 20, wobj: 21, sshd: 27, guest: 31, utmp: 45, crontab: 66, www: 67, network: 69,
  authpf: 72, dialer: 117, nogroup: 32766, nobody: 32767,
};

export function userId(name: string): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  return USERS[name];
}

export function groupId(name: string): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  return GROUPS[name];
}
