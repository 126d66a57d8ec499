-- 003_studio.sql
-- Studios that rent out space, owned by a provider account.

create table if not exists studio (
  studio_id text primary key,                       -- std_...
  owner_user_id text not null references app_user(user_id) on delete cascade,
  name text not null,
  description_md text not null default '',
  city text not null,
  amenity_tags text[] not null default '{}',
  hourly_rate_cents int not null check (hourly_rate_cents >= 0),
  capacity int not null check (capacity > 0),
  size_sqm int not null check (size_sqm > 0),
  verified boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists idx_studio_owner on studio (owner_user_id);
create index if not exists idx_studio_city on studio (city, created_at desc, studio_id);
create index if not exists idx_studio_amenity_tags on studio using gin (amenity_tags);
create index if not exists idx_studio_rate on studio (city, hourly_rate_cents);
