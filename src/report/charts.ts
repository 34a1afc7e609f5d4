/**
 * Charts as SVG strings, rendered server-side by vega-lite (spec) + vega (headless View, renderer
 * "none", `toSVG`): no browser. One line chart per metric, one line per data source.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface CurvePoint {
  step: number;
  source: string;
  value: number;
}

/** A line chart of `value` against `step`, coloured by `source`. */
export async function lineChartSvg(points: readonly CurvePoint[], title: string, yTitle: string, xTitle = 'step'): Promise<string> {
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 320,
    height: 200,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'line', point: points.length <= 60 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: xTitle, axis: { format: 'd', tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative', title: yTitle },
      color: { field: 'source', type: 'nominal', title: 'data source', legend: { labelLimit: 300 } },
    },
  };
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
