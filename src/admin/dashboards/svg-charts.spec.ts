import { describe, expect, it } from '@jest/globals';
import { barChart, lineChart, stackedBar, targetVsActualChart } from './svg-charts.js';

describe('server-drawn charts', () => {
  it('mirrors bars in Arabic: they grow from the right edge', () => {
    const rows = [{ label: 'eKey', achievementPercent: 150, met: true, text: '150%' }];
    const legend = { target: 'Target', actual: 'Actual' };
    const ltr = targetVsActualChart(rows, 'ltr', legend);
    const rtl = targetVsActualChart(rows, 'rtl', legend);
    const widths = (svg: string) =>
      [...svg.matchAll(/<rect x="([\d.]+)" y="\d+" width="([\d.]+)" height="12"/g)].map((m) => [
        Number(m[1]),
        Number(m[2]),
      ]);
    const [[lx, lw], [, law]] = widths(ltr);
    const [[rx, rw], [rax, raw]] = widths(rtl);
    expect(lw).toBe(rw);
    // The actual bar is 1.5 times the target bar, in both directions.
    expect(law / lw).toBeCloseTo(1.5, 1);
    expect(raw / rw).toBeCloseTo(1.5, 1);
    expect(lx).toBe(220);
    expect(rx + rw).toBe(640 - 220);
    expect(rax + raw).toBe(640 - 220);
  });

  it('runs time from right to left in Arabic', () => {
    const series = [
      { name: 'share', colour: '#000', values: [10, 20, 30], texts: ['a', 'b', 'c'] },
    ];
    const cx = (svg: string) =>
      [...svg.matchAll(/<circle cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    const l = cx(lineChart(['1', '2', '3'], series, 'ltr', { title: 't' }));
    const r = cx(lineChart(['1', '2', '3'], series, 'rtl', { title: 't' }));
    expect(l[0]).toBeLessThan(l[2]);
    expect(r[0]).toBeGreaterThan(r[2]);
  });

  it('leaves a gap where a period has no figure instead of drawing zero', () => {
    const svg = lineChart(
      ['1', '2', '3', '4'],
      [{ name: 's', colour: '#000', values: [10, null, 30, 40], texts: ['a', null, 'c', 'd'] }],
      'ltr',
      { title: 't' },
    );
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(3);
  });

  it('escapes names so a service or KPI name cannot inject markup', () => {
    const svg = barChart([{ label: '<script>x</script>', value: 1, text: '"1"' }], 'ltr', 't');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('&quot;1&quot;');
  });

  it('splits the channel bar in proportion and draws nothing for an empty mix', () => {
    const svg = stackedBar(
      [
        { label: 'web', value: 3, text: '3' },
        { label: 'counter', value: 1, text: '1' },
      ],
      'ltr',
      'mix',
    );
    const widths = [...svg.matchAll(/height="28" fill/g)].length;
    expect(widths).toBe(2);
    expect(svg).toContain('width="480"');
    expect(svg).toContain('width="160"');
    expect(stackedBar([{ label: 'web', value: 0, text: '0' }], 'ltr', 'mix')).toBe('');
  });
});
