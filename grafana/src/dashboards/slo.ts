/**
 * SLO: the shop's service level objectives (browse and checkout availability, checkout latency, order
 * completion time) read from the recording rules in prometheus/rules/slo.yml, which own the SLI
 * definitions: `slo:sli_error:ratio_rate<window>{slo}`, `slo:objective:ratio{slo}` and
 * `slo:error_budget_remaining:ratio{slo}`. Burn rate = error ratio / allowed error ratio (1 − objective);
 * the panels pair the windows of the multi-window, multi-burn-rate alerts (Google SRE workbook, ch. 5)
 * and draw each pair's alert threshold. Firing `SLOErrorBudgetBurn*` alerts are marked as annotations.
 * Chaos fault windows are drawn over it (as over every dashboard, see panels.ts), and a row shows which
 * faults were in force, so a burn can be read against the experiment that caused it.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { newDashboard, prometheusDatasource, row, singleStat, stateTimeline, timeSeries, valueNames } from '../panels';

const burnAlerts = 'ALERTS{alertname=~"SLOErrorBudgetBurn.*", alertstate="firing"}';
const allowedError = 'max by (slo) (1 - slo:objective:ratio)';
const burnRate = (window: string) => `max by (slo) (slo:sli_error:ratio_rate${window}) / on (slo) ${allowedError}`;

/** One panel per alert: its long and short window, and the burn rate at which it fires. */
function burnRatePanel(title: string, long: string, short: string, factor: number, severity: string) {
  return timeSeries({
    title,
    description: `Burn rate over ${long} and ${short}. The ${severity} alert fires when both stay above ${factor} (the dashed line): at that pace the 30-day budget lasts ${+(30 / factor).toFixed(1)} days.`,
    queries: [
      { expr: burnRate(long), legend: `{{slo}} ${long}` },
      { expr: burnRate(short), legend: `{{slo}} ${short}` },
    ],
    unit: 'short',
    min: 0,
    thresholdSteps: [
      { value: null, color: 'green' },
      { value: factor, color: 'red' },
    ],
  });
}

export function sloDashboard(): dashboard.Dashboard {
  return newDashboard(
    'slo',
    'SLO',
    "Error budgets and burn rates of the shop's SLOs, and the burn-rate alerts that page on them.",
    ['slo'],
  )
    .annotation(
      new dashboard.AnnotationQueryBuilder()
        .name('SLO burn alerts')
        .datasource(prometheusDatasource)
        .enable(true)
        .iconColor('red')
        .expr(burnAlerts)
        .step('30s')
        .titleFormat('{{alertname}}')
        .textFormat('{{slo}} burning its error budget ({{severity}})')
        .tagKeys('slo,severity'),
    )
    .withRow(row('Error budget'))
    .withPanel(
      singleStat({
        title: 'Error budget remaining',
        description: 'Share of the 30-day error budget left per SLO. Below 0 the objective is missed.',
        queries: [{ expr: 'max by (slo) (slo:error_budget_remaining:ratio)', legend: '{{slo}}' }],
        unit: 'percentunit',
        width: 12,
        thresholdSteps: [
          { value: null, color: 'red' },
          { value: 0, color: 'orange' },
          { value: 0.25, color: 'green' },
        ],
      }),
    )
    .withPanel(
      singleStat({
        title: 'Objectives',
        description: 'The target share of good events per SLO.',
        queries: [{ expr: 'max by (slo) (slo:objective:ratio)', legend: '{{slo}}' }],
        unit: 'percentunit',
      }),
    )
    .withPanel(
      singleStat({
        title: 'Burn-rate alerts firing',
        description:
          'SLOErrorBudgetBurn* alerts firing now, per alert and SLO. Empty (“none firing”) is the healthy state.',
        queries: [{ expr: `count by (alertname, slo) (${burnAlerts})`, legend: '{{alertname}} {{slo}}' }],
        unit: 'short',
        noValue: 'none firing',
        thresholdSteps: [{ value: null, color: 'red' }],
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Error budget remaining over time',
        description: 'Share of the error budget left per SLO over time.',
        queries: [{ expr: 'max by (slo) (slo:error_budget_remaining:ratio)', legend: '{{slo}}' }],
        unit: 'percentunit',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'SLI error ratio (5m) against the allowed error',
        description: 'Share of bad events over 5 minutes per SLO, with the error ratio its objective allows.',
        queries: [
          { expr: 'max by (slo) (slo:sli_error:ratio_rate5m)', legend: '{{slo}}' },
          { expr: allowedError, legend: 'allowed {{slo}}' },
        ],
        unit: 'percentunit',
      }),
    )
    .withRow(row('Burn rate (multi-window)'))
    .withPanel(burnRatePanel('Fast burn: 1h and 5m', '1h', '5m', 14.4, 'page'))
    .withPanel(burnRatePanel('Fast burn: 6h and 30m', '6h', '30m', 6, 'page'))
    .withPanel(burnRatePanel('Slow burn: 1d and 2h', '1d', '2h', 3, 'ticket'))
    .withPanel(burnRatePanel('Slow burn: 3d and 6h', '3d', '6h', 1, 'ticket'))
    .withRow(row('Chaos experiments'))
    .withPanel(
      stateTimeline({
        title: 'Faults in force',
        description:
          'Each fault a chaos scenario applied (npm run chaos:scenario), from injection to rollback. Empty when no experiment ran in the time range.',
        queries: [{ expr: 'max by (scenario, fault) (chaos_fault_active)', legend: '{{scenario}}: {{fault}}' }],
        unit: 'short',
        width: 24,
        mappings: valueNames({ 0: ['rolled back', 'green'], 1: ['fault active', 'orange'] }),
      }),
    )
    .build();
}
