-- Pictures chosen in the post editor before the post is saved (issue 15, point 5). A preview without
-- JavaScript, a reorder or a form sent back with a mistake all round-trip the form, and a browser
-- never refills a file input: so each chosen file is re-encoded and stored at once as a pending
-- picture of its author's draft. The form carries the pending ids, their alt text and their order;
-- saving the post moves them into feed_media (same file, same storage key).
create table if not exists feed_pending_media (
  pending_id text primary key,                                           -- fdu_...
  user_id text not null references app_user(user_id) on delete cascade,  -- the author: only they see it
  storage_key text not null,                                             -- file name under .data/uploads/
  mime text not null default 'image/webp',
  width int not null check (width between 1 and 10000),
  height int not null check (height between 1 and 10000),
  bytes int not null default 0 check (bytes >= 0),
  created_at timestamptz not null default now()
);
-- The sweep of pictures left behind by abandoned drafts (feed.service.keep_pending), oldest first.
create index if not exists idx_feed_pending_media_created on feed_pending_media (user_id, created_at);
