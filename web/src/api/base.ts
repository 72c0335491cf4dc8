/**
 * Root URL of the web app. The bundle lives in `<root>/assets/`, so the root is one level up from
 * the bundle; this keeps API calls right even when the SPA is opened on a deep path. Under the
 * dev server (`npx vite web`) modules are served from their source paths, this one from
 * `<root>/src/api/`, hence two levels.
 */
const APP_BASE = new URL(/* @vite-ignore */ import.meta.env.DEV ? '../../' : '../', import.meta.url);

export function appUrl(path: string): URL {
  return new URL(path.replace(/^\//, ''), APP_BASE);
}
