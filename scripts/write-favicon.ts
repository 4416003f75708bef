// Writes public/favicon.ico from the same drawing as public/favicon.svg (an orange rounded square with three
// white lines), for clients that ask for /favicon.ico without reading the page's <link rel="icon">.
// Run: node scripts/write-favicon.ts  (its output is committed; run it again after changing the drawing)
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

const SIZE = 32;
const ORANGE = [0xf3, 0x77, 0x26];
/** The three strokes of favicon.svg: from (x1, y) to (x2, y), 3 wide, round caps. */
const LINES = [
  [8, 24, 10],
  [8, 24, 16],
  [8, 18, 22],
] as const;

/** Coverage of one sub-sample point: 0 outside the rounded square, 1 orange, 2 white. */
function paint(x: number, y: number): 0 | 1 | 2 {
  const radius = 6;
  const cx = Math.min(Math.max(x, radius), SIZE - radius);
  const cy = Math.min(Math.max(y, radius), SIZE - radius);
  if ((x - cx) ** 2 + (y - cy) ** 2 > radius ** 2) return 0;
  for (const [x1, x2, ly] of LINES) {
    const nx = Math.min(Math.max(x, x1), x2);
    if ((x - nx) ** 2 + (y - ly) ** 2 <= 1.5 ** 2) return 2;
  }
  return 1;
}

/** RGBA pixels, 4×4 super-sampled. */
function pixels(): Buffer {
  const out = Buffer.alloc(SIZE * SIZE * 4);
  for (let py = 0; py < SIZE; py++) {
    for (let px = 0; px < SIZE; px++) {
      let orange = 0;
      let white = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const hit = paint(px + (sx + 0.5) / 4, py + (sy + 0.5) / 4);
          if (hit === 1) orange++;
          if (hit === 2) white++;
        }
      }
      const covered = orange + white;
      const at = (py * SIZE + px) * 4;
      if (covered === 0) continue;
      for (let c = 0; c < 3; c++) out[at + c] = Math.round((ORANGE[c]! * orange + 255 * white) / covered);
      out[at + 3] = Math.round((255 * covered) / 16);
    }
  }
  return out;
}

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA
  const rows = Buffer.concat(
    Array.from({ length: SIZE }, (_, y) =>
      Buffer.concat([Buffer.from([0]), rgba.subarray(y * SIZE * 4, (y + 1) * SIZE * 4)]),
    ),
  );
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ICO file holding one PNG image (supported by every browser since 2010). */
function ico(image: Buffer): Buffer {
  const header = Buffer.alloc(6 + 16);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(SIZE, 6);
  header.writeUInt8(SIZE, 7);
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(image.length, 14);
  header.writeUInt32LE(22, 18); // offset of the image
  return Buffer.concat([header, image]);
}

const target = path.resolve(import.meta.dirname, '..', 'public', 'favicon.ico');
await writeFile(target, ico(png(pixels())));
console.log(`Wrote ${path.relative(process.cwd(), target)}`);
