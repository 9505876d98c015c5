import { h, s } from "./dom";

/**
 * Small inline-SVG charts drawn from data, no library: a horizontal bar chart for rates and a grouped
 * column chart for counts over time. Each chart is an <figure> with a caption, an SVG with role="img"
 * and a text alternative, and the data as a table for screen readers and copying.
 */

export interface Bar {
  label: string;
  /** 0..1 for rates, any non-negative number otherwise. */
  value: number;
  /** Shown at the end of the bar, e.g. "42% (5/12)". */
  text: string;
}

let chartSeq = 0;

function figure(caption: string, svg: SVGSVGElement, table: HTMLTableElement, dataLabel: string): HTMLElement {
  const id = `chart-${++chartSeq}`;
  svg.setAttribute("aria-labelledby", id);
  return h(
    "figure",
    { class: "chart" },
    h("figcaption", { id }, caption),
    svg,
    h("details", { class: "chart-data" }, h("summary", null, dataLabel), table),
  );
}

function dataTable(headers: string[], rows: string[][]): HTMLTableElement {
  return h(
    "table",
    null,
    h("thead", null, h("tr", null, headers.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", null, rows.map((r) => h("tr", null, r.map((c) => h("td", null, c))))),
  );
}

/** Horizontal bars; `max` defaults to 1 (rates). */
export function barChart(opts: { caption: string; bars: Bar[]; max?: number; headers: [string, string]; dataLabel: string }): HTMLElement {
  const { bars } = opts;
  const max = opts.max ?? Math.max(1e-9, ...bars.map((b) => b.value));
  const labelW = 190;
  const barW = 300;
  const textW = 110;
  const rowH = 26;
  const width = labelW + barW + textW;
  const height = Math.max(rowH, bars.length * rowH) + 8;
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "bar-chart", preserveAspectRatio: "xMinYMin meet" });
  bars.forEach((bar, i) => {
    const y = 4 + i * rowH;
    const w = Math.max(0, Math.min(1, bar.value / max)) * barW;
    const label = bar.label.length > 16 ? `${bar.label.slice(0, 15)}…` : bar.label;
    svg.append(
      s("g", { class: "bar-row" },
        s("title", null, `${bar.label}: ${bar.text}`),
        s("text", { x: labelW - 8, y: y + rowH / 2 + 4, "text-anchor": "end", class: "axis-label" }, label),
        s("rect", { x: labelW, y: y + 4, width: barW, height: rowH - 8, class: "bar-track", rx: 3 }),
        s("rect", { x: labelW, y: y + 4, width: w.toFixed(1), height: rowH - 8, class: "bar", rx: 3 }),
        s("text", { x: labelW + barW + 8, y: y + rowH / 2 + 4, class: "value-label" }, bar.text),
      ),
    );
  });
  return figure(opts.caption, svg, dataTable(opts.headers, bars.map((b) => [b.label, b.text])), opts.dataLabel);
}

export interface Series {
  name: string;
  /** CSS class giving the colour (series-0, series-1...). */
  values: number[];
}

/** Grouped columns over categories (e.g. years), one colour per series, with a legend. */
export function columnChart(opts: { caption: string; categories: string[]; series: Series[]; dataLabel: string; categoryHeader: string }): HTMLElement {
  const { categories, series } = opts;
  const max = Math.max(1, ...series.flatMap((x) => x.values));
  const left = 40;
  const bottom = 28;
  const top = 28;
  // A fixed drawing width: few categories get wider groups, not a bigger chart.
  const plotW = 560;
  const groupW = Math.min(120, plotW / Math.max(1, categories.length));
  const plotH = 180;
  const width = left + plotW + 12;
  const height = top + plotH + bottom;
  const colW = Math.min(40, (groupW - 8) / Math.max(1, series.length));
  const groupUsed = colW * series.length;
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "column-chart", preserveAspectRatio: "xMinYMin meet" });
  // Grid lines at 0, 1/2 and the maximum.
  for (const f of [0, 0.5, 1]) {
    const y = top + plotH - f * plotH;
    const value = Math.round(f * max);
    svg.append(
      s("line", { x1: left, x2: width - 4, y1: y, y2: y, class: "grid" }),
      s("text", { x: left - 6, y: y + 4, "text-anchor": "end", class: "axis-label" }, String(value)),
    );
  }
  categories.forEach((cat, i) => {
    const x0 = left + i * groupW + (groupW - groupUsed) / 2;
    series.forEach((ser, j) => {
      const v = ser.values[i] ?? 0;
      const barH = (v / max) * plotH;
      svg.append(
        s("rect", { x: (x0 + j * colW).toFixed(1), y: (top + plotH - barH).toFixed(1), width: Math.max(1, colW - 2).toFixed(1), height: barH.toFixed(1), class: `column series-${j}` },
          s("title", null, `${cat} · ${ser.name}: ${v}`),
        ),
      );
    });
    svg.append(s("text", { x: x0 + groupUsed / 2, y: top + plotH + 18, "text-anchor": "middle", class: "axis-label" }, cat));
  });
  // Legend on top.
  series.forEach((ser, j) => {
    const x = left + j * 150;
    svg.append(s("rect", { x, y: 6, width: 12, height: 12, class: `column series-${j}` }), s("text", { x: x + 18, y: 16, class: "axis-label" }, ser.name));
  });
  const rows = categories.map((cat, i) => [cat, ...series.map((ser) => String(ser.values[i] ?? 0))]);
  return figure(opts.caption, svg, dataTable([opts.categoryHeader, ...series.map((x) => x.name)], rows), opts.dataLabel);
}
