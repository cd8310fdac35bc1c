/** The authenticated (possibly impersonated) user of a request, kept on the request itself. */
import type { IncomingMessage } from 'node:http';
import { ANONYMOUS, type UserInfo } from './user.js';

const USER = Symbol('knet.user');
type WithUser = IncomingMessage & { [USER]?: UserInfo };

/** Records who a request acts as. */
export function setRequestUser(req: IncomingMessage, user: UserInfo): void {
  (req as WithUser)[USER] = user;
}

/** Who a request acts as (anonymous when nobody recorded it). */
export function requestUser(req: IncomingMessage): UserInfo {
  return (req as WithUser)[USER] ?? ANONYMOUS;
}
