-- 030_feed_and_follows.sql
-- Follows and the feed, on top of the blueprint's follow and feed_post (016, untouched).
--
-- feed_post.author_id is always the author's usr_ id (a fan-sub creator's posts
-- too: fansub_creator.user_id), so one index serves every profile page and the
-- "following only" filter maps followed fsc_ ids to their user ids.
--
-- Sensitive media: feed_post.media_preview holds only what may be shown to
-- everyone (band 0 image URLs; for band 1 only alt text and the box size). The
-- reference to every full image lives here in feed_media, and leaves the
-- server only through the reveal/media endpoints, which check band and opt-in.

alter table feed_post add column if not exists body_html text;            -- sanitized render of body_md (cache)
alter table feed_post add column if not exists band_floor int not null default 0
  check (band_floor between 0 and 2);                                     -- set by the growth team; authors can't go below
alter table feed_post add column if not exists first_published_at timestamptz;

-- The feed: published, never band 2, newest first, keyset on (created_at, feed_id).
create index if not exists idx_feed_post_keyset on feed_post (created_at desc, feed_id desc)
  where is_published and nsfw_band < 2;
create index if not exists idx_feed_post_kind_keyset on feed_post (kind, created_at desc, feed_id desc)
  where is_published and nsfw_band < 2;
create index if not exists idx_feed_post_city_keyset on feed_post (city, created_at desc, feed_id desc)
  where is_published and nsfw_band < 2;
create index if not exists idx_feed_post_role_tags on feed_post using gin (role_tags)
  where is_published and nsfw_band < 2;
-- Profile pages, "following only" (one index range per followed author) and an author's own list.
create index if not exists idx_feed_post_author on feed_post (author_id, created_at desc, feed_id desc);

create table if not exists feed_media (
  media_id text primary key,                                              -- fdm_...
  feed_id text not null references feed_post(feed_id) on delete cascade,
  position int not null check (position between 0 and 9),
  storage_key text,                                                       -- file name under .data/uploads/
  src text,                                                               -- or a same-site path (demo art: /media/scene/...)
  mime text not null default 'image/webp',
  width int not null check (width between 1 and 10000),
  height int not null check (height between 1 and 10000),
  bytes int not null default 0 check (bytes >= 0),
  alt text not null check (char_length(alt) between 1 and 300),
  created_at timestamptz not null default now(),
  constraint feed_media_has_source check (storage_key is not null or src is not null),
  constraint feed_media_src_same_site check (src is null or (src like '/%' and src not like '//%')),
  unique (feed_id, position)
);

-- Follower counts on profiles and cards.
create index if not exists idx_follow_target on follow (target_id, target_kind);
-- The Following page, newest first.
create index if not exists idx_follow_follower_recent on follow (follower_user_id, created_at desc);
