# Faro interface strings — English.
# Keys are the same in es/, en/ and pt/ (a test checks it).

site-description = Faro: the knowledge platform of the ILO/Cinterfor network of vocational training institutions.
skip-to-content = Skip to content
lang-switcher-label = Language
nav-label = Main
nav-home = Home
nav-institutions = Institutions
footer-about = Faro is the open platform of the ILO/Cinterfor network of vocational training institutions in Latin America, the Caribbean and Spain.
footer-api = Open data API (OpenAPI)
footer-licence = Data under CC BY 4.0
back-home = Back to the home page
breadcrumb-label = Breadcrumb

not-found-title = Page not found
not-found-body = There is no page at this address. It may have moved, or the link may be mistyped.
not-found-language = This address does not start with a language we publish in. Choose one:
bad-request-title = Request not understood
server-error-title = Something went wrong
server-error-body = The page could not be produced. Please try again in a moment.
unavailable-title = Temporarily unavailable
unavailable-body = The database is not answering right now. The site recovers on its own: please try again in a few seconds.

home-title = The network at a glance
home-lead = Vocational training institutions of Latin America, the Caribbean and Spain, answering a crisis together: who they are, what they did, what they share.
home-glance = In numbers
stat-members = { $count ->
    [0] member institutions
    [one] member institution
   *[other] member institutions
}
stat-countries = { $count ->
    [0] countries with members
    [one] country with members
   *[other] countries with members
}
stat-presenters = { $count ->
    [0] organisations presented in the 2020 videoconference series
    [one] organisation presented in the 2020 videoconference series
   *[other] organisations presented in the 2020 videoconference series
}
home-areas = What you can find here
area-soon = coming soon
area-institutions = Network directory
area-institutions-desc = Every member institution and the organisations that presented in the series, with their country and kind.
area-observatory = Observatory of measures
area-observatory-desc = The measures institutions took, coded, citable and open for download.
area-resources = Knowledge base
area-resources-desc = Publications, guides, protocols and teaching resources shared by the network.
area-courses = Course finder
area-courses-desc = Free online courses offered by member institutions.
area-events = Event series
area-events-desc = Videoconferences, presenters, attendance and certificates.
area-surveys = Member surveys
area-surveys-desc = Questionnaires answered by each institution, and their results.
area-reports = Reports
area-reports-desc = Reports generated from the data.

directory-title = Network directory
filters-label = Filter the directory
filter-q = Name or acronym
filter-country = Country
filter-any-country = All countries
filter-kind = Kind
filter-any-kind = All kinds
filter-presenter = Presented in the 2020 series
filter-member = Members only
filter-apply = Apply filters
filter-clear = Clear filters
directory-total = { $count ->
    [0] { $count } organisations
    [one] 1 organisation
   *[other] { $count } organisations
}
directory-empty = No organisation matches these filters.
directory-data = This list as open data:
col-acronym = Acronym
col-name = Name
col-country = Country
col-kind = Kind
tag-presenter = presenter
tag-not-member = not a member
pager-label = Pages
pager-prev = Previous page
pager-next = Next page
pager-page = Page
country-none = No country (international or not stated)

profile-name = Name
profile-membership = Network membership
profile-member-yes = Member of the ILO/Cinterfor network
profile-member-no = Not in the network's member list
profile-series = 2020 videoconference series
profile-presenter-yes = Presented an experience
profile-presenter-no = Did not present
profile-website = Website
profile-note = Editorial note
profile-data = This record as open data:

lang-es = Spanish
lang-en = English
lang-pt = Portuguese

kind-training-institution = Training institution
kind-ministry-agency = Ministry or public agency
kind-social-partner = Employers' or workers' organisation
kind-international-body = International body
kind-university = University
kind-foundation-ngo = Foundation or NGO
kind-other = Other

err-invalid-country = “{ $value }” is not a country code (use two letters, ISO 3166-1, e.g. BR).
err-invalid-kind = “{ $value }” is not a kind of organisation.
err-invalid-number = The parameter “{ $param }” must be a whole number in range, not “{ $value }”.
err-invalid-bool = The parameter “{ $param }” must be true or false, not “{ $value }”.
err-query-too-long = The search text is too long (at most 200 characters).
err-malformed-query = The address contains a malformed or repeated parameter.

