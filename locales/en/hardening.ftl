# Hardening (issue 17): refusals and limits.
login-bad-next = The link that brought you here points outside this site, so it was not followed. Sign in again to go to the home page.
password-revoke-tokens = Also revoke my API tokens (scripts that use them stop working until they get a new one)
password-tokens-revoked = { $count ->
    [0] { $count } API tokens were revoked.
    [one] 1 API token was revoked.
   *[other] { $count } API tokens were revoked.
}
reset-throttled = Too many requests for new passwords from your connection. Please try again in ten minutes.
