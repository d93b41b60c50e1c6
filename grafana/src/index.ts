export { dashboardBuilders } from './dashboards';
export { dashboardsDir, type RenderedDashboard, renderAll, staleDashboards, writeDashboards } from './generate';
export { prometheusDatasource } from './panels';
export { type DashboardJson, type DashboardQuery, dashboardQueries, type QuerySource } from './queries';
export { renderDashboard } from './render';
