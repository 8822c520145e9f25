# Hardening (issue 17): refusals and limits.
login-bad-next = The link that brought you here points outside this site, so it was not followed. Sign in again to go to the home page.