## Accounts, editing and history
nav-admin = Administration
nav-login = Sign in
nav-logout = Sign out
forbidden-title = Not allowed
forbidden-body = Your account may not do this.
csrf-failed = The form has expired or did not come from this site. Nothing was changed; please reload the page and try again.
sign-in-title = Sign in required
sign-in-required = Please sign in to continue.
login-title = Sign in
login-failed = The e-mail or the password is not correct.
login-throttled = Too many failed attempts. Try again in { $minutes ->
    [0] { $minutes } minutes
    [one] 1 minute
   *[other] { $minutes } minutes
}.
login-button = Sign in
reset-link = Forgot your password?
field-email = E-mail
field-password = Password
account-title = Your account
field-role = Role
field-institutions = Institutions
role-coordinator = Network coordinator
role-editor = Institution editor
actor-editor = Editor
actor-coordinator = Coordinator
actor-staff = Staff
field-display-name = Public name
display-name-help = Shown on public pages and in open data as the author of your changes. Leave it empty to show your role instead. Your e-mail address is never shown.
err-display-name-too-long = The public name can have at most 80 characters.
err-display-name-email = The public name cannot be an e-mail address.
err-display-name-invalid = The public name contains characters that are not allowed.
password-title = Change password
tokens-title = API tokens
users-title = Users
audit-title = Audit log
deleted-title = Deleted records
field-current-password = Current password
field-new-password = New password
field-confirm-password = Repeat the new password
password-hint = At least 10 characters.
err-password-too-short = The new password must have at least 10 characters.
err-password-too-long = The new password is too long.
err-password-mismatch = The two new passwords are not the same.
err-current-password = The current password is not correct.
password-changed = Your password was changed. Your other sessions were signed out.
save-button = Save
cancel = Cancel
saved = Saved.
reset-title = Reset your password
reset-explain = Enter your e-mail address. If it belongs to an account, we will send a link to choose a new password.
reset-button = Send the link
reset-sent = If an account exists for this address, a link to choose a new password has been sent. It works once and expires after 24 hours.
reset-invalid = This link is not valid: it may have expired or been used already. You can ask for a new one.
reset-done = Your password is set. You can now sign in.
mail-reset-subject = Faro: reset your password
mail-reset-body = Someone asked to reset the password of your Faro account. To choose a new password, open this link (it works once and expires in { $hours } hours): { $link } — If it was not you, ignore this message.
mail-welcome-subject = Faro: your new account
mail-welcome-body = An account was created for you on Faro. To choose your password, open this link (it works once and expires in { $hours } hours): { $link }
tokens-explain = Tokens let programs use the JSON API with your permissions (header "Authorization: Bearer …"). Revoke a token you no longer use.
tokens-shown-once = Your new token is shown only this once. Copy it now:
field-token-name = Token name
tokens-create = Create token
tokens-revoke = Revoke
tokens-revoked = revoked
err-token-name = Give the token a name (at most 100 characters).
col-created = Created
col-last-used = Last used
col-actions = Actions
col-status = Status
users-add = Add a user
users-created = The account was created. Send this one-time link to the person so they can choose a password (it was also e-mailed, or written to the server log when e-mail is not configured):
users-disabled = Disabled
users-pending = Waiting for a password
users-active = Active
err-role = Choose a role.
err-invalid-email = Enter a valid e-mail address.
err-editor-needs-institution = An institution editor needs at least one institution.
err-user-exists = A user with this e-mail already exists.
err-unknown-institution = One of the institutions does not exist.
err-self-demote = You cannot disable your own account or remove your own coordinator role.
err-invalid-date = The parameter “{ $param }” must be a date like 2020-06-25, not “{ $value }”.
action-created = created
action-updated = updated
action-deleted = deleted
action-restored = restored
col-actor = Who
col-record-type = Record type
col-record = Record
col-when = When
col-action = Change
col-field = Field
col-before = Before
col-after = After
col-reason = Reason
audit-from = From
audit-until = Until
audit-total = { $count ->
    [0] { $count } changes
    [one] 1 change
   *[other] { $count } changes
}
history-title = Change history
history-deleted = This record was deleted. It is kept, with its history, and can be restored by a coordinator.
restore-button = Restore
delete-button = Delete this institution
deleted-none = No deleted records.
edit-title = Edit profile
edit-link = Edit this profile
edit-has-errors = Please correct the following:
profile-about = About
field-acronym = Acronym
field-name-es = Name in Spanish
field-name-en = Name in English
field-name-pt = Name in Portuguese
field-website = Website
field-contact-email = Contact e-mail
field-description-es = Description in Spanish
field-description-en = Description in English
field-description-pt = Description in Portuguese
field-country = Country code
field-country-hint = Two letters (ISO 3166-1), e.g. UY; empty for international bodies.
field-reason = Reason for the change (optional)
field-id = Identifier
field-note = Editorial note
field-kind = Kind
err-field-required = is required
err-field-invalid-slug = must use lowercase letters, digits and hyphens
err-field-unknown-country = is not a valid country code
err-field-unknown-kind = is not a known kind
err-field-invalid-bool = must be yes or no
err-field-too-long = is too long
err-field-invalid-url = must be an address starting with http:// or https://
err-field-control-chars = contains characters that are not allowed
err-field-needs-name = needs a name in at least one language
err-field-invalid-email = must be an e-mail address

