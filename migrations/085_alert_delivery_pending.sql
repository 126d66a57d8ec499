-- 085_alert_delivery_pending.sql
-- The daily alert run (webapp/alerts/service.py) finds the alerts still to deliver on each channel
-- in batches: without these, every batch would read the whole saved_search_alert table, which grows
-- by a day's alerts every day. Each holds only the alerts a channel has not delivered yet.
create index if not exists idx_saved_search_alert_inapp_pending on saved_search_alert (alert_id)
  where not inapp_created;
-- E-mail looks back a week only (older unsent alerts are no longer news), by day then id.
create index if not exists idx_saved_search_alert_email_pending on saved_search_alert (alert_dt, alert_id)
  where not email_sent;
