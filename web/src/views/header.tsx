import { cart, itemCount } from '../cart';
import { categories } from '../catalog';
import { type Lang, setLang, useI18n } from '../i18n';
import { navigate, useRoute } from '../router';
import { logOut, session } from '../session';
import { useStore } from '../store';
import { CartIcon, CupcakeLogo } from './icons';

export function Header() {
  const { t, lang } = useI18n();
  const route = useRoute();
  const token = useStore(session);
  const count = itemCount(useStore(cart));
  const list = useStore(categories);
  const here = route.segments.join('/');
  const current = (path: string) => (here === path ? 'page' : undefined);

  return (
    <header class="site-header">
      <div class="bar">
        <a class="brand" href="#/" data-testid="brand">
          <CupcakeLogo /> Confeitaria
        </a>
        <nav class="account" aria-label={t('account')}>
          <a
            href="#/carrinho"
            class="cart-link"
            aria-label={t('cartCount', { n: count })}
            aria-current={current('carrinho')}
            data-testid="cart-link"
          >
            <CartIcon />
            {t('cart')}
            <span class="count" data-testid="cart-count">
              {count}
            </span>
          </a>
          {token ? (
            <>
              <a href="#/pedidos" aria-current={current('pedidos')} data-testid="my-orders-link">
                {t('myOrders')}
              </a>
              <button
                type="button"
                class="link-button"
                data-testid="logout"
                onClick={() => {
                  logOut();
                  navigate('/');
                }}
              >
                {t('logOut')}
              </button>
            </>
          ) : (
            <>
              <a href="#/entrar" aria-current={current('entrar')} data-testid="login-link">
                {t('logIn')}
              </a>
              <a href="#/cadastro" aria-current={current('cadastro')} data-testid="register-link">
                {t('register')}
              </a>
            </>
          )}
          <label class="lang">
            <span class="visually-hidden">{t('language')}</span>
            <select
              value={lang}
              data-testid="language-switch"
              onChange={(event) => setLang(event.currentTarget.value as Lang)}
            >
              <option value="pt-BR" lang="pt-BR">
                Português
              </option>
              <option value="en" lang="en">
                English
              </option>
            </select>
          </label>
        </nav>
      </div>
      {list.length > 0 && (
        <nav class="categories" aria-label={t('categories')}>
          <ul>
            <li>
              <a href="#/" aria-current={current('')} data-testid="nav-category-all">
                {t('allCategories')}
              </a>
            </li>
            {list.map((category) => (
              <li key={category.id}>
                <a
                  href={`#/categoria/${category.slug}`}
                  aria-current={current(`categoria/${category.slug}`)}
                  data-testid={`nav-category-${category.slug}`}
                >
                  {category.name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </header>
  );
}