## Search
nav-search = Search
search-title = Search
search-q = Words to find
search-sort = Order
search-sort-relevance = Most relevant first
search-sort-date = Newest first
search-button = Search
search-unavailable = Search is not available right now. Please try again later.
search-active = Active filters
search-remove = remove this filter
search-total = { $count ->
    [0] { $count } results
    [one] 1 result
   *[other] { $count } results
}
search-truncated = Your search was long: only its first words were used.
search-empty = Nothing matches. Try fewer or other words; accents and plurals do not matter.
search-facets = Refine
search-facet-type = Type
search-facet-country = Country
search-facet-institution = Institution
search-facet-category = Category
search-facet-language = Language
search-facet-year = Year
search-type-institution = Institution
err-invalid-sort = The order “{ $value }” is not known (use relevance or date).
err-invalid-facet = The filter “{ $param }” has a value that is too long or not allowed.
err-too-many-filters = Too many filters at once.

## Observatory
nav-observatory = Observatory
obs-title = Observatory of measures
obs-lead = What the network's institutions did in the crisis, one row per measure, coded with a versioned codebook. Unknown dates stay unknown.
obs-data = Open data:
obs-licence = Licence: CC BY 4.0
obs-total = { $count ->
    [0] { $count } measures
    [one] 1 measure
   *[other] { $count } measures
}
obs-empty = No measure matches these filters.
obs-measure = Measure
obs-categories = Categories
obs-log-type = Type of change
obs-target-groups = Target groups
obs-scope = Scope
obs-crisis = Crisis
obs-last-reviewed = last reviewed
obs-sources = Sources
obs-accessed = accessed
obs-cite = Cite this
obs-announced = Announced
obs-start = Start
obs-end = End
obs-facet-country = Country
obs-facet-institution = Institution
obs-facet-category = Category
obs-facet-target-group = Target group
obs-facet-status = Status
obs-facet-year = Start year
search-facet-status = Status
search-type-measure = Measure
codebook-title = Codebook
codebook-released = Released
codebook-versions = Versions
cite-measure = ILO/Cinterfor network, Faro observatory. “{ $title }” (measure { $id }, codebook v{ $version }). { $url } (accessed { $date }). CC BY 4.0.
date-unknown = unknown
date-none = none
tg-youth = Youth
tg-women = Women
tg-rural = Rural population
tg-low-income = Low income
tg-unemployed = Unemployed
tg-informal-workers = Informal workers
tg-apprentices = Apprentices
tg-teachers = Teachers and instructors
tg-enterprises-smes = Enterprises and SMEs
tg-persons-with-disabilities = Persons with disabilities
tg-migrants = Migrants
tg-health-workers = Health workers
tg-learners = Learners
status-draft = Draft
status-submitted = Submitted
status-verified = Verified
log-introduced = Introduced
log-extended = Extended
log-modified = Modified
log-phased-out = Phased out
scope-national = National
scope-regional = Regional
scope-local = Local
scope-general = general
scope-targeted = targeted
source-official = Official source
source-self-reported = Self-reported
source-media = Media
source-this-report = The 2020 series report
charts-title = Charts
chart-matrix = Measures by country and category
chart-matrix-note = Each cell counts the measures of a country coded in that category (a measure with codes in two categories counts in both).
chart-map = Measures per member country
chart-map-note = Darker means more measures. Grey: no measure recorded. International bodies are not on the map (see the table).
chart-timeline = Measures started per month, by category
chart-undated = { $count ->
    [0] { $count } measures have no known start month and are not drawn.
    [one] 1 measure has no known start month and is not drawn.
   *[other] { $count } measures have no known start month and are not drawn.
}
chart-data = The data behind this chart
chart-measures = Measures
chart-month = Month
country-none-short = International or not stated

