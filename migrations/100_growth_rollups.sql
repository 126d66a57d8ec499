-- 100_growth_rollups.sql
-- The growth dashboard's daily rollups (issue 14; docs/decisions.md, "Growth dashboard — what the
-- numbers mean"), kept by the writers in their own transaction.
--
-- Every fact row contributes a few counter rows to a rollup, computed by one SQL function per fact
-- (growth_of_invite, growth_of_reward, growth_of_entry, activity_of_alert, activity_of_follow,
-- activity_of_post). A statement trigger on each fact table adds the contribution of the rows a
-- statement wrote and takes away that of the rows it replaced or deleted, so the rollups are always
-- the sum of the contributions of the facts as they stand: growth_rollups_rebuild() computes that
-- sum from scratch, and the two agree by construction (tests/reporting/test_rollups.py).
--
-- The deltas are not applied to the rollups at once. They are queued in a pending table and
-- applied when the transaction commits, by a deferred trigger, in one statement per rollup in key
-- order: a rollup row (today × a program × a source × a city) is touched by many writers, and
-- taking its lock only at commit, always in the same order, keeps writers from waiting on each
-- other for long and from deadlocking on rollup rows (the credits path locks invites and balances
-- first; rollup rows always last, sorted).
--
-- 016's tables, columns, defaults, constraints and indexes stay exactly as they are; this file
-- only adds: the inviter's city on an invite and the search's city on an alert, as they were when
-- the row was written (the city the dashboard counts it in, which a later move does not rewrite).

-- --- the cities, as they were ------------------------------------------------------------------
alter table referral_invite add column if not exists inviter_city text;
alter table saved_search_alert add column if not exists city text;

update referral_invite i set inviter_city = coalesce(u.city, '')
  from app_user u where u.user_id = i.inviter_user_id and i.inviter_city is null;
update referral_invite set inviter_city = '' where inviter_city is null;
update saved_search_alert a set city = coalesce(s.city, '')
  from saved_search s where s.search_id = a.search_id and a.city is null;

create or replace function referral_invite_inviter_city() returns trigger language plpgsql as $$
begin
  if new.inviter_city is null then
    new.inviter_city := coalesce((select u.city from app_user u where u.user_id = new.inviter_user_id), '');
  end if;
  return new;
end $$;
create trigger referral_invite_inviter_city before insert on referral_invite
  for each row execute function referral_invite_inviter_city();

create or replace function saved_search_alert_city() returns trigger language plpgsql as $$
begin
  if new.city is null then
    new.city := coalesce((select s.city from saved_search s where s.search_id = new.search_id), '');
  end if;
  return new;
end $$;
create trigger saved_search_alert_city before insert on saved_search_alert
  for each row execute function saved_search_alert_city();

-- --- the rollups ---------------------------------------------------------------------------------
-- A missing program, source or city is '' (never null: it is part of the key). Days are UTC.
create table if not exists growth_daily (
  day date not null,
  program_id text not null,
  source text not null,
  city text not null,
  invites int not null default 0,            -- invites created (created_at)
  signups int not null default 0,            -- invites accepted (accepted_at)
  signups_rewarded int not null default 0,   -- of those sign-ups, rewarded by now: on the sign-up's day (a cohort)
  rewarded int not null default 0,           -- rewards that paid the inviter, on the reward's earned_at
  held int not null default 0,               -- sign-ups a fraud rule flagged, on the sign-up's day
  cap_hits int not null default 0,           -- rewards over the inviter's monthly cap, on the reward's earned_at
  awarded_cents bigint not null default 0,   -- ledger amounts by kind, on the entry's day
  clawed_back_cents bigint not null default 0,
  redeemed_cents bigint not null default 0,
  primary key (day, program_id, source, city)
);

-- Follows have no city: theirs is ''.
create table if not exists activity_daily (
  day date not null,
  city text not null,
  alerts int not null default 0,             -- saved-search alerts recorded for that day (alert_dt)
  alerts_emailed int not null default 0,
  alerts_inapp int not null default 0,
  follows int not null default 0,            -- follows standing, on the day they were made
  posts_published int not null default 0,    -- published posts, on their day in the feed (created_at)
  primary key (day, city)
);

