-- 001_app_user.sql
-- Accounts. Every other table refers to a user by its text id (usr_...).
-- e-mail is unique case-insensitively through an expression index, so no
-- citext extension is needed (Aurora and stock PostgreSQL alike).

create table if not exists app_user (
  user_id text primary key,                         -- usr_...
  email text not null,
  password_hash text not null,
  display_name text not null,
  role text not null check (role in ('member','provider','growth')),
  email_alerts boolean not null default true,       -- default for new saved-search alerts
  sensitive_opt_in boolean not null default false,  -- may reveal nsfw_band 1 media
  city text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint app_user_email_len check (char_length(email) between 3 and 254),
  constraint app_user_name_len check (char_length(display_name) between 1 and 80)
);
create unique index if not exists uq_app_user_email on app_user (lower(email));
