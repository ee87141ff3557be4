#!/usr/bin/env node
// Draws the tray icons (one per aggregate state, colour and macOS template) and the app icon,
// and writes them as PNGs next to this script. Plain Node on purpose: the icons are checked in,
// and regenerating them must not need an image library or a download.
//
//   node build/make-icons.mjs
//
// Each state differs by shape, not by colour alone: calm states are outlines (up: ring with a
// check; paused: ring with two bars; offline: a struck-through ring), trouble is filled
// (degraded: triangle with "!"; down: disc with an X).

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

// ---- shapes: predicates on design coordinates ------------------------------------------------

const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

const ring = (cx, cy, outer, inner) => (x, y) => {
  const d = (x - cx) ** 2 + (y - cy) ** 2;
  return d <= outer * outer && d >= inner * inner;
};

function segmentDistance(x, y, x1, y1, x2, y2) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (x1 + t * dx), y - (y1 + t * dy));
}

/** A stroke along connected points, with round caps and joins. */
const stroke = (points, width) => (x, y) => {
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i - 1];
    const [x2, y2] = points[i];
    if (segmentDistance(x, y, x1, y1, x2, y2) <= width / 2) return true;
  }
  return false;
};

function insidePolygon(x, y, points) {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** A polygon grown by `radius`: its corners come out rounded, as a stroke's do. */
const roundedPolygon = (points, radius) => (x, y) =>
  insidePolygon(x, y, points) ||
  points.some(([x1, y1], i) => {
    const [x2, y2] = points[(i + 1) % points.length];
    return segmentDistance(x, y, x1, y1, x2, y2) <= radius;
  });

const roundRect = (x0, y0, x1, y1, r) => (x, y) => {
  const qx = Math.max(x0 + r - x, 0, x - (x1 - r));
  const qy = Math.max(y0 + r - y, 0, y - (y1 - r));
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && qx * qx + qy * qy <= r * r;
};

// ---- rasterising -----------------------------------------------------------------------------

/** Paints `top` (which may be translucent) over `below` (or over nothing). */
function over(top, below) {
  const a = top[3] ?? 1;
  if (a >= 1 || !below) return top;
  const b = below[3] ?? 1;
  const out = a + b * (1 - a);
  const mixc = (i) => (top[i] * a + below[i] * b * (1 - a)) / out;
  return [mixc(0), mixc(1), mixc(2), out];
}

/**
 * Layers are painted in order on each sub-sample: `paint` sets a colour (a function of the
 * position for gradients), `erase` makes it transparent again (a knock-out). Averaging many
 * sub-samples per pixel is the antialiasing; it also keeps knock-outs clean at the edges.
 */
function rasterise(size, designUnits, layers, samples = 8) {
  const scale = designUnits / size;
  const rgba = Buffer.alloc(size * size * 4);
  const n = samples * samples;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) * scale;
          const y = (py + (sy + 0.5) / samples) * scale;
          let c;
          for (const layer of layers) {
            if (!layer.shape(x, y)) continue;
            c = layer.erase ? undefined : over(typeof layer.color === 'function' ? layer.color(x, y) : layer.color, c);
          }
          if (!c) continue;
          const alpha = c[3] ?? 1;
          r += c[0] * alpha;
          g += c[1] * alpha;
          b += c[2] * alpha;
          a += alpha;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        rgba[i] = Math.round(r / a);
        rgba[i + 1] = Math.round(g / a);
        rgba[i + 2] = Math.round(b / a);
      }
      rgba[i + 3] = Math.round((a / n) * 255);
    }
  }
  return rgba;
}

