/** What a user may do: admins manage every account, members their own. */
export type Role = 'admin' | 'member';

/** The signed-in user a request acts for, and the session that carries them. */
export interface Actor {
  id: number;
  name: string;
  surname: string;
  email: string;
  role: Role;
  createdAt: number;
  /** Signed in with a temporary password: only changing it (and signing out) is allowed. */
  mustChangePassword: boolean;
  sessionId: number;
}

/**
 * The credentials a request presented, not yet checked. `actor()` checks them once
 * (401 when the session is missing, expired or revoked) and gives every later call the
 * same answer. The auth feature makes these; the router checks one before it answers.
 */
export interface Caller {
  actor(): Promise<Actor>;
}