-- One transaction's deltas until it commits (then moved into the rollups and deleted): never
-- holds a committed row, so it need not survive a crash.
create unlogged table if not exists growth_daily_pending (
  xact bigint not null default txid_current(),
  like growth_daily including defaults
);
create index if not exists idx_growth_daily_pending on growth_daily_pending (xact);
create unlogged table if not exists activity_daily_pending (
  xact bigint not null default txid_current(),
  like activity_daily including defaults
);
create index if not exists idx_activity_daily_pending on activity_daily_pending (xact);

-- --- what each fact contributes -------------------------------------------------------------------
-- An invite on its own: created, accepted, flagged.
create or replace function growth_of_invite(i referral_invite) returns setof growth_daily
language sql stable as $$
  select (i.created_at at time zone 'UTC')::date, i.program_id, coalesce(i.source, ''), coalesce(i.inviter_city, ''),
         1, 0, 0, 0, 0, 0, 0::bigint, 0::bigint, 0::bigint
  union all
  select (i.accepted_at at time zone 'UTC')::date, i.program_id, coalesce(i.source, ''), coalesce(i.inviter_city, ''),
         0, 1, 0, 0, (cardinality(i.fraud_flags) > 0)::int, 0, 0, 0, 0
   where i.accepted_at is not null
$$;

-- An invite and its reward together (either may change last): paid the inviter, over the cap.
create or replace function growth_of_invite_reward(i referral_invite, r referral_reward) returns setof growth_daily
language sql stable as $$
  select (r.earned_at at time zone 'UTC')::date, i.program_id, coalesce(i.source, ''), coalesce(i.inviter_city, ''),
         0, 0, 0, 1, 0, 0, 0::bigint, 0::bigint, 0::bigint
   where i.invite_id is not null and r.inviter_entry_id is not null
  union all
  select (i.accepted_at at time zone 'UTC')::date, i.program_id, coalesce(i.source, ''), coalesce(i.inviter_city, ''),
         0, 0, 1, 0, 0, 0, 0, 0, 0
   where i.invite_id is not null and r.inviter_entry_id is not null and i.accepted_at is not null
  union all
  select (r.earned_at at time zone 'UTC')::date, i.program_id, coalesce(i.source, ''), coalesce(i.inviter_city, ''),
         0, 0, 0, 0, 0, 1, 0, 0, 0
   where i.invite_id is not null and r.invite_id is not null and i.status = 'capped'
$$;

-- What a change of an invite moves: the invite's own counts and those it makes with its reward.
create or replace function growth_of_invite_with_reward(i referral_invite) returns setof growth_daily
language sql stable as $$
  select * from growth_of_invite(i)
  union all
  select c.* from referral_reward r cross join lateral growth_of_invite_reward(i, r) c where r.invite_id = i.invite_id
$$;

create or replace function growth_of_reward(r referral_reward) returns setof growth_daily
language sql stable as $$
  select c.* from referral_invite i cross join lateral growth_of_invite_reward(i, r) c where i.invite_id = r.invite_id
$$;

-- A ledger entry: its amount by kind. Program: the entry's. Source and city: those of the invite it
-- pays for (an award naming the invite; a clawback naming such an award); otherwise no source and
-- the user's city.
create or replace function growth_of_entry(l credit_ledger) returns setof growth_daily
language sql stable as $$
  select (l.created_at at time zone 'UTC')::date, coalesce(l.program_id, ''), coalesce(i.source, ''),
         case when i.invite_id is not null then coalesce(i.inviter_city, '')
              else coalesce((select u.city from app_user u where u.user_id = l.user_id), '') end,
         0, 0, 0, 0, 0, 0,
         case l.kind when 'award' then l.amount_cents else 0 end::bigint,
         case l.kind when 'clawback' then l.amount_cents else 0 end::bigint,
         case l.kind when 'redeem' then l.amount_cents else 0 end::bigint
    from (select case when l.related_id like 'rfi\_%' then l.related_id
                      when l.kind = 'clawback' and l.related_id like 'crl\_%' then
                        (select a.related_id from credit_ledger a where a.entry_id = l.related_id)
                 end as invite_id) paid
    left join referral_invite i on i.invite_id = paid.invite_id
