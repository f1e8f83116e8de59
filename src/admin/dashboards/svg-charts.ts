/**
 * Charts drawn on the server as inline SVG: no client JavaScript, no fonts or scripts from a CDN.
 * In Arabic (right to left) the axes are mirrored: bars grow from the right and time runs from
 * right to left. Every figure also appears as text (a `<title>` and a label), so the charts are
 * readable by screen readers and by tests.
 */

import { escapeHtml } from '../../platform/text/html.js';

export type Dir = 'rtl' | 'ltr';

/** SVG is XML: the same five entities as HTML. */
const e = escapeHtml;
const r1 = (n: number) => Math.round(n * 10) / 10;

export const PALETTE = [
  '#0b6e4f',
  '#c8553d',
  '#2d6a9f',
  '#e0a100',
  '#6c4f9c',
  '#3f8f8f',
  '#9c4f6c',
  '#6b6b6b',
];

export interface TargetBar {
  label: string;
  /** Actual ÷ target in percent (target = 100). */
  achievementPercent: number;
  met: boolean | null;
  text: string;
}

/** Target vs actual: per KPI a grey target bar (100 %) and the actual bar scaled to it. */
export function targetVsActualChart(
  rows: TargetBar[],
  dir: Dir,
  legend: { target: string; actual: string },
): string {
  if (!rows.length) return '';
  const width = 640;
  const labelW = 220;
  const rowH = 40;
  const barMax = width - labelW - 70;
  const maxPct = Math.max(100, ...rows.map((r) => r.achievementPercent));
  const scale = barMax / maxPct;
  const h = rows.length * rowH + 28;
  const rtl = dir === 'rtl';
  // Bars start next to the labels: labels on the right in Arabic, on the left in English.
  const barX = (len: number) => (rtl ? width - labelW - len : labelW);
  const labelX = rtl ? width : 0;
  const anchorStart = rtl ? 'end' : 'start';
  const body = rows
    .map((row, i) => {
      const y = 24 + i * rowH;
      const tLen = 100 * scale;
      const aLen = Math.max(1, row.achievementPercent * scale);
      const colour = row.met === false ? '#b3261e' : row.met ? '#1b7f4b' : '#6b6b6b';
      const textX = rtl ? barX(aLen) - 6 : labelW + aLen + 6;
      return `<g><title>${e(row.label)}: ${e(row.text)}</title>
<text x="${labelX}" y="${y + 14}" font-size="11" text-anchor="${anchorStart}">${e(truncate(row.label, 34))}</text>
<rect x="${r1(barX(tLen))}" y="${y}" width="${r1(tLen)}" height="12" fill="#c9ced6"/>
<rect x="${r1(barX(aLen))}" y="${y + 14}" width="${r1(aLen)}" height="12" fill="${colour}"/>
<text x="${r1(textX)}" y="${y + 24}" font-size="11" text-anchor="${anchorStart}">${e(row.text)}</text></g>`;
    })
    .join('\n');
  return svg(
    width,
    h,
    `${legend.target} / ${legend.actual}`,
    `${legendRow(
      [
        { label: legend.target, colour: '#c9ced6' },
        { label: legend.actual, colour: '#1b7f4b' },
      ],
      dir,
      width,
    )}
${body}`,
  );
}

export interface Bar {
  label: string;
  value: number;
  text: string;
}

/** Horizontal bars, largest first as given (top services). */
export function barChart(rows: Bar[], dir: Dir, title: string): string {
  if (!rows.length) return '';
  const width = 640;
  const labelW = 160;
  const rowH = 26;
  const barMax = width - labelW - 130;
  const max = Math.max(...rows.map((r) => r.value), 1);
  const rtl = dir === 'rtl';
  const h = rows.length * rowH + 8;
  const anchor = rtl ? 'end' : 'start';
  const body = rows
    .map((row, i) => {
      const y = 4 + i * rowH;
      const len = Math.max(1, (row.value / max) * barMax);
      const x = rtl ? width - labelW - len : labelW;
      const textX = rtl ? x - 6 : labelW + len + 6;
      return `<g><title>${e(row.label)}: ${e(row.text)}</title>
<text x="${rtl ? width : 0}" y="${y + 13}" font-size="11" text-anchor="${anchor}">${e(truncate(row.label, 24))}</text>
<rect x="${r1(x)}" y="${y + 2}" width="${r1(len)}" height="16" fill="${PALETTE[2]}"/>
<text x="${r1(textX)}" y="${y + 14}" font-size="11" text-anchor="${anchor}">${e(row.text)}</text></g>`;
    })
    .join('\n');
  return svg(width, h, title, body);
}

export interface Series {
  name: string;
  colour: string;
  /** One value per x label; null = no figure (a gap in the line). */
  values: (number | null)[];
  texts: (string | null)[];
  dashed?: boolean;
}

