-- 082_alert_email_settings.sql
-- E-mail alerts on or off per saved search (issue 13, point 7). app_user.email_alerts (001) is the
-- user's default for new searches; the searches service copies it into a new search's row in the
-- transaction that saves it. Existing searches take their owner's current setting once, here.
-- The column default (true, as app_user's) serves rows written around the service (demo data,
-- benchmark loaders). The alert e-mail's one-click unsubscribe link turns it off.
alter table saved_search add column if not exists email_alerts boolean;
update saved_search s set email_alerts = u.email_alerts
  from app_user u where u.user_id = s.user_id and s.email_alerts is null;
update saved_search set email_alerts = true where email_alerts is null;  -- an owner since removed
alter table saved_search alter column email_alerts set default true;
alter table saved_search alter column email_alerts set not null;
