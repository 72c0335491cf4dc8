/** Emails are unique on the platform regardless of case; this is the form both adapters index. */
export function emailKey(email: string): string {
  return email.toLowerCase();
}