$$;

create or replace function activity_of_alert(a saved_search_alert) returns setof activity_daily
language sql immutable as $$
  select a.alert_dt, coalesce(a.city, ''), 1, a.email_sent::int, a.inapp_created::int, 0, 0
$$;

create or replace function activity_of_follow(f follow) returns setof activity_daily
language sql immutable as $$
  select (f.created_at at time zone 'UTC')::date, '', 0, 0, 0, 1, 0
$$;

create or replace function activity_of_post(p feed_post) returns setof activity_daily
language sql immutable as $$
  select (p.created_at at time zone 'UTC')::date, coalesce(p.city, ''), 0, 0, 0, 0, 1 where p.is_published
$$;

-- --- the triggers that queue the deltas --------------------------------------------------------------
-- Static SQL throughout (PL/pgSQL keeps each statement's plan for the session): a writer's
-- transaction pays 0.6–0.9 ms for its rollups (a single-row insert and its commit, measured), about
-- half queueing, half the flush at commit.

-- A statement's contributions, added (`plus`) and taken away (`minus`), summed per key; a key whose
-- counters come to nothing (an update that changed nothing counted) queues no row.
create or replace function growth_daily_queue(plus growth_daily[], minus growth_daily[]) returns void
language plpgsql as $$
begin
  insert into growth_daily_pending (day, program_id, source, city, invites, signups, signups_rewarded, rewarded,
                                    held, cap_hits, awarded_cents, clawed_back_cents, redeemed_cents)
  select day, program_id, source, city, sum(invites * sign), sum(signups * sign), sum(signups_rewarded * sign),
         sum(rewarded * sign), sum(held * sign), sum(cap_hits * sign), sum(awarded_cents * sign),
         sum(clawed_back_cents * sign), sum(redeemed_cents * sign)
    from (select p.*, 1 as sign from unnest(plus) p union all select m.*, -1 from unnest(minus) m) d
   group by day, program_id, source, city
  having sum(invites * sign) <> 0 or sum(signups * sign) <> 0 or sum(signups_rewarded * sign) <> 0
      or sum(rewarded * sign) <> 0 or sum(held * sign) <> 0 or sum(cap_hits * sign) <> 0
      or sum(awarded_cents * sign) <> 0 or sum(clawed_back_cents * sign) <> 0 or sum(redeemed_cents * sign) <> 0;
end $$;

create or replace function activity_daily_queue(plus activity_daily[], minus activity_daily[]) returns void
language plpgsql as $$
begin
  insert into activity_daily_pending (day, city, alerts, alerts_emailed, alerts_inapp, follows, posts_published)
  select day, city, sum(alerts * sign), sum(alerts_emailed * sign), sum(alerts_inapp * sign), sum(follows * sign),
         sum(posts_published * sign)
    from (select p.*, 1 as sign from unnest(plus) p union all select m.*, -1 from unnest(minus) m) d
   group by day, city
  having sum(alerts * sign) <> 0 or sum(alerts_emailed * sign) <> 0 or sum(alerts_inapp * sign) <> 0
      or sum(follows * sign) <> 0 or sum(posts_published * sign) <> 0;
end $$;

-- One per fact table: the statement's rows are the transition tables new_rows and old_rows (each
-- named only in the branch of the operations that have it).
create or replace function referral_invite_rollup() returns trigger language plpgsql as $$
declare plus growth_daily[]; minus growth_daily[];
begin
  if tg_op <> 'DELETE' then
    plus := array(select c from new_rows n cross join lateral growth_of_invite_with_reward(n) c);
  end if;
  if tg_op <> 'INSERT' then
    minus := array(select c from old_rows o cross join lateral growth_of_invite_with_reward(o) c);
  end if;
  perform growth_daily_queue(plus, minus);
  return null;
end $$;