## Corrections
correction-title = Suggest a correction
correction-explain = Something wrong or missing? Tell the coordinators, with a source if you can. Every suggestion and its outcome is public:
correction-field-what = What is wrong, and what should it say?
correction-field-source-url = Source (web address)
correction-field-contact = Your e-mail (optional)
correction-contact-hint = Only the coordinators see it, to ask you questions. It is never published.
correction-send = Send the suggestion
correction-thanks = Thank you. Your suggestion is number { $id }; the coordinators will review it and the outcome will appear in the public corrections log.
correction-too-many = Too many suggestions from your connection in the last hour. Please try again later.
correction-invalid-value = The corrected value is not valid:
correction-already-decided = This suggestion was already decided.
correction-reason-required = A rejection needs a reason.
corrections-title = Corrections log
corrections-lead = Suggested corrections to the observatory and what the coordinators decided. Accepted changes also appear in each measure's history and in measures-changes.csv.
corrections-none = No corrections have been suggested yet.
corrections-all = All
corrections-filter = Corrections by status
corrections-none-here = No corrections with this status.
corrections-count = { $count ->
    [0] { $count } corrections
    [one] One correction
   *[other] { $count } corrections
}
correction-status-pending = pending
correction-status-accepted = accepted
correction-status-rejected = rejected
correction-decision = Decision
correction-changed = What changed
correction-column = Field to change
correction-value = New value
correction-note = Note for the history
correction-accept = Accept and apply
correction-reason = Reason for rejecting
correction-reject = Reject
correction-review = Review this suggestion
correction-review-title = Review of suggestion
correction-pick = Choose this field
correction-pick-field = Choose the field to change.
correction-not-correctable = A correction cannot change this field.
correction-preview = The change
correction-preview-button = Preview the change
correction-apply = Apply the change
correction-no-change = The value is the same as now.
correction-note-hint = Added to the measure's history and to the decision in the public log, beside the suggestion.
correction-fix-errors = The suggestion was not sent: please check the field marked below.
err-field-correction-length = must have between 10 and 3000 characters
releases-title = Frozen releases

## Measure editing and review
measure-new = New measure
measure-edit = Edit measure
measure-save-draft = Save as draft
measure-submit = Submit for review
measure-date-hint = Dates: YYYY, YYYY-MM or YYYY-MM-DD; write "none" when there is none; leave empty when unknown.
review-title = Measures in review
review-lead = Drafts and submitted measures. Editors write and submit their institutions' measures; coordinators verify them or send them back with a comment. Drafts are not public.
review-empty = Nothing waiting.
review-last-comment = Last comment
review-comment = Comment (required to send back)
review-verify = Verify
review-send-back = Send back
draft-delete = Delete draft
notify-verified-subject = Verified: { $title }
notify-verified-body = Your measure “{ $title }” was verified and is published in the observatory.

    { $link }
notify-sent-back-subject = Sent back: { $title }
notify-sent-back-body = Your measure “{ $title }” was sent back to draft. The review queue shows the coordinator's comment:

    { $link }
notify-submitted-subject = Submitted for review: { $title }
notify-submitted-body = The measure “{ $title }” was submitted and waits for review.

    { $link }