/** Lines over ordered x labels (months, years); y from 0 to the largest value (or `yMax`). */
export function lineChart(
  xLabels: string[],
  series: Series[],
  dir: Dir,
  opts: { title: string; yMax?: number; yTicks?: { value: number; text: string }[] },
): string {
  const width = 640;
  const height = 220;
  const padX = 48;
  const top = 28;
  const bottom = 30;
  const plotW = width - 2 * padX;
  const plotH = height - top - bottom;
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const yMax = opts.yMax ?? Math.max(1, ...all) * 1.1;
  const rtl = dir === 'rtl';
  const n = Math.max(1, xLabels.length - 1);
  const x = (i: number) => {
    const off = xLabels.length === 1 ? plotW / 2 : (i / n) * plotW;
    return rtl ? width - padX - off : padX + off;
  };
  const y = (v: number) => top + plotH - (Math.min(v, yMax) / yMax) * plotH;
  const ticks = (opts.yTicks ?? []).map(
    (
      t,
    ) => `<line x1="${padX}" x2="${width - padX}" y1="${r1(y(t.value))}" y2="${r1(y(t.value))}" stroke="#e3e6ea"/>
<text x="${rtl ? width - 4 : 4}" y="${r1(y(t.value)) + 4}" font-size="10" fill="#555" text-anchor="${rtl ? 'end' : 'start'}">${e(t.text)}</text>`,
  );
  const axis = `<line x1="${padX}" x2="${width - padX}" y1="${top + plotH}" y2="${top + plotH}" stroke="#888"/>`;
  const labels = xLabels
    .map(
      (l, i) =>
        `<text x="${r1(x(i))}" y="${height - 10}" font-size="10" text-anchor="middle" fill="#333">${e(l)}</text>`,
    )
    .join('\n');
  const lines = series
    .map((s) => {
      const segments: string[] = [];
      let current: string[] = [];
      s.values.forEach((v, i) => {
        if (v === null) {
          if (current.length) segments.push(current.join(' '));
          current = [];
        } else current.push(`${r1(x(i))},${r1(y(v))}`);
      });
      if (current.length) segments.push(current.join(' '));
      const paths = segments
        .map(
          (pts) =>
            `<polyline points="${pts}" fill="none" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''}/>`,
        )
        .join('');
      const dots = s.values
        .map((v, i) =>
          v === null
            ? ''
            : `<circle cx="${r1(x(i))}" cy="${r1(y(v))}" r="3" fill="${s.colour}"><title>${e(s.name)} ${e(xLabels[i])}: ${e(s.texts[i] ?? '')}</title></circle>`,
        )
        .join('');
      return `<g>${paths}${dots}</g>`;
    })
    .join('\n');
  const legend = legendRow(
    series.map((s) => ({ label: s.name, colour: s.colour })),
    dir,
    width,
  );
  return svg(
    width,
    height,
    opts.title,
    `${legend}\n${ticks.join('\n')}\n${axis}\n${labels}\n${lines}`,
  );
}

export interface Segment {
  label: string;
  value: number;
  text: string;
}

/** One bar split into shares (channel mix), with a legend naming each share. */
export function stackedBar(segments: Segment[], dir: Dir, title: string): string {
  const total = segments.reduce((s, x) => s + Math.max(0, x.value), 0);
  if (total <= 0) return '';
  const width = 640;
  const barH = 28;
  const rtl = dir === 'rtl';
  let offset = 0;
  const rects = segments
    .map((s, i) => {
      const len = (Math.max(0, s.value) / total) * width;
      const xPos = rtl ? width - offset - len : offset;
      offset += len;
      return `<rect x="${r1(xPos)}" y="0" width="${r1(len)}" height="${barH}" fill="${PALETTE[i % PALETTE.length]}"><title>${e(s.label)}: ${e(s.text)}</title></rect>`;
    })
    .join('\n');
  const rowH = 18;
  const legend = segments
    .map((s, i) => {
      const yPos = barH + 16 + i * rowH;
      const sq = rtl ? width - 12 : 0;
      const tx = rtl ? width - 18 : 18;
      return `<rect x="${sq}" y="${yPos - 10}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/>
<text x="${tx}" y="${yPos}" font-size="11" text-anchor="${rtl ? 'end' : 'start'}">${e(s.label)}: ${e(s.text)}</text>`;
    })
    .join('\n');
  return svg(width, barH + 16 + segments.length * rowH, title, `${rects}\n${legend}`);
}

function legendRow(items: { label: string; colour: string }[], dir: Dir, width: number): string {
  const rtl = dir === 'rtl';
  let pos = 0;
  return items
    .map((item) => {
      const w = 24 + item.label.length * 6.5;
      const sq = rtl ? width - pos - 10 : pos;
      const tx = rtl ? width - pos - 14 : pos + 14;
      pos += w;
      return `<rect x="${r1(sq)}" y="4" width="10" height="10" fill="${item.colour}"/><text x="${r1(tx)}" y="13" font-size="10" fill="#333" text-anchor="${rtl ? 'end' : 'start'}">${e(item.label)}</text>`;
    })
    .join('');
}

function svg(width: number, height: number, label: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${e(label)}" font-family="inherit">
${body}
</svg>`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