create or replace function referral_reward_rollup() returns trigger language plpgsql as $$
declare plus growth_daily[]; minus growth_daily[];
begin
  if tg_op <> 'DELETE' then
    plus := array(select c from new_rows n cross join lateral growth_of_reward(n) c);
  end if;
  if tg_op <> 'INSERT' then
    minus := array(select c from old_rows o cross join lateral growth_of_reward(o) c);
  end if;
  perform growth_daily_queue(plus, minus);
  return null;
end $$;

create or replace function credit_ledger_rollup() returns trigger language plpgsql as $$
begin
  perform growth_daily_queue(array(select c from new_rows n cross join lateral growth_of_entry(n) c), null);
  return null;
end $$;

create or replace function saved_search_alert_rollup() returns trigger language plpgsql as $$
declare plus activity_daily[]; minus activity_daily[];
begin
  if tg_op <> 'DELETE' then
    plus := array(select c from new_rows n cross join lateral activity_of_alert(n) c);
  end if;
  if tg_op <> 'INSERT' then
    minus := array(select c from old_rows o cross join lateral activity_of_alert(o) c);
  end if;
  perform activity_daily_queue(plus, minus);
  return null;
end $$;

create or replace function follow_rollup() returns trigger language plpgsql as $$
declare plus activity_daily[]; minus activity_daily[];
begin
  if tg_op <> 'DELETE' then
    plus := array(select c from new_rows n cross join lateral activity_of_follow(n) c);
  end if;
  if tg_op <> 'INSERT' then
    minus := array(select c from old_rows o cross join lateral activity_of_follow(o) c);
  end if;
  perform activity_daily_queue(plus, minus);
  return null;
end $$;

create or replace function feed_post_rollup() returns trigger language plpgsql as $$
declare plus activity_daily[]; minus activity_daily[];
begin
  if tg_op <> 'DELETE' then
    plus := array(select c from new_rows n cross join lateral activity_of_post(n) c);
  end if;
  if tg_op <> 'INSERT' then
    minus := array(select c from old_rows o cross join lateral activity_of_post(o) c);
  end if;
  perform activity_daily_queue(plus, minus);
  return null;
end $$;

-- At commit: this transaction's deltas into the rollups, growth first, each in key order.
create or replace function rollup_flush() returns trigger language plpgsql as $$
begin
  if not exists (select 1 from growth_daily_pending where xact = txid_current())
     and not exists (select 1 from activity_daily_pending where xact = txid_current()) then
    return null;  -- an earlier firing of this commit moved them
  end if;
  with moved as (delete from growth_daily_pending where xact = txid_current() returning *)
  insert into growth_daily as t
  select day, program_id, source, city, sum(invites), sum(signups), sum(signups_rewarded), sum(rewarded), sum(held),
         sum(cap_hits), sum(awarded_cents), sum(clawed_back_cents), sum(redeemed_cents)
    from moved
   group by day, program_id, source, city
   order by day, program_id, source, city
  on conflict (day, program_id, source, city) do update set
    invites = t.invites + excluded.invites, signups = t.signups + excluded.signups,
    signups_rewarded = t.signups_rewarded + excluded.signups_rewarded, rewarded = t.rewarded + excluded.rewarded,
    held = t.held + excluded.held, cap_hits = t.cap_hits + excluded.cap_hits,
    awarded_cents = t.awarded_cents + excluded.awarded_cents,
    clawed_back_cents = t.clawed_back_cents + excluded.clawed_back_cents,
    redeemed_cents = t.redeemed_cents + excluded.redeemed_cents;
  with moved as (delete from activity_daily_pending where xact = txid_current() returning *)
  insert into activity_daily as t
  select day, city, sum(alerts), sum(alerts_emailed), sum(alerts_inapp), sum(follows), sum(posts_published)
    from moved
   group by day, city
   order by day, city
  on conflict (day, city) do update set
    alerts = t.alerts + excluded.alerts, alerts_emailed = t.alerts_emailed + excluded.alerts_emailed,
    alerts_inapp = t.alerts_inapp + excluded.alerts_inapp, follows = t.follows + excluded.follows,
    posts_published = t.posts_published + excluded.posts_published;
  return null;
end $$;