notices-title = Notices
notice-verified = Verified: { $title }
notice-sent-back = Sent back: { $title }
notice-waiting = { $count ->
    [0] { $count } measures wait for review.
    [one] 1 measure waits for review.
   *[other] { $count } measures wait for review.
}
review-comment-required = Sending a measure back needs a comment.
mfield-id = Identifier
mfield-institution = Institution
mfield-country = Country
mfield-crisis = Crisis
mfield-status = Status
mfield-title = Title in the original language
mfield-original-language = Original language
mfield-title-es = Title in Spanish
mfield-title-en = Title in English
mfield-title-pt = Title in Portuguese
mfield-description-es = Description in Spanish
mfield-description-en = Description in English
mfield-description-pt = Description in Portuguese
mfield-categories = Codebook categories
mfield-target-groups = Target groups
mfield-log-type = Type of change
mfield-announced-date = Announced
mfield-start-date = Start
mfield-end-date = End
mfield-scope-level = Scope
mfield-scope-targeting = General or targeted
mfield-source-url = Source address
mfield-source-title = Source title
mfield-source-type = Source type
mfield-source-accessed = Source accessed on
mfield-notes = Notes
mfield-last-reviewed = Last reviewed
err-field-unknown-code = is not a code of the current codebook
err-field-not-allowed = is not one of the allowed values
err-field-invalid-date = must be YYYY, YYYY-MM, YYYY-MM-DD or none
err-field-no-such-date = is not a date that exists (for example 30 February)
err-field-end-before-start = must not be before the start date
err-field-too-far-ahead = must not be later than next year
obs-search = Search the measures

## Knowledge base
nav-resources = Resources
kb-title = Knowledge base
kb-lead = Publications, guides, protocols, platforms and teaching resources the network's institutions share. What the sources do not say (licence, date, language) is shown as unknown.
kb-total = { $count ->
    [0] { $count } resources
    [one] 1 resource
   *[other] { $count } resources
}
kb-facet-type = Type
kb-facet-topic = Topic
kb-facet-institution = Institution
kb-facet-country = Country
kb-facet-language = Language
kb-facet-license = Licence
kb-facet-year = Year
kb-audience = Audience
kb-published = Published
kb-link = Link
kb-no-link = The source gives no link.
kb-license-unknown = not stated
cite-resource = { $who }. “{ $title }”. Faro knowledge base, { $url } (accessed { $date }).
search-type-resource = Resource
search-type-session = Session
rtype-technical-note = Technical note
rtype-report = Report
rtype-distance-teaching-guideline = Guideline for distance teaching
rtype-return-protocol = Return-to-classroom protocol
rtype-teacher-competence-framework = ICT teacher competence framework
rtype-digital-teaching-resource = Digital teaching resource
rtype-virtual-platform = Virtual training platform
rtype-course-finder = Online course finder
rtype-free-online-course = Free online course
rtype-session-recording = Session recording or slides
rtype-dataset = Dataset
rtype-website = Website
aud-teachers = Teachers
aud-learners = Learners
aud-institutions = Institutions
aud-employers = Employers
aud-policy-makers = Policy makers
files-title = Files
upload-title = Upload a file
upload-label = File (PDF, DOCX, PPTX, ODT, XLSX or an image)
upload-button = Upload
upload-malformed = The upload could not be read. Please try again.
upload-too-large = The file is too large. Nothing was stored.
upload-missing = Choose a file to upload.
upload-bad-type = This kind of file is not accepted (PDF, DOCX, PPTX, ODT, XLSX, PNG, JPEG, GIF or WebP). Nothing was stored.
upload-off = Uploads are not available on this site.
link-check = Link check
link-ok = Working (HTTP { $status }) on { $date }.
link-broken = Broken (HTTP { $status }) on { $date }.
link-unreachable = Unreachable on { $date }: { $detail }
link-never = Not checked yet (`faro check-links`).

## Knowledge base editing
resource-new = Add a resource
resource-edit = Edit this resource
resource-save = Save
resource-delete = Delete this resource
resource-needs-own-institution = Keep at least one of your own institutions among the resource's institutions.
resource-changed-meanwhile = Someone saved this resource after you opened the form. Your changes are below, not saved: check the current version (history) and save again to keep yours.
resource-institutions-hint = The institutions that made or published it. Hold Ctrl (⌘ on a Mac) to choose several.
resource-languages-hint = Languages of the content as BCP 47 tags, separated by semicolons: es; pt-BR; en.
resource-countries-hint = ISO 3166-1 two-letter codes, separated by semicolons: CO; BR. Leave empty for regional resources.
resource-license-hint = An SPDX or Creative Commons identifier such as CC-BY-4.0; leave empty when the source does not state one.
resource-published-hint = YYYY, YYYY-MM or YYYY-MM-DD; leave empty when unknown.
resource-identifiers-hint = Persistent identifiers, separated by semicolons: doi:10.1234/abcd; hdl:20.500.12345/678.
rfield-id = Identifier
rfield-type = Type
rfield-institutions = Institutions
rfield-original-language = Original language
rfield-title = Title
rfield-title-es = Title in Spanish
rfield-title-en = Title in English
rfield-title-pt = Title in Portuguese
rfield-description = Description
rfield-description-es = Description in Spanish
rfield-description-en = Description in English
rfield-description-pt = Description in Portuguese
rfield-url = Link
rfield-languages = Content languages
rfield-countries = Countries
rfield-topics = Topics
rfield-audience = Audience
rfield-license = Licence
rfield-published = Publication date
rfield-identifiers = Persistent identifiers
rfield-related-measures = Related measures
rfield-related-sessions = Related sessions
rfield-notes = Editorial notes
err-field-invalid-identifier = must be doi:10.NNNN/… or hdl:PREFIX/SUFFIX
err-field-invalid-license = must be an SPDX or Creative Commons identifier such as CC-BY-4.0
err-field-unknown-measure = is not a measure of the observatory
err-field-unknown-session = is not a session of the event series

