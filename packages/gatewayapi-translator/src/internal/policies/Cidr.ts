import { isIP } from "node:net";
import type * as ir from "@egts/ir";

/** A CIDR as the IR's CIDRMatch (network address, mask length, family), or undefined when invalid. */
export function parseCIDR(cidr: string): ir.CIDRMatch | undefined {
  const slash = cidr.indexOf("/");
  if (slash < 0) return undefined;
  const ip = cidr.slice(0, slash);
  const lenText = cidr.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lenText)) return undefined;
  const len = Number(lenText);
  const family = isIP(ip);
  if (family === 4) {
    if (len > 32) return undefined;
    const n = ip.split(".").reduce((acc, p) => acc * 256 + Number(p), 0);
    const masked = len === 0 ? 0 : Number((BigInt(n) >> BigInt(32 - len)) << BigInt(32 - len));
    const text = [24, 16, 8, 0].map((s) => (masked >>> s) & 255).join(".");
    return { cidr: `${text}/${len}`, maskLen: len, isIPv6: false } as ir.CIDRMatch;
  }
  if (family === 6) {
    if (len > 128) return undefined;
    const value = ipv6ToBigInt(ip);
    if (value === undefined) return undefined;
    const shift = BigInt(128 - len);
    const masked = (value >> shift) << shift;
    return { cidr: `${bigIntToIPv6(masked)}/${len}`, maskLen: len, isIPv6: true } as ir.CIDRMatch;
  }
  return undefined;
}

function ipv6ToBigInt(ip: string): bigint | undefined {
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4 !== null) {
    const parts = (v4[1] as string).split(".").map(Number);
    text = text.slice(0, v4.index) + `${((parts[0] ?? 0) * 256 + (parts[1] ?? 0)).toString(16)}:${((parts[2] ?? 0) * 256 + (parts[3] ?? 0)).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const h = head === "" ? [] : head.split(":");
  const t = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  if (groups.length !== 8) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

function bigIntToIPv6(value: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // Go prints the longest run (of two or more) of zero groups as "::".
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}
