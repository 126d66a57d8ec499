-- 002_service_profile.sql
-- People in the directory: photographers, models, make-up artists ...
-- One profile per provider account; the profile is keyed by the owner's
-- user id because follow.target_id for 'service_profile' is a usr_ id.
-- Tag columns are text[] with GIN indexes so the saved-search compiler can use
-- @> (all of) and && (any of).

create table if not exists service_profile (
  user_id text primary key references app_user(user_id) on delete cascade,
  display_name text not null,
  headline text not null default '',
  bio_md text not null default '',
  city text not null,
  role_tags text[] not null default '{}',
  style_tags text[] not null default '{}',
  languages text[] not null default '{}',
  rate_cents int not null check (rate_cents >= 0),
  verified boolean not null default false,
  travels boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists idx_service_profile_city on service_profile (city, created_at desc, user_id);
create index if not exists idx_service_profile_role_tags on service_profile using gin (role_tags);
create index if not exists idx_service_profile_style_tags on service_profile using gin (style_tags);
create index if not exists idx_service_profile_languages on service_profile using gin (languages);
create index if not exists idx_service_profile_rate on service_profile (city, rate_cents);
