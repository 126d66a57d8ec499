-- 004_fansub_creator.sql
-- Creators with a fan-subscription page (follow.target_id 'fsc_...').
-- Their work is often adult: content_band is the creator's default nsfw band.

create table if not exists fansub_creator (
  creator_id text primary key,                      -- fsc_...
  user_id text not null unique references app_user(user_id) on delete cascade,
  display_name text not null,
  bio_md text not null default '',
  city text not null,
  category_tags text[] not null default '{}',
  monthly_price_cents int not null check (monthly_price_cents >= 0),
  content_band int not null default 0 check (content_band between 0 and 2),
  verified boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists idx_fansub_creator_city on fansub_creator (city);
