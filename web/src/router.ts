import { useEffect } from 'preact/hooks';
import { createStore, useStore } from './store';

/** A parsed `#/path?query` location. */
export interface Route {
  /** The path segments, e.g. `['produto', '12']`; `[]` for the home page. */
  segments: string[];
  query: URLSearchParams;
  /** The whole hash without `#`, e.g. `/produto/12`: where to come back to after logging in. */
  href: string;
}

function parse(hash: string): Route {
  const href = hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = href.split('?', 2);
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { segments, query: new URLSearchParams(search), href };
}

const routeStore = createStore(parse(location.hash));
window.addEventListener('hashchange', () => routeStore.set(parse(location.hash)));

export function useRoute(): Route {
  return useStore(routeStore);
}

export function currentRoute(): Route {
  return routeStore.get();
}

/** Goes to a `/path`; with `replace`, the current history entry is overwritten (redirects). */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) {
    history.replaceState(null, '', `#${path}`);
    routeStore.set(parse(location.hash));
  } else {
    location.hash = path;
  }
}

export function loginPath(back: string): string {
  return `/entrar?volta=${encodeURIComponent(back)}`;
}

/** Sets the document title for the page being shown. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Confeitaria`;
  }, [title]);
}