-- Fired once per queued row, at commit: the first firing moves them all, the others find none.
create constraint trigger growth_daily_pending_flush after insert on growth_daily_pending
  deferrable initially deferred for each row execute function rollup_flush();
create constraint trigger activity_daily_pending_flush after insert on activity_daily_pending
  deferrable initially deferred for each row execute function rollup_flush();

create trigger referral_invite_rollup_insert after insert on referral_invite
  referencing new table as new_rows for each statement
  execute function referral_invite_rollup();
create trigger referral_invite_rollup_update after update on referral_invite
  referencing old table as old_rows new table as new_rows for each statement
  execute function referral_invite_rollup();
create trigger referral_invite_rollup_delete after delete on referral_invite
  referencing old table as old_rows for each statement
  execute function referral_invite_rollup();

create trigger referral_reward_rollup_insert after insert on referral_reward
  referencing new table as new_rows for each statement
  execute function referral_reward_rollup();
create trigger referral_reward_rollup_update after update on referral_reward
  referencing old table as old_rows new table as new_rows for each statement
  execute function referral_reward_rollup();
create trigger referral_reward_rollup_delete after delete on referral_reward
  referencing old table as old_rows for each statement
  execute function referral_reward_rollup();

-- The ledger is append-only (070): inserts are all there is.
create trigger credit_ledger_rollup_insert after insert on credit_ledger
  referencing new table as new_rows for each statement
  execute function credit_ledger_rollup();

create trigger saved_search_alert_rollup_insert after insert on saved_search_alert
  referencing new table as new_rows for each statement
  execute function saved_search_alert_rollup();
create trigger saved_search_alert_rollup_update after update on saved_search_alert
  referencing old table as old_rows new table as new_rows for each statement
  execute function saved_search_alert_rollup();
create trigger saved_search_alert_rollup_delete after delete on saved_search_alert
  referencing old table as old_rows for each statement
  execute function saved_search_alert_rollup();

create trigger follow_rollup_insert after insert on follow
  referencing new table as new_rows for each statement
  execute function follow_rollup();
create trigger follow_rollup_update after update on follow
  referencing old table as old_rows new table as new_rows for each statement
  execute function follow_rollup();
create trigger follow_rollup_delete after delete on follow
  referencing old table as old_rows for each statement
  execute function follow_rollup();

create trigger feed_post_rollup_insert after insert on feed_post
  referencing new table as new_rows for each statement
  execute function feed_post_rollup();
create trigger feed_post_rollup_update after update on feed_post
  referencing old table as old_rows new table as new_rows for each statement
  execute function feed_post_rollup();
create trigger feed_post_rollup_delete after delete on feed_post
  referencing old table as old_rows for each statement
  execute function feed_post_rollup();

-- --- the rebuild: the same contributions, summed over every fact --------------------------------------
-- Writers wait (EXCLUSIVE lets readers on): a writer committing meanwhile has its facts either in
-- the rebuild's snapshot (committed before the lock) or its deltas applied after (it waits at commit).
create or replace function growth_rollups_rebuild() returns void language plpgsql as $$
begin
  lock table growth_daily, activity_daily in exclusive mode;
  delete from growth_daily;
  insert into growth_daily
  select day, program_id, source, city, sum(invites), sum(signups), sum(signups_rewarded), sum(rewarded), sum(held),
         sum(cap_hits), sum(awarded_cents), sum(clawed_back_cents), sum(redeemed_cents)
    from (select c.* from referral_invite i cross join lateral growth_of_invite(i) c
          union all
          select c.* from referral_reward r cross join lateral growth_of_reward(r) c
          union all
          select c.* from credit_ledger l cross join lateral growth_of_entry(l) c) d
   group by day, program_id, source, city;
  delete from activity_daily;
  insert into activity_daily
  select day, city, sum(alerts), sum(alerts_emailed), sum(alerts_inapp), sum(follows), sum(posts_published)
    from (select c.* from saved_search_alert a cross join lateral activity_of_alert(a) c
          union all
          select c.* from follow f cross join lateral activity_of_follow(f) c
          union all
          select c.* from feed_post p cross join lateral activity_of_post(p) c) d
   group by day, city;
end $$;

select growth_rollups_rebuild();
