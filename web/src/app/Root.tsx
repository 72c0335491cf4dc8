import { LoginForm } from '../features/session/LoginForm';
import { loginMessage, signedIn } from '../features/session/sessionState';
import { DialogHost } from '../ui/dialogs';
import { App } from './App';

/** Signed in: the application; else the sign-in form. Dialogs open above either. */
export function Root() {
  const s = signedIn.value;
  return (
    <>
      {s ? <App key={s.session.token} signedIn={s} /> : <LoginForm message={loginMessage.value} />}
      <DialogHost />
    </>
  );
}
