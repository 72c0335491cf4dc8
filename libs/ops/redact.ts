/** Query parameters whose values are credentials and must never reach a log line. */
const SECRET_PARAMS = /([?&](?:access_token|token|key)=)[^&#]*/gi;

/** The URL with secret query values replaced by "[redacted]". */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}
