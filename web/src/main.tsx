import './styles.css';
import { render } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from './i18n';
import { type Route, useRoute } from './router';
import { startTelemetry } from './telemetry';
import { Login, Register } from './views/auth';
import { CartView } from './views/cart';
import { Catalogue } from './views/catalogue';
import { Checkout } from './views/checkout';
import { BusyBanner, Page } from './views/common';
import { DemoPanel } from './views/demo-panel';
import { Header } from './views/header';
import { OrderView } from './views/order';
import { Orders } from './views/orders';
import { ProductView } from './views/product';

function View({ route }: { route: Route }) {
  const [first, second] = route.segments;
  if (first === undefined) return <Catalogue />;
  if (second !== undefined) {
    if (first === 'categoria') return <Catalogue category={second} />;
    if (first === 'produto') return <ProductView id={second} />;
    if (first === 'pedido') return <OrderView id={second} />;
  } else {
    if (first === 'cadastro') return <Register />;
    if (first === 'entrar') return <Login />;
    if (first === 'carrinho') return <CartView />;
    if (first === 'finalizar') return <Checkout />;
    if (first === 'pedidos') return <Orders />;
  }
  return <NotFound />;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <Page title={t('notFound')}>
      <a href="#/">{t('backToShop')}</a>
    </Page>
  );
}

function App() {
  const { t } = useI18n();
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  const path = route.href;
  const shown = useRef(path);
  // A new page moves the focus to its content, as following a link to a new document would.
  useEffect(() => {
    if (shown.current === path) return;
    shown.current = path;
    main.current?.focus();
    window.scrollTo(0, 0);
  }, [path]);

  return (
    <>
      <button type="button" class="skip-link" onClick={() => main.current?.focus()}>
        {t('skipToContent')}
      </button>
      <Header />
      <BusyBanner />
      <main id="conteudo" ref={main} tabIndex={-1}>
        <View route={route} />
      </main>
      <DemoPanel />
    </>
  );
}

startTelemetry();
const root = document.getElementById('app');
if (root) render(<App />, root);
