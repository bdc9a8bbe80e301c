// Certificate revocation list validity (upstream validateCrl): node:crypto has no CRL parser, so the
// thisUpdate/nextUpdate times are read from the DER structure directly.
import { decodePemBlocks } from "../Certificates.js";
import { noteTimeBoundaries } from "../TranslationObserver.js";

interface Der {
  readonly tag: number;
  readonly start: number;
  readonly end: number;
}

function readElement(buf: Buffer, offset: number): Der | undefined {
  if (offset + 2 > buf.length) return undefined;
  const tag = buf[offset] as number;
  let len = buf[offset + 1] as number;
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > buf.length) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[start + i] as number);
    start += n;
  }
  if (start + len > buf.length) return undefined;
  return { tag, start, end: start + len };
}

function parseTime(buf: Buffer, el: Der): Date | undefined {
  const text = buf.subarray(el.start, el.end).toString("latin1");
  const m = el.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (m === null) return undefined;
  let year = Number(m[1]);
  if (el.tag === 0x17) year += year >= 50 ? 1900 : 2000;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

function goTime(d: Date): string {
  return d
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, " +0000 UTC");
}

/** Checks a PEM CRL is readable and current at `now`; returns the problem, or undefined when it is fine. */
export function parseCrlValidity(data: Buffer, now: Date): string | undefined {
  const block = decodePemBlocks(data)[0];
  if (block === undefined) return "unable to decode pem data for CRL";
  const der = block.bytes;
  const outer = readElement(der, 0);
  const tbs = outer !== undefined && outer.tag === 0x30 ? readElement(der, outer.start) : undefined;
  if (tbs === undefined || tbs.tag !== 0x30) return "failed to parse CRL: x509: malformed crl";
  let pos = tbs.start;
  let el = readElement(der, pos);
  if (el?.tag === 0x02) {
    pos = el.end;
    el = readElement(der, pos);
  }
  // signature algorithm, issuer
  for (let i = 0; i < 2; i++) {
    if (el === undefined || el.tag !== 0x30) return "failed to parse CRL: x509: malformed crl";
    pos = el.end;
    el = readElement(der, pos);
  }
  if (el === undefined || (el.tag !== 0x17 && el.tag !== 0x18)) return "failed to parse CRL: x509: malformed crl";
  const thisUpdate = parseTime(der, el);
  pos = el.end;
  el = pos < tbs.end ? readElement(der, pos) : undefined;
  const nextUpdate = el !== undefined && (el.tag === 0x17 || el.tag === 0x18) ? parseTime(der, el) : undefined;
  noteTimeBoundaries(now, thisUpdate, nextUpdate);
  if (nextUpdate !== undefined && now > nextUpdate) return `CRL is expired (next update was due at ${goTime(nextUpdate)})`;
  if (thisUpdate !== undefined && now < thisUpdate) return `CRL is not yet valid (this update starts at ${goTime(thisUpdate)})`;
  return undefined;
}
