# Event series, registration and e-mails (issue 12).
events-upcoming = Upcoming sessions
events-none-upcoming = No session is scheduled yet.
events-series = Series
events-past = Past sessions
series-organiser = Organised by
series-hashtag = Hashtag
series-calendar = Calendar
series-subscribe = Subscribe to the series (.ics)
series-figures = Reported figures
series-figure = Figure
series-value = Value
series-source = Source
series-figures-note = Figures as the source reports them, not measured by Faro.
series-presenters = Presenters
figure-sessions = Sessions held
figure-people-per-session = People per session
figure-people-total = People in the whole series
figure-institutions = Institutions and agencies taking part
figure-countries = Countries
figure-presenting-organisations = Presenting organisations
session-when = When
session-time-unknown = the time is not known
session-your-time = In your time zone
session-duration = Duration
session-status = Status
session-topics = Topics
session-add-calendar = Add to my calendar (.ics)
session-show-in-zone = Show the time in the zone
session-show = Show
session-cancelled-notice = This session was cancelled.
session-status-scheduled = Scheduled
session-status-rescheduled = Rescheduled
session-status-cancelled = Cancelled
session-status-held = Held
session-new = New session
session-edit = Edit session
session-join-private = Join details (sent only to confirmed registrants, never shown publicly)
session-topics-hint = Codebook codes separated by spaces, e.g. C4 E1.
session-field-id = Identifier
session-field-series = Series
session-field-number = Number
session-field-date = Date
session-field-start-time = Start time
session-field-time-zone = Time zone (IANA, e.g. America/Montevideo)
session-field-duration-minutes = Duration (minutes)
session-field-original-language = Original language
session-field-title = Title
session-field-description = Description
session-field-topics = Topics
session-field-capacity = Capacity
session-field-status = Status
session-field-channels = Channels
session-field-facebook-url = Facebook Live address
session-field-zoom-url = Zoom join link
session-field-zoom-meeting-id = Zoom meeting ID
session-field-zoom-passcode = Zoom passcode
session-field-notes = Notes
capacity-unlimited = unlimited
register-title = Registration
register-series = Register for every upcoming session of the series
register-full = The session is full: if you register you join the waiting list, and you will be told when a seat frees up.
register-closed = Registration is closed for this session.
register-field-name = Name
register-field-email = E-mail
register-field-institution = Institution
register-field-institution-text = Institution (if not in the list)
register-field-country = Country
register-field-role = Role
register-field-lang = Language of the e-mails
register-institution-other = Not in the list
register-consent = I agree that the network keeps these data to manage my registration.
register-privacy = Purpose: to register you, send you the confirmation, the join details and reminders, and count attendance. Your data are never published. { $count ->
        [0] They are erased { $count } days after the last session you registered for
        [one] They are erased { $count } day after the last session you registered for
       *[other] They are erased { $count } days after the last session you registered for
    }; you can see, correct, export or erase them at any time from the link in your e-mails.
register-send = Register
register-check-mail = Check your inbox ({ $email }): confirm your registration with the link we sent you. Without confirmation it expires in 48 hours.
register-too-many = Too many registrations from this connection. Please try again in a few minutes.
err-field-consent-required = you must agree to register
err-field-invalid-time = must be a time HH:MM
err-field-invalid-time-zone = must be an IANA time zone such as America/Montevideo
err-field-out-of-range = is out of range
err-field-not-a-number = must be a number
err-field-invalid-hashtag = may contain only letters, digits and _
err-code-registration_closed = Registration is closed for this session (it is cancelled, held or has started).
err-code-throttled = A message was sent to this session less than ten minutes ago. Please wait.
ref-field-series = Series
ref-field-organiser = Organiser
registrations-title = My registrations
registrations-find = Already registered? Get the link to your registrations
registrations-link-explain = Type the e-mail you registered with: we will send you a link to your registrations.
registrations-link-send = Send me the link
registrations-link-sent = If that address is registered, a link is on its way.
registrations-link-invalid = This link is not valid or has expired. Ask for a new one from the registrations page.
registrations-confirm-explain = You have registrations waiting for your confirmation.
registrations-confirm = Confirm my registration
registrations-state = State
registrations-cancel = Cancel
registrations-your-data = Your data
registrations-save = Save my data
registrations-export = Download my data (JSON)
registrations-erase-sure = I want my data erased (my registrations are cancelled)
registrations-erase = Erase my data
registrations-erase-confirm = Tick the box to confirm the erasure.
registrations-erased = Your data were erased. Counts of the sessions keep your registration without your name.
registration-state-pending = Waiting for confirmation
registration-state-confirmed = Confirmed
registration-state-waiting = Waiting list
registration-state-cancelled = Cancelled
registration-state-expired = Expired
registrants-title = Registrants
registrants-csv = Download as CSV
message-title = Message to confirmed registrants
message-subject = Subject
message-body = Message
message-hint = Sent by e-mail to every confirmed registrant; at most one message every ten minutes; kept in the session's history.
message-send = Send
message-required = A subject and a message are needed.
message-queued = { $n ->
    [0] The message is on its way to { $n } registrants.
    [one] The message is on its way to one registrant.
   *[other] The message is on its way to { $n } registrants.
}
jobs-title = E-mail and reminder queue
jobs-kind = Kind
jobs-state = State
jobs-run-at = Due
jobs-attempts = Attempts
jobs-note = Note
join-zoom = Zoom link
join-meeting-id = Meeting ID
join-passcode = Passcode
mail-offset-24h = tomorrow
mail-offset-1h = in one hour
mail-footer = To see, cancel or erase your registrations: { $link }
mail-confirm-subject = Confirm your registration: { $session }
mail-confirm-body = Hello { $name },

    Please confirm your registration for “{ $session }” ({ $when }) by opening this link and pressing “Confirm”:
    { $link }

    Without confirmation the registration expires in 48 hours. If you did not register, ignore this message.
