import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, busyUntil, isAbort, LoginRequired } from '../api';
import { useI18n } from '../i18n';
import { usePageTitle } from '../router';
import { useStore } from '../store';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  reload: () => void;
}

/**
 * Runs `load` when the inputs change (aborting the previous run) and keeps its result or error. A result
 * belongs to the inputs it was loaded for: in the render where the inputs have just changed (before the
 * effect starts the new load) nothing is shown, so a page never shows the previous category's or
 * product's data under the new heading, not even for a frame, and nothing can be clicked on it.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, inputs: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ key?: string; data?: T; error?: unknown }>({});
  const [round, setRound] = useState(0);
  const key = JSON.stringify([...inputs, round]);
  // The caller names what `load` depends on, as `inputs`.
  useEffect(() => {
    const controller = new AbortController();
    setState({});
    load(controller.signal).then(
      (data) => setState({ key, data }),
      (error: unknown) => {
        if (!isAbort(error)) setState({ key, error });
      },
    );
    return () => controller.abort();
  }, [key]);
  const current = state.key === key ? state : {};
  return { data: current.data, error: current.error, reload: () => setRound((value) => value + 1) };
}

/** A failure as a person reads it: the problem's title and detail, or "could not reach the shop". */
export function ErrorMessage({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useI18n();
  if (error === undefined || error instanceof LoginRequired || isAbort(error)) return null;
  const problem = error instanceof ApiError ? error : undefined;
  return (
    <div class="notice notice-error" role="alert" data-testid="error">
      {problem?.retryAfter !== undefined ? (
        <p>{t('busyLater', { n: problem.retryAfter })}</p>
      ) : problem && problem.status !== 0 ? (
        <p>
          <strong>{problem.title}</strong>
          {problem.detail && ` — ${problem.detail}`}
        </p>
      ) : (
        <p>{t('unreachable')}</p>
      )}
      {retry && (
        <button type="button" class="button-secondary" onClick={retry}>
          {t('tryAgain')}
        </button>
      )}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="muted" role="status">
      {t('loading')}
    </p>
  );
}

/** "The shop is busy, trying again in N s", counting down while a request waits out a Retry-After. */
export function BusyBanner() {
  const { t } = useI18n();
  const until = useStore(busyUntil);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (until === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [until]);
  const seconds = until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
  return (
    <div class="busy" role="status" aria-live="polite" data-testid="busy-banner">
      {until !== null && <p class="notice notice-busy">{t('busy', { n: seconds })}</p>}
    </div>
  );
}

/** A page of the shop: its heading, which also becomes the document title. */
export function Page({ title, children }: { title: string; children: ComponentChildren }) {
  usePageTitle(title);
  return (
    <section class="page">
      <h1>{title}</h1>
      {children}
    </section>
  );
}
