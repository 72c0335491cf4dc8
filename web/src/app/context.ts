import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { LiveApp } from './liveApp';

export const AppContext = createContext<LiveApp | null>(null);

/** The signed-in application's models (inside <App>). */
export function useApp(): LiveApp {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp() outside <App>');
  return app;
}
