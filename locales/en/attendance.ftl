# Attendance, audience analytics and certificates (issue 13).
att-title = Attendance
att-analytics = Audience analytics
att-upload = Import a Zoom report
att-file = Report file (CSV as Zoom gives it)
att-tz = Time zone of the report's times
att-upload-hint = The meeting participants report or the webinar attendee report, as downloaded from Zoom (CSV or Excel "Unicode text"). Times are read in the zone above. The newest report replaces the session's attendance; importing the same file again changes nothing.
att-import = Import
att-imports = Imports
att-no-imports = No report imported yet.
att-when = When
att-kind = Report
att-kind-participants = Meeting participants
att-kind-webinar_attendees = Webinar attendees
att-rows = Rows
att-people = People
att-added = Added
att-changed = Changed
att-removed = Removed
att-problems = Nothing was imported. Problems found:
att-tz-required = Give the time zone of the report's times (an IANA name such as America/Montevideo).
att-unchanged = { $count ->
    [0] Already imported: 0 people, nothing changed.
    [one] Already imported: 1 person, nothing changed.
   *[other] Already imported: { $count } people, nothing changed.
}
att-people-count = { $count ->
    [0] 0 people
    [one] 1 person
   *[other] { $count } people
}
att-imported = Imported: { $people } ({ $attended } attended; { $added } added, { $changed } changed, { $removed } removed; matched { $email } by e-mail, { $name } by name, { $guests } guests).
att-conflict = These figures were changed by someone else since you opened the form. Open the page again and repeat your change.
att-facebook = Facebook Live figures
att-facebook-hint = Facebook shows no individuals: copy the totals its Insights show for the video, with the day you read them and where.
att-facebook-save = Save the figures
att-facebook-saved = The Facebook figures were saved.
att-facebook-number = Facebook figures must be whole numbers.
att-fb-peak-live = Peak live viewers
att-fb-total-views = Total views
att-fb-unique-viewers = Unique viewers
att-fb-minutes-viewed = Minutes viewed
att-fb-read-on = Date read
att-fb-source = Source
att-fb-err-out-of-range = out of range
att-fb-err-required = required
att-fb-err-above-unique-viewers = cannot exceed the unique viewers
att-fb-err-invalid-date = not a date (YYYY-MM-DD)
att-fb-err-too-long = too long
att-history = History
att-field = Field
att-before = Before
att-after = After
att-people-title = People in the report
att-match = Matched as
att-registrant = registrant
att-guest = guest
att-minutes = Minutes
att-first-join = First joined
att-last-leave = Last left
att-no-show = did not attend
att-erased = erased
att-registered = Registered
att-confirmed = Confirmed
att-attended = Attended (Zoom)
att-no-shows = No-shows in the report
att-guests = Attendees not registered (guests)
att-confirmed-absent = Confirmed but absent
att-no-show-rate = No-show rate (of the confirmed)
att-minutes-median = Minutes attended, median
att-minutes-total = Minutes attended, total
att-reach = Reach (upper bound)
att-reach-note = Reach adds Zoom's unique people and Facebook's unique viewers: an upper bound, since the same person may have watched on both.
att-bin = { $from }–{ $to } min
att-bin-open = { $from } min or more
att-chart-minutes = Minutes attended
att-chart-per-session = Attendance per session
att-chart-sessions-attended = How many sessions each person attended
att-chart-by-country = Attendees by country
att-chart-by-role = Attendees by role
att-session = Session
att-sessions-attended = Sessions attended
att-country = Country
att-role = Role
att-unknown = not stated
att-unique-people = Unique people
att-returning = Returning attendees (2 sessions or more)
att-institutions = Institutions reached
att-countries = Countries reached
att-csv = Download as CSV
att-no-data = No data yet.
aud-title = Audience
aud-measured = Measured attendance
aud-none = No attendance has been imported for this series.
aud-small-note = Counts below 5 are shown as "fewer than 5", so that no one can be identified.
aud-reported = Reported figures
aud-staff-attended = Staff who attended the event series
aud-fewer-than = fewer than { $count }
cert-admin-title = Certificates
cert-rule = Certificate rule
cert-min-share = Minimum share of a session's duration (%)
cert-series-sessions = Sessions for a series certificate (0: none)
cert-rule-save = Save the rule
cert-rule-saved = The rule was saved.
cert-rule-invalid = The share must be between 1 and 100 and the number of sessions between 0 and 1000.
cert-issue-title = Issue and send
cert-issue-hint = Issues a certificate to every registered attendee the rule allows who has none yet.
cert-issue = Issue certificates
cert-mail-hint = E-mails every valid certificate not yet sent, as one throttled batch (at most one batch every ten minutes).
cert-mail = E-mail the certificates
cert-issued = { $count ->
    [0] 0 certificates issued.
    [one] 1 certificate issued.
   *[other] { $count } certificates issued.
}
cert-mailed = { $count ->
    [0] 0 certificates queued for sending.
    [one] 1 certificate queued for sending.
   *[other] { $count } certificates queued for sending.
}
cert-no-rule = Set the series' certificate rule first.
cert-list = Certificates issued
cert-code-col = Verification code
cert-status = Status
cert-series-scope = whole series
cert-reason = Reason
cert-revoke = Revoke
cert-reissue = Reissue
cert-revoked-done = The certificate was revoked.
cert-reissued-done = The certificate was reissued with a new code.
cert-status-refused = This certificate cannot change that way (it was already revoked or replaced).
cert-title = Certificate of attendance
cert-certifies = This is to certify that
cert-what-session = attended the session "{ $session }" of the series "{ $series }"
cert-sessions-count = { $count ->
    [0] 0 sessions
    [one] 1 session
   *[other] { $count } sessions
}
cert-what-series = attended { $sessions } of the series "{ $series }"
cert-when = Date: { $when } · Time attended: { $minutes } minutes
cert-organiser = Organised by { $organiser }
cert-code = Verification code: { $code }
cert-verify-at = Verify at { $url }
cert-mail-subject = Your certificate of attendance
cert-mail-body = Hello { $name },

    Attached is your certificate: you { $what }.

    Verification code: { $code }
    Anyone can check it at { $url }

    If your name is misspelt, correct it from your personal page: the certificate is reissued with the right name.
verify-title = Verify a certificate
verify-check = Verify
verify-unknown = No certificate has this code.
verify-status-valid = Valid certificate
verify-status-revoked = This certificate was revoked
verify-status-replaced = This certificate was replaced by a new one
verify-erased = (the person's data was erased at their request)
verify-issued-to = Issued to
verify-for = For
verify-when = Date
verify-organiser = Organiser
verify-issued = Issued on
verify-replaced-by = Replaced by
mine-title = My certificates
mine-back = My registrations
mine-none = You have no certificates yet.
mine-download = Download (PDF)
mine-rename-hint = Is your name misspelt? Correct it on your registrations page: your certificates are reissued with the corrected name, and the old codes say they were replaced.
