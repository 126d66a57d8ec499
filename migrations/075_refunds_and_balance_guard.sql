-- 075_refunds_and_balance_guard.sql
-- Two guards found by review (docs/decisions.md, "Credits — the rules of money"):
--  * a refund is remembered per booking, so one that arrives before (or with) its booking.completed
--    still stops the booking from paying; both events serialise on the booking (an advisory lock
--    taken by webapp/credits/service.py) and the later one sees the earlier;
--  * credit_balance is written by the ledger's trigger alone: anything else that tries (the app's
--    own role included) is refused, so the CHECK that stops an overdraft cannot be sidestepped.

create table if not exists booking_refund (
  booking_id text primary key,
  event_id text,                               -- the booking.refunded event that reported it
  refunded_at timestamptz not null default now()
);

create or replace function credit_balance_by_ledger_only() returns trigger language plpgsql as $$
begin
  -- depth 1: a statement of a client; depth 2: credit_balance_apply, run by a ledger insert
  if pg_trigger_depth() < 2 then
    raise exception 'credit_balance is kept by the ledger: % refused', tg_op
      using errcode = 'insufficient_privilege',
            hint = 'Write a credit_ledger entry; its trigger moves the balance.';
  end if;
  return case tg_op when 'DELETE' then old else new end;
end $$;

create trigger credit_balance_by_ledger_only before insert or update or delete on credit_balance
  for each row execute function credit_balance_by_ledger_only();
