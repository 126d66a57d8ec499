-- 040_keyset_order.sql
-- Every list pages the same way (webapp/core/keyset.py): newest first, ties broken by the
-- newest id, the next page after a row comparison `(created_at, id) < (cursor)`. The feed's
-- indexes (030) already read that way; these give the directories' city pages and the
-- Following page the same order, so each of their pages is one index range.

-- The directory's page of matches in a city (people, studios).
drop index if exists idx_service_profile_city;
create index idx_service_profile_city on service_profile (city, created_at desc, user_id desc);
drop index if exists idx_studio_city;
create index idx_studio_city on studio (city, created_at desc, studio_id desc);

-- The Following page, newest first.
drop index if exists idx_follow_follower_recent;
create index idx_follow_follower_recent on follow (follower_user_id, created_at desc, target_id desc);
