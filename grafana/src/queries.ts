/**
 * Every PromQL expression a generated dashboard runs: panel targets (rows included), query variables
 * and annotations. The stack test executes each against the live Prometheus, so a panel that would show
 * "No data" fails CI instead of surprising someone during an incident.
 */

export type QuerySource = 'panel' | 'variable' | 'annotation';

export interface DashboardQuery {
  dashboard: string;
  /** Panel title, variable name or annotation name. */
  where: string;
  source: QuerySource;
  expr: string;
}

interface PanelJson {
  title?: string;
  targets?: { expr?: string }[];
  panels?: PanelJson[];
}

export interface DashboardJson {
  uid: string;
  panels?: PanelJson[];
  templating?: { list?: { name: string; type: string; query?: string | { query?: string } }[] };
  annotations?: { list?: { name: string; expr?: string }[] };
}

function panelQueries(uid: string, panels: PanelJson[]): DashboardQuery[] {
  return panels.flatMap((panel) => [
    ...(panel.targets ?? [])
      .filter((target) => target.expr)
      .map((target) => ({
        dashboard: uid,
        where: panel.title ?? '(untitled)',
        source: 'panel' as const,
        expr: target.expr as string,
      })),
    ...panelQueries(uid, panel.panels ?? []),
  ]);
}

export function dashboardQueries(json: DashboardJson): DashboardQuery[] {
  const variables = (json.templating?.list ?? [])
    .filter((variable) => variable.type === 'query')
    .map((variable) => ({
      dashboard: json.uid,
      where: `$${variable.name}`,
      source: 'variable' as const,
      expr: typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? ''),
    }));
  const annotations = (json.annotations?.list ?? [])
    .filter((annotation) => annotation.expr)
    .map((annotation) => ({
      dashboard: json.uid,
      where: annotation.name,
      source: 'annotation' as const,
      expr: annotation.expr as string,
    }));
  return [...panelQueries(json.uid, json.panels ?? []), ...variables, ...annotations];
}
