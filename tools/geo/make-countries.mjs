#!/usr/bin/env node
// Generate Faro's simplified choropleth geometry (data/geo/countries.json)
// from Natural Earth 1:50m admin-0 countries as packaged by the npm module
// `world-atlas` (TopoJSON).
//
// Usage, from a scratch folder OUTSIDE the repository:
//   npm init -y
//   npm install world-atlas@2.0.2 topojson-client@3.1.0
//   node /path/to/repo/tools/geo/make-countries.mjs /path/to/repo/data/geo/countries.json
//
// The world-atlas file is read from ./node_modules of the current working
// directory, and `topojson-client` is resolved from there as well, so run the
// script with the scratch folder as the working directory. Output is
// deterministic for a given world-atlas version. d3-geo is not needed: the
// projection is a plain linear equirectangular transform, so the Rust side
// can reproduce it (see "projection" and "frames" in the output).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

// Resolve topojson-client from the working directory's node_modules (not from
// the script's own location), so the script can stay in the repository.
const { feature } = createRequire(join(process.cwd(), 'package.json'))('topojson-client');

const out = process.argv[2];
if (!out) {
  console.error('usage: node make-countries.mjs OUTPUT.json');
  process.exit(2);
}

const atlasDir = join(process.cwd(), 'node_modules', 'world-atlas');
const atlasVersion = JSON.parse(readFileSync(join(atlasDir, 'package.json'), 'utf8')).version;
const topo = JSON.parse(readFileSync(join(atlasDir, 'countries-50m.json'), 'utf8'));

// ---------------------------------------------------------------------------
// Which countries, and ISO 3166-1 numeric -> alpha-2.
// Each numeric id was checked against the atlas' `name` property.
// ---------------------------------------------------------------------------
const AMERICAS = {
  // South America
  '032': 'AR', '068': 'BO', '076': 'BR', '152': 'CL', '170': 'CO', '218': 'EC',
  '328': 'GY', '600': 'PY', '604': 'PE', '740': 'SR', '858': 'UY', '862': 'VE',
  '238': 'FK',
  // Mexico and Central America
  '484': 'MX', '084': 'BZ', '320': 'GT', '222': 'SV', '340': 'HN', '558': 'NI',
  '188': 'CR', '591': 'PA',
  // Caribbean
  '192': 'CU', '388': 'JM', '332': 'HT', '214': 'DO', '630': 'PR', '044': 'BS',
  '780': 'TT', '052': 'BB', '028': 'AG', '212': 'DM', '308': 'GD', '662': 'LC',
  '670': 'VC', '659': 'KN', '533': 'AW', '531': 'CW', '136': 'KY', '796': 'TC',
  '092': 'VG', '850': 'VI', '660': 'AI', '500': 'MS', '652': 'BL', '663': 'MF',
  '534': 'SX',
};
const EUROPE_AFRICA = {
  '724': 'ES', '620': 'PT', '020': 'AD', '276': 'DE', '132': 'CV',
};
// Overseas parts that Natural Earth keeps inside a European country's
// multipolygon: split off by the bounding box of each polygon's outer ring.
const SPLITS = [
  { from: '250', code: 'GF', lon: [-55, -51], lat: [2, 6.5] },        // France -> French Guiana
  { from: '250', code: 'GP', lon: [-62, -60.9], lat: [15.8, 16.6] },  // France -> Guadeloupe
  { from: '250', code: 'MQ', lon: [-61.3, -60.7], lat: [14.3, 15] },  // France -> Martinique
  { from: '528', code: 'BQ', lon: [-68.5, -62.8], lat: [12, 17.7] },  // Netherlands -> Bonaire, Sint Eustatius, Saba
];
const NOTES = {
  GF: 'French Guiana: Natural Earth includes it in France (250); its polygon was split off by bounding box.',
  GP: 'Guadeloupe: split off from France (250) by bounding box.',
  MQ: 'Martinique: split off from France (250) by bounding box.',
  BQ: 'Caribbean Netherlands (Bonaire, Sint Eustatius, Saba): split off from the Netherlands (528) by bounding box.',
  FK: 'Falkland Islands (Malvinas): sovereignty disputed by Argentina; shown as a separate shape as in Natural Earth, the renderer decides how to style it.',
};

