-- 081_notifications.sql
-- In-app notifications (SPEC §2, issue 13): one per saved-search alert, at most (its unique
-- alert_id makes the alert job's in-app delivery exactly once), newest first per user, read or not.
create table if not exists notification (
  notification_id text primary key,                       -- ntf_...
  user_id text not null references app_user(user_id) on delete cascade,
  kind text not null check (kind in ('search_alert')),
  alert_id text unique references saved_search_alert(alert_id) on delete cascade,
  title text not null check (char_length(title) between 1 and 300),
  created_at timestamptz not null default now(),
  read_at timestamptz
);
-- The list, newest first, paged by (created_at, notification_id) (core/keyset.py).
create index if not exists idx_notification_user_recent on notification (user_id, created_at desc, notification_id desc);
-- The header's unread count reads only unread rows.
create index if not exists idx_notification_unread on notification (user_id) where read_at is null;
