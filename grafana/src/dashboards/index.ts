/** Every dashboard, in the order they are listed; each file builds one, and its uid names its JSON file. */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { infrastructureDashboard } from './infrastructure';
import { k6Dashboard } from './k6';
import { orderPipelineDashboard } from './order-pipeline';
import { overviewDashboard } from './overview';
import { serviceDashboard } from './service';
import { sloDashboard } from './slo';

export const dashboardBuilders: (() => dashboard.Dashboard)[] = [
  overviewDashboard,
  serviceDashboard,
  orderPipelineDashboard,
  infrastructureDashboard,
  sloDashboard,
  k6Dashboard,
];
