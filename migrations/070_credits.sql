-- 070_credits.sql
-- Rewards and credits (SPEC §5, §6, the internal events endpoint): the ledger made append-only
-- by the database, a balance row per user kept by the database from the ledger, the monthly cap
-- as a counter row, the reward an invite earned on its first booking, the events already
-- answered (idempotency), and the growth team's audited decisions.
-- 016's tables, columns, defaults, constraints and indexes stay exactly as they are; this file
-- only adds (and widens 060's fraud-flag list by one rule).

-- --- the ledger: append-only, whoever asks -------------------------------------------------
-- Amounts are positive; the kind gives the sign (webapp/credits/rules.py): an award adds, a
-- clawback and a redeem take away.
alter table credit_ledger
  add constraint credit_ledger_amount_positive check (amount_cents > 0),
  add constraint credit_ledger_reason_len check (char_length(reason) between 1 and 500);

create or replace function refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % refused', tg_table_name, tg_op
    using errcode = 'insufficient_privilege',
          hint = 'Correct an entry with a new one (an award or a clawback with a reason).';
end $$;

create trigger credit_ledger_append_only before update or delete on credit_ledger
  for each row execute function refuse_change();
create trigger credit_ledger_no_truncate before truncate on credit_ledger
  for each statement execute function refuse_change();

-- An award is clawed back at most once: each clawback of an award points at it (related_id).
create unique index if not exists uq_credit_clawback_of_award on credit_ledger (related_id)
  where kind = 'clawback' and related_id like 'crl\_%';
-- Keyset paging of a user's history, newest first (core/keyset.py: created_at, then id).
create index if not exists idx_credit_user_recent on credit_ledger (user_id, created_at desc, entry_id desc);

-- --- the balance: kept by the database from every entry -------------------------------------
-- balance_cents is what can be spent (never below zero: the CHECK refuses a redeem that would
-- overdraw, whatever the caller computed); owed_cents is a clawback's shortfall, paid off by the
-- next awards first. balance_cents - owed_cents = the sum of the user's signed entries, always:
-- the trigger below is the only writer.
create table if not exists credit_balance (
  user_id text primary key,
  balance_cents int not null default 0 check (balance_cents >= 0),
  owed_cents int not null default 0 check (owed_cents >= 0),
  updated_at timestamptz not null default now(),
  constraint credit_balance_one_side check (balance_cents = 0 or owed_cents = 0)
);

create or replace function credit_balance_apply() returns trigger language plpgsql as $$
begin
  -- Two statements, not one upsert: PostgreSQL checks an upsert's proposed row against the CHECKs
  -- before it finds the conflict, so a redeem's negative start would be refused even for a user
  -- with money; the UPDATE holds the row's lock and its CHECK judges the real result.
  insert into credit_balance (user_id, updated_at) values (new.user_id, new.created_at)
  on conflict (user_id) do nothing;
  update credit_balance b set
    balance_cents = case new.kind
                      when 'award' then b.balance_cents + greatest(new.amount_cents - b.owed_cents, 0)
                      when 'clawback' then greatest(b.balance_cents - new.amount_cents, 0)
                      else b.balance_cents - new.amount_cents end,
    owed_cents = case new.kind
                   when 'award' then greatest(b.owed_cents - new.amount_cents, 0)
                   when 'clawback' then b.owed_cents + greatest(new.amount_cents - b.balance_cents, 0)
                   else b.owed_cents end,
    updated_at = greatest(b.updated_at, new.created_at)
  where b.user_id = new.user_id;
  return null;
end $$;

create trigger credit_ledger_balance after insert on credit_ledger
  for each row execute function credit_balance_apply();

-- Entries written before this migration (none outside demo data) are counted once, in order.
insert into credit_balance (user_id, balance_cents, owed_cents, updated_at)
select user_id, greatest(net, 0), greatest(-net, 0), last_at
  from (select user_id, max(created_at) as last_at,
               sum(case kind when 'award' then amount_cents else -amount_cents end) as net
          from credit_ledger group by user_id) s
on conflict (user_id) do nothing;

-- --- the monthly cap: a counter row per inviter, program and month (UTC) ----------------------
-- A reward takes a slot with one atomic upsert that adds 1 only while used < the program's cap
-- (webapp/credits/queries.take_cap_slot); the CHECK stands behind it. `cap` is the program's
-- monthly_cap when the last slot was taken.
create table if not exists referral_cap_use (
  inviter_user_id text not null,
  program_id text not null references referral_program(program_id),
  month date not null check (extract(day from month) = 1),
  used int not null check (used >= 1),
  cap int not null,
  constraint referral_cap_use_within check (used <= cap),
  primary key (inviter_user_id, program_id, month)
);

-- --- the reward an invite earned: its first qualifying booking ------------------------------
-- One row per invite, at most (the key): a second booking of the same invitee earns nothing.
-- Both entries it paid are named, so a refund claws back exactly those.
alter table referral_invite drop constraint referral_invite_flags;
alter table referral_invite add constraint referral_invite_flags check (
  fraud_flags <@ array['self_referral', 'signup_burst', 'disposable_email', 'collusion']);

create table if not exists referral_reward (
  invite_id text primary key references referral_invite(invite_id),
  booking_id text not null,
  event_id text not null,                      -- the booking.completed event that brought it
  buyer_fee_cents int not null check (buyer_fee_cents >= 0),
  inviter_cents int not null check (inviter_cents >= 0),   -- the program's reward for this booking
  invitee_cents int not null check (invitee_cents >= 0),   -- the invitee's welcome credit (double-sided)
  earned_at timestamptz not null,              -- the booking's occurred_at: its month is the cap's
  inviter_entry_id text references credit_ledger(entry_id),
  invitee_entry_id text references credit_ledger(entry_id),
  refunded_at timestamptz,
  created_at timestamptz not null default now()
);
create index if not exists idx_referral_reward_booking on referral_reward (booking_id);

-- --- the events already answered ------------------------------------------------------------
-- The event's id is its idempotency key: the first answer is kept byte for byte and returned
-- to every repeat. Written in the same transaction as the event's effects.
create table if not exists internal_event (
  event_id text primary key check (char_length(event_id) between 1 and 200),
  type text not null,
  body_sha256 text not null,                   -- of the raw body: a repeat with other content is logged
  status int not null,
  answer text not null,
  received_at timestamptz not null default now()
);

-- --- the growth team's decisions: who, when, why ---------------------------------------------
create table if not exists growth_decision (
  decision_id text primary key,                -- gdc_...
  actor_user_id text not null,                 -- no foreign key: the record outlives any account
  action text not null check (action in ('approve', 'reject', 'award', 'clawback')),
  subject_user_id text not null,               -- whose credits or invite it concerns
  invite_id text references referral_invite(invite_id),
  entry_id text references credit_ledger(entry_id),  -- the ledger entry it wrote, if any
  amount_cents int check (amount_cents > 0),
  reason text not null check (char_length(reason) between 1 and 500),
  created_at timestamptz not null default now()
);
create index if not exists idx_growth_decision_subject on growth_decision (subject_user_id, created_at desc);
create index if not exists idx_growth_decision_invite on growth_decision (invite_id) where invite_id is not null;
create trigger growth_decision_append_only before update or delete on growth_decision
  for each row execute function refuse_change();
create trigger growth_decision_no_truncate before truncate on growth_decision
  for each statement execute function refuse_change();

-- The review queue: held invites, oldest first.
create index if not exists idx_rfi_held on referral_invite (accepted_at, invite_id) where status = 'held';
