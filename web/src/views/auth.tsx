import { useState } from 'preact/hooks';
import { ApiError, api, type Token } from '../api';
import { type Key, useI18n } from '../i18n';
import { navigate, useRoute } from '../router';
import { logIn } from '../session';
import { traced } from '../telemetry';
import { ErrorMessage, Page } from './common';

type Values = Record<string, string>;

interface FieldSpec {
  name: string;
  label: Key;
  type: 'email' | 'password' | 'text';
  autocomplete: string;
  hint?: Key;
}

const registerFields: FieldSpec[] = [
  { name: 'name', label: 'name', type: 'text', autocomplete: 'name' },
  { name: 'email', label: 'email', type: 'email', autocomplete: 'email' },
  { name: 'password', label: 'password', type: 'password', autocomplete: 'new-password', hint: 'passwordHint' },
];
const loginFields: FieldSpec[] = [
  { name: 'email', label: 'email', type: 'email', autocomplete: 'username' },
  { name: 'password', label: 'password', type: 'password', autocomplete: 'current-password' },
];

/** `#/cadastro`: creates the account, then logs in with it. */
export function Register() {
  const { t } = useI18n();
  return (
    <Page title={t('registerTitle')}>
      <AuthForm
        id="register"
        fields={registerFields}
        submit={t('registerSubmit')}
        send={(values) =>
          traced('register', async () => {
            await api('/auth/register', { method: 'POST', body: values });
            return api<Token>('/auth/login', {
              method: 'POST',
              body: { email: values.email, password: values.password },
            });
          })
        }
      />
      <p>
        {t('haveAccount')} <a href="#/entrar">{t('logIn')}</a>
      </p>
    </Page>
  );
}

/** `#/entrar?volta=<path>`: logs in, then goes back to where the person was sent from. */
export function Login() {
  const { t } = useI18n();
  const route = useRoute();
  return (
    <Page title={t('loginTitle')}>
      <AuthForm
        id="login"
        fields={loginFields}
        submit={t('loginSubmit')}
        send={(values) => traced('log in', () => api<Token>('/auth/login', { method: 'POST', body: values }))}
      />
      <p>
        {t('noAccount')} <a href={`#/cadastro${route.query.size ? `?${route.query}` : ''}`}>{t('register')}</a>
      </p>
    </Page>
  );
}

interface AuthFormProps {
  id: 'register' | 'login';
  fields: FieldSpec[];
  submit: string;
  send: (values: Values) => Promise<Token>;
}

/** What went wrong: messages by field, and a message or an error for the whole form. */
interface Failure {
  fields: Record<string, string>;
  message?: string;
  error?: unknown;
}

function AuthForm({ id, fields, submit, send }: AuthFormProps) {
  const { t } = useI18n();
  const route = useRoute();
  const [values, setValues] = useState<Values>({});
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<Failure>({ fields: {} });

  async function onSubmit(event: Event) {
    event.preventDefault();
    setSending(true);
    setFailure({ fields: {} });
    try {
      const token = await send(Object.fromEntries(fields.map((field) => [field.name, values[field.name] ?? ''])));
      logIn(token.accessToken);
      const back = route.query.get('volta');
      navigate(back?.startsWith('/') ? back : '/', { replace: true });
    } catch (error) {
      setSending(false);
      setFailure(describe(error));
    }
  }

  /** Field errors go next to their fields; what names no field shown above the form. */
  function describe(error: unknown): Failure {
    if (!(error instanceof ApiError)) return { fields: {}, error };
    if (id === 'register' && error.status === 409) return { fields: { email: t('emailTaken') } };
    if (id === 'login' && error.status === 401) return { fields: {}, message: t('wrongLogin') };
    const named = Object.fromEntries(
      fields.flatMap((field) => {
        const message = error.fields[field.name];
        return message ? [[field.name, message]] : [];
      }),
    );
    return { fields: named, error: Object.keys(named).length > 0 ? undefined : error };
  }

  return (
    <form class="form" noValidate onSubmit={onSubmit} data-testid={`${id}-form`}>
      {failure.message ? (
        <p class="notice notice-error" role="alert" data-testid="error">
          {failure.message}
        </p>
      ) : (
        <ErrorMessage error={failure.error} />
      )}
      {fields.map((field) => {
        const inputId = `${id}-${field.name}`;
        const error = failure.fields[field.name];
        const described = [field.hint && `${inputId}-hint`, error && `${inputId}-error`].filter(Boolean).join(' ');
        const input = {
          id: inputId,
          name: field.name,
          autocomplete: field.autocomplete,
          required: true,
          value: values[field.name] ?? '',
          'aria-invalid': error ? ('true' as const) : undefined,
          'aria-describedby': described || undefined,
          'data-testid': inputId,
          onInput: (event: { currentTarget: HTMLInputElement }) => {
            const value = event.currentTarget.value;
            setValues((previous) => ({ ...previous, [field.name]: value }));
          },
        };
        return (
          <p class="field" key={field.name}>
            <label for={inputId}>{t(field.label)}</label>
            {field.type === 'password' ? (
              <input type="password" {...input} />
            ) : field.type === 'email' ? (
              <input type="email" {...input} />
            ) : (
              <input type="text" {...input} />
            )}
            {field.hint && (
              <span class="hint" id={`${inputId}-hint`}>
                {t(field.hint)}
              </span>
            )}
            {error && (
              <span class="field-error" id={`${inputId}-error`} data-testid={`${inputId}-error`}>
                {error}
              </span>
            )}
          </p>
        );
      })}
      <button type="submit" disabled={sending} data-testid={`${id}-submit`}>
        {sending ? t('sending') : submit}
      </button>
    </form>
  );
}
