-- 050_sessions_and_login_throttle.sql
-- Sessions that end, and failed log-ins counted per account.
--
-- Sessions. The session cookie carries a session id (ses_...); every
-- signed-in request reads the account through its live row here (one statement,
-- accounts/queries.py), so a row that is revoked, expired or gone refuses every
-- copy of that cookie at once, in every worker and on every host.
--
-- Log-out revokes the row; a password change revokes all the user's rows and
-- starts a new one for the browser that changed it; "sign out everywhere"
-- revokes all. Ended rows of a user are deleted when that user next logs in.

create table if not exists user_session (
  session_id text primary key,                                           -- ses_...
  user_id text not null references app_user(user_id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,                                       -- created_at + the session lifetime
  revoked_at timestamptz,                                                -- log-out, password change, sign out everywhere
  constraint user_session_expires_after_start check (expires_at > created_at)
);
-- Revoking all of a user's sessions, and pruning their ended ones at log-in.
create index if not exists idx_user_session_user on user_session (user_id);

-- Failed log-ins per account, so a limit holds however many workers and hosts
-- share the load, with or without the rate-limit store (Redis). Keyed by the
-- keyed hash of the lower-cased e-mail (core/security.py keyed_hash), so an
-- e-mail with no account is counted the same way and the answer never tells
-- whether an account exists; no plain e-mail is stored.
create table if not exists login_throttle (
  email_hash text primary key,
  failures int not null check (failures > 0),
  window_started_at timestamptz not null,                                -- the first failure of this count
  locked_until timestamptz                                               -- no log-in (any password) until then
);