// ---------------------------------------------------------------------------
// Projection: linear equirectangular, one frame for the Americas and one
// inset (Iberia, Germany, Cabo Verde) at the top right.
// ---------------------------------------------------------------------------
// Both frames use the same scale (px per degree), so sizes stay comparable.
const WIDTH = 1000;
const K = 7.2;
const FRAMES = [
  { name: 'americas', lon: [-119, -33], lat: [-56.5, 33.5], k: K, x: 6, y: 6 },
  { name: 'europe-inset', lon: [-32, 16], lat: [13, 56], k: K, x: 0, y: 6 },
];
// Inset sits at the right edge.
FRAMES[1].x = WIDTH - 6 - (FRAMES[1].lon[1] - FRAMES[1].lon[0]) * FRAMES[1].k;
for (const f of FRAMES) {
  f.w = (f.lon[1] - f.lon[0]) * f.k;
  f.h = (f.lat[1] - f.lat[0]) * f.k;
}
const HEIGHT = Math.ceil(Math.max(...FRAMES.map((f) => f.y + f.h)) + 6);
const frameOf = (code) => (Object.values(EUROPE_AFRICA).includes(code) ? FRAMES[1] : FRAMES[0]);
const project = (f, [lon, lat]) => [f.x + (lon - f.lon[0]) * f.k, f.y + (f.lat[1] - lat) * f.k];

// ---------------------------------------------------------------------------
// Topology-preserving simplification: Douglas-Peucker on each TopoJSON arc
// (in degrees) before arcs are stitched into rings, so neighbours keep
// identical shared borders.
// ---------------------------------------------------------------------------
const TOLERANCE_DEG = 0.35 / FRAMES[0].k; // about a third of a pixel

function decodeArcs(t) {
  const [sx, sy] = t.transform.scale;
  const [tx, ty] = t.transform.translate;
  return t.arcs.map((arc) => {
    let x = 0, y = 0;
    return arc.map(([dx, dy]) => {
      x += dx; y += dy;
      return [x * sx + tx, y * sy + ty];
    });
  });
}

function segDist2(p, a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  let t = l2 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2 : 0;
  t = Math.max(0, Math.min(1, t));
  const ex = a[0] + t * dx - p[0], ey = a[1] + t * dy - p[1];
  return ex * ex + ey * ey;
}

function douglasPeucker(pts, tol) {
  if (pts.length <= 2) return pts;
  const keep = new Uint8Array(pts.length);
  keep[0] = keep[pts.length - 1] = 1;
  const tol2 = tol * tol;
  const stack = [[0, pts.length - 1]];
  while (stack.length) {
    const [i, j] = stack.pop();
    let best = -1, bestD = tol2;
    for (let k = i + 1; k < j; k++) {
      const d = segDist2(pts[k], pts[i], pts[j]);
      if (d > bestD) { bestD = d; best = k; }
    }
    if (best >= 0) {
      keep[best] = 1;
      stack.push([i, best], [best, j]);
    }
  }
  return pts.filter((_, i) => keep[i]);
}

const rawArcs = decodeArcs(topo);
const rawTopo = { ...topo, transform: undefined, arcs: rawArcs };
const simpleTopo = { ...topo, transform: undefined, arcs: rawArcs.map((a) => douglasPeucker(a, TOLERANCE_DEG)) };
delete rawTopo.transform;
delete simpleTopo.transform;

const polygonsOf = (geom) =>
  !geom ? [] : geom.type === 'Polygon' ? [geom.coordinates] : geom.type === 'MultiPolygon' ? geom.coordinates : [];

