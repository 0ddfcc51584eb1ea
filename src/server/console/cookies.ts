// The console's session cookie: HttpOnly (no script reads it), Secure, SameSite=Strict (no other site's page sends
// it), Path=/, no Max-Age (it ends with the browser; the server ends it sooner on idle or log out).
import type { IncomingMessage } from 'node:http';

export const COOKIE = 'vic-console-session';

export function cookieOf(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === COOKIE) return part.slice(i + 1).trim() || undefined;
  }
  return undefined;
}

export const setCookie = (id: string): string => `${COOKIE}=${id}; Path=/; HttpOnly; Secure; SameSite=Strict`;
export const clearCookie = (): string => `${COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`;
