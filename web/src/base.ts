/**
 * Root URL of the web app. The bundle lives in `<root>/assets/`, so the root is one level up from
 * this module; this keeps API calls right even when the SPA is opened on a deep path.
 */
export const APP_BASE = new URL(/* @vite-ignore */ '../', import.meta.url);

export function appUrl(path: string): URL {
  return new URL(path.replace(/^\//, ''), APP_BASE);
}
