import { useState } from 'preact/hooks';
import {
  type Comparison,
  compare,
  type DemoState,
  type Measure,
  outcomeOf,
  type Prediction,
  savedPrediction,
  savePrediction,
} from '../experiment';
import { type Key, useI18n } from '../i18n';

const number = (value: string) => (value.trim() === '' ? undefined : Number(value.replace(',', '.')));

/** The form where the audience writes its prediction down before the experiment. */
function PredictionForm({ state, onSave }: { state: DemoState | undefined; onSave: (prediction: Prediction) => void }) {
  const { t } = useI18n();
  const [verdict, setVerdict] = useState<'PASS' | 'FAIL'>('PASS');
  const [auditClean, setAuditClean] = useState(true);
  const [failed, setFailed] = useState('');
  const [p95, setP95] = useState('');
  const [recovery, setRecovery] = useState('');
  const figures = { failed: number(failed), p95: number(p95), recovery: number(recovery) };
  const invalid = (value: number | undefined, max = Number.POSITIVE_INFINITY) =>
    value !== undefined && (!Number.isFinite(value) || value < 0 || value > max);
  const wrong = {
    failed: invalid(figures.failed, 100),
    p95: invalid(figures.p95),
    recovery: invalid(figures.recovery),
  };
  const submit = (event: Event) => {
    event.preventDefault();
    if (wrong.failed || wrong.p95 || wrong.recovery) return;
    onSave({
      at: Date.now(),
      verdict,
      auditClean,
      failedPct: figures.failed,
      p95Ms: figures.p95,
      recoveryS: figures.recovery,
      ...(state?.experiment ? { during: state.experiment } : {}),
    });
  };
  const field = (
    id: 'failed' | 'p95' | 'recovery',
    label: Key,
    value: string,
    set: (value: string) => void,
    max?: number,
  ) => (
    <p class="field field-inline">
      <label for={`predict-${id}`}>{t(label)}</label>
      <input
        id={`predict-${id}`}
        type="number"
        inputMode="decimal"
        min={0}
        max={max}
        step="any"
        value={value}
        aria-invalid={wrong[id]}
        aria-describedby={wrong[id] ? `predict-${id}-error` : undefined}
        data-testid={`predict-${id}`}
        onInput={(event) => set(event.currentTarget.value)}
      />
      {wrong[id] && (
        <span class="field-error" id={`predict-${id}-error`}>
          {t(max === 100 ? 'classroomBetween0And100' : 'classroomNotNegative')}
        </span>
      )}
    </p>
  );
  return (
    <form class="classroom-form" onSubmit={submit} data-testid="prediction-form">
      <p class="muted">{t('classroomIntro')}</p>
      <fieldset>
        <legend>{t('classroomVerdictQuestion')}</legend>
        {(['PASS', 'FAIL'] as const).map((value) => (
          <label key={value} class="choice">
            <input
              type="radio"
              name="predict-verdict"
              checked={verdict === value}
              onChange={() => setVerdict(value)}
              data-testid={`predict-verdict-${value}`}
            />{' '}
            {t(value === 'PASS' ? 'classroomHolds' : 'classroomBreaks')}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('classroomAuditQuestion')}</legend>
        {[true, false].map((value) => (
          <label key={String(value)} class="choice">
            <input
              type="radio"
              name="predict-audit"
              checked={auditClean === value}
              onChange={() => setAuditClean(value)}
              data-testid={`predict-audit-${value ? 'clean' : 'lost'}`}
            />{' '}
            {t(value ? 'classroomNothingLost' : 'classroomSomethingLost')}
          </label>
        ))}
      </fieldset>
      {field('failed', 'classroomFailedPct', failed, setFailed, 100)}
      {field('p95', 'classroomP95', p95, setP95)}
      {field('recovery', 'classroomRecovery', recovery, setRecovery)}
      <button type="submit" data-testid="prediction-save">
        {t('classroomSave')}
      </button>
    </form>
  );
}

const measureLabel: Record<Measure, Key> = {
  verdict: 'classroomMeasure_verdict',
  audit: 'classroomMeasure_audit',
  failed: 'classroomMeasure_failed',
  p95: 'classroomMeasure_p95',
  recovery: 'classroomMeasure_recovery',
};

/** A value of one row, as a person reads it: PASS, "nada perdido", 1,3 %, 420 ms, 12 s, or a dash. */
function useShow() {
  const { t, lang } = useI18n();
  const figure = (value: number, digits: number) =>
    new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value);
  return (row: Comparison, value: Comparison['predicted'], side: 'predicted' | 'measured') => {
    if (value === undefined) {
      return side === 'measured' && row.measure === 'recovery' && row.hit === false ? t('classroomNotBack') : '—';
    }
    if (row.measure === 'verdict') return String(value);
    if (row.measure === 'audit') return t(value ? 'classroomNothingLost' : 'classroomSomethingLost');
    if (row.measure === 'failed') return `${figure(Number(value), 2)} %`;
    if (row.measure === 'p95') return `${figure(Number(value), 0)} ms`;
    return `${figure(Number(value), 1)} s`;
  };
}

function Verdict({ prediction, outcome }: { prediction: Prediction; outcome: NonNullable<DemoState['lastRun']> }) {
  const { t, dateTime } = useI18n();
  const show = useShow();
  const rows = compare(prediction, outcome);
  const scored = rows.filter((row) => row.hit !== undefined);
  const hits = scored.filter((row) => row.hit).length;
  return (
    <div data-testid="prediction-outcome" data-verdict={outcome.verdict}>
      <table class="classroom-table">
        <caption>{t('classroomCaption', { scenario: outcome.scenario, when: dateTime(outcome.endedAt) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('classroomMeasure')}</th>
            <th scope="col">{t('classroomPredicted')}</th>
            <th scope="col">{t('classroomMeasured')}</th>
            <th scope="col">
              <span class="visually-hidden">{t('classroomHit')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.measure} data-testid={`outcome-${row.measure}`} data-hit={String(row.hit)}>
              <th scope="row">{t(measureLabel[row.measure])}</th>
              <td>{show(row, row.predicted, 'predicted')}</td>
              <td>{show(row, row.measured, 'measured')}</td>
              <td>{row.hit === undefined ? '' : row.hit ? `✓ ${t('classroomRight')}` : `✗ ${t('classroomWrong')}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="prediction-score">
        <strong>{t('classroomScore', { hits, of: scored.length })}</strong>
        {outcome.acceptedOrders !== undefined && <> · {t('classroomOrders', { n: outcome.acceptedOrders })}</>}
      </p>
      {prediction.during && prediction.during.phase !== 'preflight' && (
        <p class="muted" data-testid="prediction-late">
          {t('classroomLate', { phase: t(`demoPhase_${prediction.during.phase}` as Key) })}
        </p>
      )}
      <p class="muted">{t('classroomReport', { run: outcome.run })}</p>
    </div>
  );
}

/**
 * Classroom mode: before an experiment the audience writes down what it expects (will the shop keep
 * its promises, will the auditor find anything lost, how many requests fail, how slow it gets, how long
 * it takes to come back); when the next run ends, the panel sets that against what was measured. The
 * prediction stays in this browser (localStorage), so a reload on the big screen keeps it.
 */
export function Classroom({ state }: { state: DemoState | undefined }) {
  const { t } = useI18n();
  const [prediction, setPrediction] = useState(savedPrediction());
  const change = (next: Prediction | undefined) => {
    savePrediction(next);
    setPrediction(next);
  };
  const outcome = prediction && state ? outcomeOf(prediction, state.lastRun) : undefined;
  return (
    <section class="classroom" data-testid="classroom">
      <h2>{t('classroom')}</h2>
      {!prediction && <PredictionForm state={state} onSave={change} />}
      {prediction && !outcome && (
        <div data-testid="prediction-waiting">
          <p>
            {t('classroomWritten', {
              verdict: prediction.verdict,
              audit: t(prediction.auditClean ? 'classroomNothingLost' : 'classroomSomethingLost'),
            })}
          </p>
          <p class="muted" role="status">
            {state?.experiment ? t('classroomRunning', { scenario: state.experiment.scenario }) : t('classroomWaiting')}
          </p>
        </div>
      )}
      {prediction && outcome && <Verdict prediction={prediction} outcome={outcome} />}
      {prediction && (
        <button type="button" class="button-secondary" onClick={() => change(undefined)} data-testid="prediction-new">
          {t(outcome ? 'classroomAgain' : 'classroomDiscard')}
        </button>
      )}
    </section>
  );
}
