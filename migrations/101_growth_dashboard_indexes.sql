-- 101_growth_dashboard_indexes.sql
-- The growth overview's top inviters read the facts of a date range (webapp/reporting/queries.py):
-- each of these is one range scan, carrying what the filters and the grouping need, so the cost
-- follows the events in the range, not the size of the tables (docs/scaling.md).
create index if not exists idx_rfi_created on referral_invite (created_at)
  include (inviter_user_id, program_id, source, inviter_city);
create index if not exists idx_rfi_accepted on referral_invite (accepted_at)
  include (inviter_user_id, program_id, source, inviter_city) where accepted_at is not null;
create index if not exists idx_referral_reward_earned on referral_reward (earned_at) where inviter_entry_id is not null;