## Event series
nav-events = Events
events-title = Event series
events-lead = The videoconferences the network held, session by session, with the resources that came out of them.
events-series-vc2020 = Series of videoconferences: the role of vocational training in response to the COVID-19 crisis (2020)
events-not-yet = Registration, attendance, analytics, calendars and certificates are not available yet.
col-number = No.
col-date = Date
col-title = Title
session-number = Session { $n }
session-channels = Channels
session-no-resources = No resource is linked to this session yet.
channel-zoom = Zoom
channel-facebook-live = Facebook Live
channel-youtube-live = YouTube Live
channel-teams = Microsoft Teams
channel-other = Other channel (see the notes)

## Shared by edit forms
record-changed-meanwhile = Someone saved this record after you opened the form. Your changes are below, not saved: check the current version (history) and save again to keep yours.
file-remove = Remove
## Store error codes (faro_store::ERROR_CODES)
err-code-not_found = This record does not exist or is no longer public.
err-code-conflict = Someone changed this record after you started: nothing was saved. Check the current version and try again.
err-code-invalid = Some values are not valid: nothing was saved.
err-code-unknown_reference = { $field } “{ $target }” does not exist or has been deleted: nothing was saved.
err-code-rule_broken = This change is not allowed in the record's current state: nothing was saved.
err-code-internal = Something went wrong on our side: nothing was saved. Please try again later.
ref-field-institution = Institution
ref-field-measure = Measure
ref-field-session = Session

data-title = Open data
data-intro = Everything the observatory, the knowledge base and the course finder publish, as files anyone may download, read with any tool and reuse. The files always hold the current data; a frozen release never changes and can be cited.
data-licence = Licence:
data-last-change = Last change to the data:
data-file = File
data-holds = What it holds
data-format = Format
data-file-courses-csv = The course finder's courses, one row per run (a course without runs is one row).
data-file-codebook-csv = The codebook the measures are coded with: codes, parents, labels and descriptions in three languages.
data-file-codebook-json = The same codebook as JSON.
data-file-measures-csv = The observatory's published measures, one row per measure.
data-file-measures-json = The same measures as JSON.
data-file-measures-changes-csv = Every change to every field of every measure: when, what, before and after, why, and who (a name or a role, never an e-mail address).
data-file-resources-csv = The knowledge base's publications, guides, protocols and teaching resources.
data-file-datapackage-json = The Frictionless data package describing these files, their columns and the licence.
data-spreadsheets = In the CSV files a cell whose text starts with =, +, -, @, a tab or a carriage return gets one more apostrophe in front, so that a spreadsheet shows it as text instead of running it as a formula; Faro's own imports remove it.
data-releases-intro = Frozen copies of every file, kept byte for byte: cite a release to point at the data as it was.
data-no-releases = No release yet.
data-releases-json = The releases as JSON
corrections-feed-entry = Correction #{ $id } to measure { $measure }
obs-feed = Atom feed of new and changed measures
corrections-feed = Atom feed of accepted corrections
date-month-year = { $month } { $year }
history-yes = yes
history-no = no
reason-demo = demonstration data from the 2020 series report
reason-correction = correction #{ $id }
reason-import = import of
reason-harvest = harvest of
reason-scheduled-harvest = scheduled harvest of
facet-more = { $count ->
    [0] Show 0 more values
    [one] Show 1 more value
   *[other] Show { $count } more values
}