mail-link-subject = Your registrations
mail-link-body = Hello { $name },

    Here is the link to your registrations:
    { $link }
mail-confirmed-subject = Registration confirmed: { $session }
mail-confirmed-body = Hello { $name },

    Your seat for “{ $session }” ({ $when }) is confirmed. The invitation is attached.
mail-waiting-subject = On the waiting list: { $session }
mail-waiting-body = Hello { $name },

    “{ $session }” ({ $when }) is full. You are on the waiting list and will be told as soon as a seat frees up.
mail-promoted-subject = A seat freed up: { $session }
mail-promoted-body = Hello { $name },

    A seat freed up and it is yours: “{ $session }” ({ $when }). The invitation is attached.
mail-cancelled-subject = Registration cancelled: { $session }
mail-cancelled-body = Hello { $name },

    Your registration for “{ $session }” is cancelled.
mail-reminder-subject = Reminder: { $session } { $offset }
mail-reminder-body = Hello { $name },

    “{ $session }” starts { $offset } ({ $when }).
mail-rescheduled-subject = New time: { $session }
mail-rescheduled-body = Hello { $name },

    “{ $session }” has a new time: { $when }. The updated invitation is attached.
mail-session-cancelled-subject = Session cancelled: { $session }
mail-session-cancelled-body = Hello { $name },

    “{ $session }” ({ $when }) was cancelled. We are sorry.
mail-message-subject = { $subject }
mail-message-body = Hello { $name },

    A message about “{ $session }”:

    { $body }
profile-presented = Presented in the event series
home-upcoming = Upcoming sessions
search-type-series = Event series
series-new = New event series
series-edit = Edit series
series-add = Add a series
series-edit-link = Edit this series
series-field-id = Identifier
series-field-original-language = Original language
series-field-title = Title
series-field-description = Description
series-field-organiser = Organising institution
series-field-hashtag = Hashtag (without #)
series-field-certificate-policy = Certificate policy (what attendance earns a certificate)
series-field-figures = Reported figures
series-field-presenters = Presenters
series-field-series = Series
series-field-session = Session
series-field-institution = Institution
series-field-name = Person's name
series-field-role = Role
series-field-reason = Reason for the change (kept in the history)
series-figures-form-hint = Only figures a source reports, each with its source (for example a report and its page). Leave both empty for no figure.
series-presenters-form-hint = An institution of the directory, or a person's name. A presenter of one session names it; leave the session empty for the whole series. Leave a row empty to remove it.
series-presenter = Presenter
series-whole = The whole series
sessions-import = Import sessions
sessions-import-help = Upload sessions as CSV (UTF-8) or XLSX (first sheet), one row per session. All or nothing: if a line is wrong, every problem is listed and nothing is stored. Importing the same file again changes nothing; a new time or a cancellation notifies the registrants.
sessions-import-columns = Columns (from “status” on, optional):
sessions-import-file = File (CSV or XLSX)
sessions-import-submit = Import
sessions-import-refused = The file was not imported; nothing was stored. Please correct:
sessions-import-done = Imported. Created: { $created } · updated: { $updated } · unchanged: { $unchanged }
sessions-import-line = Line { $line }: { $problem }
import-bad-xlsx = The spreadsheet could not be read. Save it again as XLSX or CSV.
register-privacy-kept = Purpose: to register you, send you the confirmation, the join details and reminders, and count attendance. Your data are never published. They are kept until you or a coordinator erase them; you can see, correct, export or erase them at any time from the link in your e-mails.