// code -> array of polygons (each an array of rings of [lon, lat]), for
// both the simplified and the raw topology.
function collect(t) {
  const byCode = {};
  const fc = feature(t, t.objects.countries);
  for (const f of fc.features) {
    const code = AMERICAS[f.id] || EUROPE_AFRICA[f.id];
    if (code) (byCode[code] ||= []).push(...polygonsOf(f.geometry));
    for (const s of SPLITS) {
      if (s.from !== f.id) continue;
      for (const poly of polygonsOf(f.geometry)) {
        const xs = poly[0].map((c) => c[0]), ys = poly[0].map((c) => c[1]);
        const cx = (Math.min(...xs) + Math.max(...xs)) / 2, cy = (Math.min(...ys) + Math.max(...ys)) / 2;
        if (cx >= s.lon[0] && cx <= s.lon[1] && cy >= s.lat[0] && cy <= s.lat[1]) (byCode[s.code] ||= []).push(poly);
      }
    }
  }
  return byCode;
}
const simple = collect(simpleTopo);
const raw = collect(rawTopo);

// ---------------------------------------------------------------------------
// Project, round, drop tiny rings, encode as compact relative SVG path data.
// ---------------------------------------------------------------------------
const r1 = (v) => Math.round(v * 10) / 10;
const MIN_AREA = 2; // px^2
const SMALL_BBOX = 12; // px: countries smaller than this (or under MARKER_AREA px² in all) ...
const MIN_AREA_SMALL = 0.25; // px^2: ... get one decimal, raw outlines, and keep islets down to this area
const MARKER_AREA = 40; // px^2: below this a country also gets a marker circle

const ringArea = (r) => {
  let a = 0;
  for (let i = 0, n = r.length; i < n; i++) {
    const [x0, y0] = r[i], [x1, y1] = r[(i + 1) % n];
    a += x0 * y1 - x1 * y0;
  }
  return Math.abs(a) / 2;
};

function prepRing(ring, frame, scale) {
  const pts = [];
  for (const c of ring) {
    const [x, y] = project(frame, c);
    const p = [Math.round(x * scale), Math.round(y * scale)]; // integer units of 1/scale px
    const last = pts[pts.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) pts.push(p);
  }
  // drop closing duplicate
  while (pts.length > 1 && pts[0][0] === pts[pts.length - 1][0] && pts[0][1] === pts[pts.length - 1][1]) pts.pop();
  return pts;
}

function fmt(v, scale) {
  // v is an integer in units of 1/scale
  if (scale === 1) return String(v);
  const s = (v / scale).toFixed(1).replace(/\.0$/, '');
  return s.replace(/^(-?)0\./, '$1.');
}

function encode(rings, scale) {
  let d = '';
  let cur = null;
  for (const r of rings) {
    const [x0, y0] = r[0];
    d += 'M' + fmt(x0, scale) + ' ' + fmt(y0, scale);
    cur = [x0, y0];
    let seg = '';
    for (let i = 1; i < r.length; i++) {
      const dx = r[i][0] - cur[0], dy = r[i][1] - cur[1];
      const a = fmt(dx, scale), b = fmt(dy, scale);
      seg += (i === 1 ? 'l' : (a.startsWith('-') ? '' : ' ')) + a + (b.startsWith('-') ? '' : ' ') + b;
      cur = r[i];
    }
    d += seg + 'z';
  }
  return d;
}

const bboxOf = (polys, frame) => {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const p of polys) for (const c of p[0]) {
    const [x, y] = project(frame, c);
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  return [x1 - x0, y1 - y0];
};

