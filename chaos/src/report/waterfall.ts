/**
 * A request's trace as a waterfall figure (issue 17.4): one bar per span on a time axis in ms from the
 * request's start, its label indented by depth, coloured by service (one legend entry each), its
 * duration at its end. Drawn by ECharts like the other figures (charts.ts renderSvg), so it is vector
 * SVG with the same fonts, palette and id scheme.
 */
import type * as echarts from 'echarts';
import type { Lang, Waterfall } from '../run-result';
import { font, niceCeiling, palette, renderSvg } from './charts';
import { formatNumber } from './format';
import { strings } from './i18n';

export const waterfallGrid = { left: 300, right: 80, top: 12, bottom: 64 };
const rowHeight = 22;
const indentPx = 12;
/** Roughly DejaVu Sans's mean advance at 11 px, to fit a label in the space left of the plot. */
const charPx = 6.4;

const fit = (text: string, px: number) => {
  const chars = Math.max(4, Math.floor(px / charPx));
  return text.length <= chars ? text : `${text.slice(0, chars - 1)}…`;
};

type RenderApi = {
  value: (dimension: number) => number;
  coord: (point: [number, number]) => [number, number];
  visual: (key: 'color') => string;
};

export function waterfallSvg(trace: Waterfall, lang: Lang, idPrefix: string, label: string): string {
  const services = [...new Set(trace.rows.map((row) => row.service))];
  const end = Math.max(1, ...trace.rows.map((row) => row.startMs + row.durationMs));
  const labelPx = waterfallGrid.left - 16;
  const series = services.map((service, index) => ({
    type: 'custom' as const,
    name: service,
    silent: true,
    itemStyle: { color: palette[index % palette.length] },
    encode: { x: [1, 2], y: 0 },
    data: trace.rows.flatMap((row, i) =>
      row.service === service ? [[i, row.startMs, row.startMs + row.durationMs]] : [],
    ),
    renderItem: (_params: unknown, api: RenderApi) => {
      const i = api.value(0);
      const row = trace.rows[i];
      if (!row) return null;
      const [x0, y] = api.coord([api.value(1), i]);
      const [x1] = api.coord([api.value(2), i]);
      const height = rowHeight * 0.62;
      const text = (content: string, x: number, align: 'left' | 'right', color: string) => ({
        type: 'text' as const,
        style: { text: content, x, y, align, verticalAlign: 'middle', fontFamily: font, fontSize: 11, fill: color },
      });
      return {
        type: 'group',
        children: [
          {
            type: 'rect',
            shape: { x: x0, y: y - height / 2, width: Math.max(0, x1 - x0), height },
            style: { fill: api.visual('color') },
          },
          text(
            fit(`${row.service}: ${row.name}`, labelPx - row.depth * indentPx),
            8 + row.depth * indentPx,
            'left',
            '#222',
          ),
          text(`${formatNumber(row.durationMs, lang)} ms`, x1 + 4, 'left', '#555'),
        ],
      };
    },
  }));
  const option: echarts.EChartsOption = {
    grid: waterfallGrid,
    legend: { bottom: 4, icon: 'rect', itemWidth: 18, itemGap: 16, textStyle: { fontSize: 11 }, data: services },
    xAxis: {
      type: 'value',
      min: 0,
      // A round end near the longest span (niceCeiling alone would stretch 300 ms to 500).
      max: Math.ceil(end / niceCeiling(end / 5)) * niceCeiling(end / 5),
      name: strings(lang).axisRequestMs,
      nameLocation: 'middle',
      nameGap: 26,
      splitLine: { lineStyle: { color: '#eee' } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: trace.rows.map((_, i) => String(i)),
      axisLabel: { show: false },
      axisTick: { show: false },
    },
    series: series as never,
  };
  const height = waterfallGrid.top + waterfallGrid.bottom + trace.rows.length * rowHeight;
  return renderSvg(option, idPrefix, label, height);
}
