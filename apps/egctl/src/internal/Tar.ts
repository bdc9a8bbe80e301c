// A minimal ustar writer (regular files only) for `egctl x collect`: enough for `tar -xzf`, no dependency.

/** One file of an archive. */
export interface TarEntry {
  readonly name: string;
  readonly content: string | Uint8Array;
  readonly mtime?: Date;
}

function header(name: string, size: number, mtime: Date): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar: file name longer than 100 bytes: ${name}`);
  const h = Buffer.alloc(512);
  const put = (value: string, offset: number, length: number) => h.write(value, offset, length, "utf8");
  const octal = (n: number, length: number) => n.toString(8).padStart(length - 1, "0") + "\0";
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 12);
  put("        ", 148, 8); // checksum is computed with this field as spaces
  put("0", 156, 1);
  put("ustar\0", 257, 6);
  put("00", 263, 2);
  let sum = 0;
  for (const byte of h) sum += byte;
  put(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8);
  return h;
}

/** The archive's bytes: a header and 512-byte padded content per entry, then two zero blocks. */
export function tar(entries: ReadonlyArray<TarEntry>): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = typeof e.content === "string" ? Buffer.from(e.content, "utf8") : Buffer.from(e.content);
    parts.push(header(e.name, body.length, e.mtime ?? new Date()), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
