-- 074_growth_review.sql
-- The growth team's review queue and per-user credits pages (issue 12, points 3 and 5).
-- The queue walks idx_rfi_held (070); a user's decisions idx_growth_decision_subject (070).

-- The "Decided" list of /growth/review: every decision, newest first, paged by
-- (created_at, decision_id) (core/keyset.py).
create index if not exists idx_growth_decision_recent on growth_decision (created_at desc, decision_id desc);
