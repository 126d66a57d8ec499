-- 016_growth_referrals.sql
-- Saved searches (ANY/ALL filters), alert sends, follow graph, feed posts,
-- referrals & credits (ledger), with sensible indexes.

begin;

create table if not exists saved_search (
search_id text primary key, -- ssv_...
user_id text not null, -- usr_...
scope text not null check (scope in ('people','studios')),
query_json jsonb not null, -- normalized ANY/ALL filters
city text not null,
paused_until date,
last_alert_dt date,
created_at timestamptz not null default now(),
updated_at timestamptz not null default now()
);
create index if not exists idx_saved_search_user on saved_search(user_id);
create index if not exists idx_saved_search_city on saved_search(city);

create table if not exists saved_search_alert (
alert_id text primary key, -- ssa_...
search_id text not null references saved_search(search_id) on delete cascade,
alert_dt date not null,
match_count int not null,
email_sent boolean not null default false,
inapp_created boolean not null default false,
created_at timestamptz not null default now(),
unique (search_id, alert_dt)
);

create table if not exists follow (
follower_user_id text not null, -- usr_...
target_id text not null, -- usr_... | fsc_...
target_kind text not null check (target_kind in ('service_profile','fansub_creator')),
created_at timestamptz not null default now(),
primary key (follower_user_id, target_id, target_kind)
);

create table if not exists feed_post (
feed_id text primary key, -- fdp_...
author_id text not null,
role_tags text[] not null,
kind text not null check (kind in ('case_study','availability','touring','studio_slot','influence')),
title text not null,
body_md text,
media_preview jsonb not null default '[]'::jsonb, -- SFW previews only
nsfw_band int not null default 0, -- 0 allow,1 blur,2 block
city text,
verified_chip boolean not null default false,
is_published boolean not null default false,
created_at timestamptz not null default now(),
updated_at timestamptz not null default now()
);
create index if not exists idx_feed_post_pub on feed_post(is_published, created_at desc);
create index if not exists idx_feed_post_city on feed_post(city);

create table if not exists referral_program (
program_id text primary key, -- rpr_...
kind text not null check (kind in ('provider_invites_provider','buyer_invites_buyer','cross_side')),
reward_bips int not null default 0,
reward_fixed_cents int not null default 0,
credit_scope text not null, -- e.g., 'buyer_fee_only'
monthly_cap int not null default 5,
active boolean not null default true,
created_at timestamptz not null default now()
);

create table if not exists referral_invite (
invite_id text primary key, -- rfi_...
program_id text not null references referral_program(program_id),
inviter_user_id text not null,
invitee_user_id text,
invitee_email_sha text not null,
source text, -- 'sharecard','linkinbio', etc.
device_fp text,
ip_addr_sha text,
created_at timestamptz not null default now(),
accepted_at timestamptz
);
create index if not exists idx_rfi_inviter on referral_invite(inviter_user_id, created_at desc);
create index if not exists idx_rfi_email on referral_invite(invitee_email_sha);

create table if not exists credit_ledger (
entry_id text primary key, -- crl_...
user_id text not null,
kind text not null check (kind in ('award','clawback','redeem')),
program_id text,
amount_cents int not null,
currency text not null default 'USD',
reason text not null,
related_id text,
created_at timestamptz not null default now()
);
create index if not exists idx_credit_user on credit_ledger(user_id, created_at desc);

commit;