// ---- PNG -------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG; every row uses the "up" filter, which suits these flat shapes well. */
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const stride = size * 4;
  const raw = Buffer.alloc((stride + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (stride + 1)] = 2;
    for (let x = 0; x < stride; x++) {
      const above = y > 0 ? rgba[(y - 1) * stride + x] : 0;
      raw[y * (stride + 1) + 1 + x] = (rgba[y * stride + x] - above) & 0xff;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- the tray icons, on a 16-unit grid ---------------------------------------------------------

const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];

const BLACK = [0, 0, 0];
const WHITE = [255, 255, 255];
const INK = hex('#1f2328');

const COLOURS = {
  up: hex('#2da44e'),
  degraded: hex('#e3a008'),
  down: hex('#d1242f'),
  paused: hex('#3b82f6'),
  offline: hex('#8c959f'),
};

const C = 8;
const OUTER = 7.4;
const INNER = 5.5;

/**
 * The layers of one state. `glyph` is the colour of a mark drawn inside a filled shape: it is
 * knocked out in a template image (which may hold black and alpha only).
 */
function trayLayers(state, colour, glyph) {
  const mark = (shape) => (glyph ? { shape, color: glyph } : { shape, erase: true });
  switch (state) {
    case 'up':
      return [
        { shape: ring(C, C, OUTER, INNER), color: colour },
        {
          shape: stroke(
            [
              [5.0, 8.2],
              [7.1, 10.3],
              [11.0, 6.0],
            ],
            1.9,
          ),
          color: colour,
        },
      ];
    case 'degraded':
      return [
        {
          shape: roundedPolygon(
            [
              [8, 1.9],
              [14.6, 13.9],
              [1.4, 13.9],
            ],
            1.1,
          ),
          color: colour,
        },
        mark(
          stroke(
            [
              [8, 5.6],
              [8, 9.2],
            ],
            2.0,
          ),
        ),
        mark(circle(8, 11.9, 1.1)),
      ];
    case 'down':
      return [
        { shape: circle(C, C, OUTER), color: colour },
        mark(
          stroke(
            [
              [5.3, 5.3],
              [10.7, 10.7],
            ],
            2.0,
          ),
        ),
        mark(
          stroke(
            [
              [10.7, 5.3],
              [5.3, 10.7],
            ],
            2.0,
          ),
        ),
      ];
    case 'paused':
      return [
        { shape: ring(C, C, OUTER, INNER), color: colour },
        { shape: roundRect(5, 5, 7, 11, 0.4), color: colour },
        { shape: roundRect(9, 5, 11, 11, 0.4), color: colour },
      ];
    case 'offline': {
      const slash = [
        [2.2, 13.8],
        [13.8, 2.2],
      ];
      // The gap either side of the slash keeps it legible where it crosses the ring at 16 px.
      return [
        { shape: ring(C, C, OUTER, INNER), color: colour },
        { shape: stroke(slash, 4.4), erase: true },
        { shape: stroke(slash, 1.9), color: colour },
      ];
    }
    default:
      throw new Error(`no icon for ${state}`);
  }
}

// ---- the app icon, on a 100-unit grid ---------------------------------------------------------

const mix = (a, b, t) => a.map((v, i) => Math.round(v + (b[i] - v) * t));
const TOP = hex('#24324f');
const BOTTOM = hex('#0d1526');
const DIAL = hex('#e6edf3');

function appLayers() {
  const ticks = [0, 1, 2, 3].map((q) => {
    const angle = (q * Math.PI) / 2;
    const [dx, dy] = [Math.sin(angle), -Math.cos(angle)];
    return {
      shape: stroke(
        [
          [50 + dx * 33.5, 50 + dy * 33.5],
          [50 + dx * 38, 50 + dy * 38],
        ],
        4.2,
      ),
      color: [...DIAL, 0.55],
    };
  });
  return [
    { shape: roundRect(5, 5, 95, 95, 21), color: (_x, y) => mix(TOP, BOTTOM, (y - 5) / 90) },
    { shape: ring(50, 50, 28.5, 21.5), color: DIAL },
    ...ticks,
    { shape: circle(50, 50, 12), color: COLOURS.up },
  ];
}

// ---- writing ---------------------------------------------------------------------------------

const STATES = ['up', 'degraded', 'down', 'paused', 'offline'];

function write(path, size, designUnits, layers, samples) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, png(size, rasterise(size, designUnits, layers, samples)));
  return path;
}

const written = [];
for (const state of STATES) {
  const colour = trayLayers(state, COLOURS[state], state === 'degraded' ? INK : WHITE);
  const template = trayLayers(state, BLACK, undefined);
  for (const [suffix, size] of [
    ['', 16],
    ['@2x', 32],
  ]) {
    written.push(write(join(here, `tray-${state}${suffix}.png`), size, 16, colour, 16));
    written.push(write(join(here, `tray-${state}Template${suffix}.png`), size, 16, template, 16));
  }
}

written.push(write(join(here, 'icon.png'), 512, 100, appLayers(), 4));
// electron-builder's Linux icon set: a folder of "<n>x<n>.png".
for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) {
  written.push(write(join(here, 'icons', `${size}x${size}.png`), size, 100, appLayers(), size <= 64 ? 12 : 4));
}

process.stdout.write(`wrote ${written.length} icons to ${here}\n`);
