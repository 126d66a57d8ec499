-- 061_invite_hint.sql
-- What an inviter may see of an address they invited by e-mail: a masked form ("j•••@g•••.com"),
-- never the address (only its keyed hash, invitee_email_sha, can be matched). Null for link
-- invites, which show the invitee's display name once they sign up.
alter table referral_invite add column if not exists invitee_hint text
  constraint referral_invite_hint_len check (char_length(invitee_hint) <= 80);
