import { render } from 'preact';
import './styles.css';
import { Root } from './app/Root';
import { boot } from './features/session/sessionState';
import { installPerf } from './perf';
import { Toasts } from './ui/toasts';

installPerf();
render(<Toasts />, document.getElementById('alerts')!);
const root = document.getElementById('app')!;
// A stored session goes straight to the map; "Loading dronetrack…" stays until then.
void boot().finally(() => {
  root.replaceChildren();
  render(<Root />, root);
});