const countries = {};
const markers = {};
const notes = { ...NOTES };
const codes = [...Object.values(AMERICAS), ...Object.values(EUROPE_AFRICA), ...SPLITS.map((s) => s.code)].sort();
for (const code of codes) {
  const frame = frameOf(code);
  if (!simple[code]) throw new Error(`no geometry for ${code}`);
  const [bw, bh] = bboxOf(raw[code], frame);
  const rawArea = raw[code].reduce((a, poly) => a + ringArea(poly[0].map((c) => project(frame, c))), 0);
  const small = Math.max(bw, bh) < SMALL_BBOX || rawArea < MARKER_AREA;
  const minArea = small ? MIN_AREA_SMALL : MIN_AREA;
  const scale = small ? 10 : 1;
  // Small countries: use the unsimplified arcs so islands keep their shape.
  const source = small ? raw[code] : simple[code];
  let rings = [];
  for (const poly of source) {
    for (const ring of poly) {
      const pts = prepRing(ring, frame, scale);
      if (pts.length >= 3) rings.push({ pts, area: ringArea(pts) / (scale * scale) });
    }
  }
  if (small) {
    // Light simplification in output units for the raw small shapes.
    rings = rings.map((r) => {
      const closed = [...r.pts, r.pts[0]];
      const s = douglasPeucker(closed, 0.25 * scale).slice(0, -1);
      return s.length >= 3 ? { pts: s, area: ringArea(s) / (scale * scale) } : r;
    });
  }
  rings.sort((a, b) => b.area - a.area);
  const kept = rings.filter((r, i) => i === 0 || r.area >= minArea);
  if (!kept.length) throw new Error(`${code} vanished`);
  countries[code] = encode(kept.map((r) => r.pts), scale);
  const keptArea = kept.reduce((a, r) => a + r.area, 0);
  if (keptArea < MARKER_AREA) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const r of kept) for (const [x, y] of r.pts) {
      x0 = Math.min(x0, x / scale); y0 = Math.min(y0, y / scale);
      x1 = Math.max(x1, x / scale); y1 = Math.max(y1, y / scale);
    }
    markers[code] = [r1((x0 + x1) / 2), r1((y0 + y1) / 2), Math.ceil(Math.hypot(x1 - x0, y1 - y0) / 2 + 2)];
  }
  if (small) {
    const extra = `Very small at this scale (${bw.toFixed(1)}x${bh.toFixed(1)} px, ${rawArea.toFixed(1)} px²): drawn from the unsimplified 1:50m outline with one-decimal coordinates${kept.length < rings.length ? `, islets under ${MIN_AREA_SMALL} px² dropped` : ''}.`;
    notes[code] = notes[code] ? notes[code] + ' ' + extra : extra;
  }
}

const [am, eu] = FRAMES;
const doc = {
  source: `Natural Earth 1:50m admin 0 countries (public domain), via world-atlas ${atlasVersion} (countries-50m.json)`,
  projection:
    `Equirectangular (plate carrée, x proportional to longitude, y to latitude), two frames. ` +
    `Americas: lon ${am.lon[0]}..${am.lon[1]}, lat ${am.lat[0]}..${am.lat[1]}, x = ${am.x} + (lon - (${am.lon[0]})) * ${am.k}, y = ${am.y} + (${am.lat[1]} - lat) * ${am.k}. ` +
    `Inset at the top right for ES, PT, AD, DE, CV (true relative positions, same scale): lon ${eu.lon[0]}..${eu.lon[1]}, lat ${eu.lat[0]}..${eu.lat[1]}, ` +
    `x = ${r1(eu.x)} + (lon - (${eu.lon[0]})) * ${eu.k}, y = ${eu.y} + (${eu.lat[1]} - lat) * ${eu.k}. ` +
    `Simplified with Douglas-Peucker on shared arcs (tolerance ${TOLERANCE_DEG.toFixed(4)} deg), coordinates rounded to integers (one decimal for very small countries), rings under ${MIN_AREA} px² (${MIN_AREA_SMALL} px² for very small countries) dropped except each country's largest.`,
  viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
  frames: FRAMES.map((f) => ({
    name: f.name,
    box: [r1(f.x), r1(f.y), r1(f.w), r1(f.h)],
    lon: f.lon,
    lat: f.lat,
    scale: f.k,
  })),
  countries,
  markers_note: `[x, y, r] circle enclosing each country whose drawn area is under ${MARKER_AREA} px², so the renderer can make tiny members visible.`,
  markers,
  notes: Object.fromEntries(Object.entries(notes).sort()),
};

writeFileSync(out, JSON.stringify(doc, null, 1) + '\n');
const size = Buffer.byteLength(JSON.stringify(doc, null, 1) + '\n');
console.error(`wrote ${out}: ${codes.length} countries, ${size} bytes`);
