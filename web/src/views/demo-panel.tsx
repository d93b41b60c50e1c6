import { useEffect, useState } from 'preact/hooks';
import type { DemoState } from '../experiment';
import { type Key, useI18n } from '../i18n';
import { useStore } from '../store';
import { actions, telemetryOn } from '../telemetry';
import { Classroom } from './classroom';

const shownKey = 'confeitaria.demo';
const classroomKey = 'confeitaria.classroom';
const grafana = () => document.querySelector<HTMLMetaElement>('meta[name="confeitaria:grafana"]')?.content;

/** Grafana's Explore on the Tempo datasource (uid `tempo`, grafana/provisioning), opened at one trace. */
function traceLink(base: string, traceId: string): string {
  const pane = {
    datasource: 'tempo',
    queries: [{ refId: 'A', datasource: { type: 'tempo', uid: 'tempo' }, queryType: 'traceql', query: traceId }],
    range: { from: 'now-1h', to: 'now' },
  };
  return `${base.replace(/\/+$/, '')}/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify({ t: pane }))}`;
}

/** The running experiment, read every 3 s while the panel is open; 'hidden' where the gateway has none. */
function useExperiment(shown: boolean): DemoState | 'hidden' | 'unknown' {
  const [state, setState] = useState<DemoState | 'hidden' | 'unknown'>('unknown');
  useEffect(() => {
    if (!shown) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const response = await fetch('/demo/state', { headers: { accept: 'application/json' } });
        if (response.status === 404) return setState('hidden');
        setState(response.ok ? ((await response.json()) as DemoState) : 'unknown');
      } catch {
        setState('unknown');
      } finally {
        if (!stopped) timer = setTimeout(read, 3_000);
      }
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [shown]);
  return state;
}

function Experiment({ state }: { state: DemoState | 'hidden' | 'unknown' }) {
  const { t, dateTime } = useI18n();
  if (state === 'unknown') return null;
  return (
    <section data-testid="demo-experiment">
      <h2>{t('demoExperiment')}</h2>
      {state === 'hidden' && <p>{t('demoExperimentsHidden')}</p>}
      {state !== 'hidden' && !state.experiment && state.faults.length === 0 && <p>{t('demoNoExperiment')}</p>}
      {state !== 'hidden' && !state.experiment && state.lastRun && (
        <p class="muted" data-testid="demo-last-run" data-verdict={state.lastRun.verdict}>
          {t('demoLastRun', {
            scenario: state.lastRun.scenario,
            verdict: state.lastRun.verdict,
            when: dateTime(state.lastRun.endedAt),
          })}
        </p>
      )}
      {state !== 'hidden' && state.experiment && (
        <p data-testid="demo-phase" data-phase={state.experiment.phase}>
          <strong>{t('demoScenario', { name: state.experiment.scenario })}</strong>
          <br />
          {t(`demoPhase_${state.experiment.phase}` as Key)}
        </p>
      )}
      {state !== 'hidden' && state.faults.length > 0 && (
        <>
          <h3>{t('demoFaults')}</h3>
          <ul class="demo-faults">
            {state.faults.map((fault) => (
              <li key={`${fault.scenario}/${fault.fault}`} data-testid="demo-fault">
                <code>{fault.fault}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/**
 * The demo panel (toggled from the page's corner, remembered per browser): each action the person took,
 * with the id of the trace it started, linked to Grafana's trace view when the gateway says where
 * Grafana is (docker mode). In local mode the id finds the trace in the collector's trace file. Above
 * them, the chaos experiment in progress (its scenario, its phase and the faults in force) or the last
 * one's verdict, and the classroom mode (views/classroom.tsx).
 */
export function DemoPanel() {
  const { t } = useI18n();
  const [shown, setShown] = useState(localStorage.getItem(shownKey) === '1');
  const [classroom, setClassroom] = useState(localStorage.getItem(classroomKey) === '1');
  const recent = useStore(actions);
  const experiment = useExperiment(shown);
  const base = grafana();
  const toggle = () => {
    localStorage.setItem(shownKey, shown ? '0' : '1');
    setShown(!shown);
  };
  const toggleClassroom = () => {
    localStorage.setItem(classroomKey, classroom ? '0' : '1');
    setClassroom(!classroom);
  };
  return (
    <aside class={`demo ${shown ? 'demo-open' : ''}`} aria-label={t('demoPanel')} data-testid="demo-panel">
      <button type="button" class="demo-toggle" aria-expanded={shown} onClick={toggle} data-testid="demo-toggle">
        {shown ? t('demoHide') : t('demoShow')}
      </button>
      {shown && (
        <div class="demo-body">
          <Experiment state={experiment} />
          {experiment !== 'hidden' && (
            <button
              type="button"
              class="button-secondary demo-classroom-toggle"
              aria-pressed={classroom}
              onClick={toggleClassroom}
              data-testid="classroom-toggle"
            >
              {t('classroomMode')}
            </button>
          )}
          {experiment !== 'hidden' && classroom && (
            <Classroom state={experiment === 'unknown' ? undefined : experiment} />
          )}
          <h2>{t('demoActions')}</h2>
          {!telemetryOn() && <p>{t('demoNoTelemetry')}</p>}
          {telemetryOn() && recent.length === 0 && <p>{t('demoNoActions')}</p>}
          <ol class="demo-actions">
            {recent.map((action) => (
              <li key={`${action.traceId}`} data-testid="demo-action" data-trace-id={action.traceId}>
                <span class="demo-when">{new Date(action.at).toLocaleTimeString()}</span>{' '}
                <strong>{t(`actionName_${action.name}` as Key)}</strong>
                {!action.ok && <span class="demo-failed"> ({t('demoFailed')})</span>}
                <br />
                <code>{action.traceId}</code>
                {base && (
                  <>
                    {' '}
                    <a href={traceLink(base, action.traceId)} target="_blank" rel="noreferrer">
                      {t('demoOpenTrace')}
                    </a>
                  </>
                )}
              </li>
            ))}
          </ol>
        </div>
      )}
    </aside>
  );
}
