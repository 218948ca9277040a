import uPlot from 'uplot';

/**
 * uPlot charts that zoom together: dragging across one zooms every chart of
 * the group to that range, double-click resets. Time is in seconds.
 */
export class ChartGroup {
  readonly charts: uPlot[] = [];
  private syncing = false;
  readonly key = `g${Math.random().toString(36).slice(2)}`;

  add(opts: uPlot.Options, data: uPlot.AlignedData, parent: HTMLElement): uPlot {
    const chart = new uPlot(
      {
        ...opts,
        cursor: { sync: { key: this.key }, drag: { x: true, y: false }, ...opts.cursor },
        hooks: { ...opts.hooks, setScale: [...(opts.hooks?.setScale ?? []), (u, scaleKey) => this.sync(u, scaleKey)] },
      },
      data,
      parent,
    );
    this.charts.push(chart);
    return chart;
  }

  private sync(from: uPlot, scaleKey: string): void {
    if (scaleKey !== 'x' || this.syncing) return;
    this.syncing = true;
    const { min, max } = from.scales['x']!;
    for (const c of this.charts) if (c !== from && min !== undefined && max !== undefined) c.setScale('x', { min, max });
    this.syncing = false;
  }

  resize(width: number): void {
    for (const c of this.charts) c.setSize({ width, height: c.height });
  }
}

/** Every chart's y axis is this wide, so stacked charts share one time axis. */
export const AXIS_WIDTH = 110;

/** Seconds formatted for an axis whose span may be anything from hours to microseconds. */
export function secondsLabel(s: number, span: number): string {
  if (span >= 10) return `${+s.toFixed(1)} s`;
  if (span >= 0.01) return `${+(s * 1000).toFixed(span >= 1 ? 0 : 2)} ms`;
  return `${+(s * 1e6).toFixed(span >= 1e-5 ? 0 : 2)} µs`;
}

export const timeAxis: uPlot.Axis = {
  values: (u, splits) => {
    const span = (u.scales['x']!.max ?? 1) - (u.scales['x']!.min ?? 0);
    return splits.map((v) => secondsLabel(v, span));
  },
};
