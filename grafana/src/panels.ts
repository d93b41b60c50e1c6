/**
 * The building blocks of every dashboard: the Prometheus datasource by its fixed uid (see
 * provisioning/datasources/datasources.yaml), queries that name it, and panels with the defaults wanted
 * everywhere (a description, a unit, the legend shown, exemplars on latency). Layout is the SDK's: each
 * panel has a width out of 24 and a height, and flows left to right under its row.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

export const prometheusDatasource: common.DataSourceRef = { type: 'prometheus', uid: 'prometheus' };

export interface Query {
  expr: string;
  /** Grafana legend template, e.g. `{{job}}`. */
  legend: string;
  /** Show exemplars (trace ids) on this query: latency histograms only. */
  exemplar?: boolean;
}

export interface PanelSpec {
  title: string;
  /** What the panel shows and how to read it, shown as the panel's (i) tooltip. */
  description: string;
  queries: Query[];
  unit: string;
  /** Width out of 24 (default 12). */
  width?: number;
  height?: number;
}

function targets(queries: Query[], instant: boolean): prometheus.DataqueryBuilder[] {
  return queries.map((query, index) => {
    const target = new prometheus.DataqueryBuilder()
      .datasource(prometheusDatasource)
      .refId(String.fromCharCode(65 + index))
      .expr(query.expr)
      .legendFormat(query.legend);
    if (query.exemplar) target.exemplar(true);
    return instant ? target.instant() : target.range();
  });
}

const legend = () =>
  new common.VizLegendOptionsBuilder()
    .showLegend(true)
    .displayMode(common.LegendDisplayMode.List)
    .placement(common.LegendPlacement.Bottom);

const tooltip = () =>
  new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending);

export type Steps = dashboard.Threshold[];

const thresholds = (steps: Steps) =>
  new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(steps);

/** A graph over time; `thresholdSteps` draws them as dashed lines (e.g. a burn-rate alert level). */
export function timeSeries(
  spec: PanelSpec & { stacked?: boolean; min?: number; max?: number; thresholdSteps?: Steps },
): timeseries.PanelBuilder {
  const panel = new timeseries.PanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(prometheusDatasource)
    .targets(targets(spec.queries, false))
    .unit(spec.unit)
    .span(spec.width ?? 12)
    .height(spec.height ?? 8)
    .legend(legend())
    .tooltip(tooltip())
    .lineWidth(1)
    .fillOpacity(spec.stacked ? 40 : 10)
    .showPoints(common.VisibilityMode.Never);
  if (spec.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (spec.min !== undefined) panel.min(spec.min);
  if (spec.max !== undefined) panel.max(spec.max);
  if (spec.thresholdSteps) {
    panel
      .thresholds(thresholds(spec.thresholdSteps))
      .thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  }
  return panel;
}

/** One big number per series (the last value), coloured by `thresholdSteps`. */
export function singleStat(
  spec: PanelSpec & { thresholdSteps?: Steps; mappings?: dashboard.ValueMapping[]; noValue?: string },
): stat.PanelBuilder {
  const panel = new stat.PanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(prometheusDatasource)
    .targets(targets(spec.queries, true))
    .unit(spec.unit)
    .span(spec.width ?? 6)
    .height(spec.height ?? 4)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .graphMode(common.BigValueGraphMode.None)
    .colorMode(common.BigValueColorMode.Background)
    .thresholds(thresholds(spec.thresholdSteps ?? [{ value: null, color: 'blue' }]));
  if (spec.mappings) panel.mappings(spec.mappings);
  if (spec.noValue) panel.noValue(spec.noValue);
  return panel;
}

/** Discrete states over time (e.g. circuit breakers), named and coloured by `mappings`. */
export function stateTimeline(spec: PanelSpec & { mappings: dashboard.ValueMapping[] }): statetimeline.PanelBuilder {
  return new statetimeline.PanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .datasource(prometheusDatasource)
    .targets(targets(spec.queries, false))
    .unit(spec.unit)
    .span(spec.width ?? 12)
    .height(spec.height ?? 6)
    .mappings(spec.mappings)
    .legend(legend())
    .showValue(common.VisibilityMode.Never);
}

/** Maps numbers to names and colours, e.g. `{0: ['closed', 'green']}`. */
export function valueNames(names: Record<number, [text: string, color: string]>): dashboard.ValueMapping[] {
  const options: Record<string, dashboard.ValueMappingResult> = {};
  for (const [value, [text, color]] of Object.entries(names)) {
    options[value] = { text, color, index: Number(value) };
  }
  return [{ type: dashboard.MappingType.ValueToText, options }];
}

export const row = (title: string): dashboard.RowBuilder => new dashboard.RowBuilder(title);

/**
 * Fault windows of chaos experiments as annotations: `chaos_fault_active` is exported by the chaos runner
 * (chaos/src/runner/fault-signal.ts) while a scenario runs, 1 while a fault is in force.
 */
export const chaosFaultAnnotation = () =>
  new dashboard.AnnotationQueryBuilder()
    .name('Chaos faults')
    .datasource(prometheusDatasource)
    .enable(true)
    .iconColor('orange')
    .expr('max by (scenario, fault) (chaos_fault_active) == 1')
    .step('5s')
    .titleFormat('chaos: {{fault}}')
    .textFormat('scenario {{scenario}}')
    .tagKeys('scenario,fault');

/**
 * A dashboard with the settings shared by all: last hour, 30 s refresh, shared crosshair, the
 * `confeitaria` tag (which the links menu uses to list the others), read-only since the source is code,
 * and chaos fault windows drawn over every panel.
 */
export function newDashboard(
  uid: string,
  title: string,
  description: string,
  tags: string[],
): dashboard.DashboardBuilder {
  return new dashboard.DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['confeitaria', ...tags])
    .time({ from: 'now-1h', to: 'now' })
    .refresh('30s')
    .timezone('browser')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .readonly()
    .annotation(chaosFaultAnnotation())
    .link(
      new dashboard.DashboardLinkBuilder('Dashboards')
        .type(dashboard.DashboardLinkType.Dashboards)
        .tags(['confeitaria'])
        .asDropdown(true)
        .keepTime(true)
        .includeVars(false),
    );
}

/** A query variable over one label's values, e.g. `label_values(nodejs_version_info, job)`. */
export function labelVariable(name: string, label: string, query: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(prometheusDatasource)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
}
