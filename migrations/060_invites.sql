-- 060_invites.sql
-- Invites made real: programs as the growth team runs them, a personal code per user and
-- program, invites with a status and their fraud flags, and the traces of where an account
-- signed in from (the self-referral rule compares an invitee's device and IP with them).
-- 016's tables, columns, defaults, constraints and indexes stay exactly as they are; this
-- file only adds.

-- --- programs ------------------------------------------------------------------------------
alter table referral_program
  add column if not exists name text not null default '',                 -- what the growth team calls it
  add column if not exists inviter_roles text[] not null default '{member,provider}',
  add column if not exists invitee_fixed_cents int not null default 0,    -- the welcome credit of a double-sided offer
  add column if not exists version int not null default 1,                -- +1 on every edit: share cards are cached by it
  add column if not exists updated_at timestamptz not null default now();

alter table referral_program
  add constraint referral_program_name_len check (char_length(name) <= 80),
  add constraint referral_program_bips_range check (reward_bips between 0 and 10000),
  add constraint referral_program_fixed_nonneg check (reward_fixed_cents >= 0),
  add constraint referral_program_invitee_nonneg check (invitee_fixed_cents >= 0),
  add constraint referral_program_cap_nonneg check (monthly_cap >= 0),
  add constraint referral_program_some_reward check (reward_bips > 0 or reward_fixed_cents > 0),
  add constraint referral_program_scope check (credit_scope = 'buyer_fee_only'),
  add constraint referral_program_roles check (
    cardinality(inviter_roles) >= 1 and inviter_roles <@ array['member', 'provider']);

-- --- personal codes: /r/<code> -------------------------------------------------------------
-- Random, never derived from the user id: 10 characters of an alphabet without look-alikes
-- (no 0/o, 1/l/i), lower case so a code read aloud or typed in capitals still works.
create table if not exists referral_code (
  code text primary key,
  user_id text not null references app_user(user_id) on delete cascade,
  program_id text not null references referral_program(program_id),
  created_at timestamptz not null default now(),
  constraint referral_code_shape check (code ~ '^[23456789abcdefghjkmnpqrstuvwxyz]{10}$'),
  constraint uq_referral_code_user_program unique (user_id, program_id)
);

-- --- invites --------------------------------------------------------------------------------
alter table referral_invite
  add column if not exists status text not null default 'sent',
  add column if not exists fraud_flags text[] not null default '{}';
update referral_invite set status = 'signed_up' where accepted_at is not null and status = 'sent';
alter table referral_invite
  add constraint referral_invite_status check (
    status in ('sent', 'signed_up', 'held', 'rewarded', 'capped', 'rejected', 'clawed_back')),
  add constraint referral_invite_flags check (
    fraud_flags <@ array['self_referral', 'signup_burst', 'disposable_email']),
  add constraint referral_invite_accepted check ((invitee_user_id is null) = (accepted_at is null));

-- One account is attributed once, whatever races.
create unique index if not exists uq_rfi_invitee on referral_invite (invitee_user_id)
  where invitee_user_id is not null;
-- An inviter's history, newest first, paged by (created_at, invite_id) (core/keyset.py).
create index if not exists idx_rfi_inviter_recent on referral_invite (inviter_user_id, created_at desc, invite_id desc);
-- A program's invites for the growth team, the same order.
create index if not exists idx_rfi_program_recent on referral_invite (program_id, created_at desc, invite_id desc);
-- The burst rule: sign-ups from one IP hash or one device in the last 24 hours.
create index if not exists idx_rfi_ip_accepted on referral_invite (ip_addr_sha, accepted_at)
  where accepted_at is not null;
create index if not exists idx_rfi_device_accepted on referral_invite (device_fp, accepted_at)
  where accepted_at is not null;

-- --- where accounts sign in from ------------------------------------------------------------
-- One row per account and IP hash (keyed, core/security.py) or device id (a random id in a
-- first-party cookie), touched at sign-up and log-in: the self-referral rule asks whether an
-- invitee arrives from a device or IP its inviter used.
create table if not exists sign_in_trace (
  user_id text not null references app_user(user_id) on delete cascade,
  kind text not null check (kind in ('ip', 'device')),
  value text not null,                                                      -- ip: keyed hash; device: the id
  last_seen_at timestamptz not null default now(),
  primary key (user_id, kind, value)
);
create index if not exists idx_sign_in_trace_value on sign_in_trace (kind, value);
