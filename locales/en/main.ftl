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

home-title = The network at a glance
home-lead = Vocational training institutions of Latin America, the Caribbean and Spain, answering a crisis together: who they are, what they did, what they share.
home-glance = In numbers
stat-members = { $count ->
    [one] member institution
   *[other] member institutions
}
stat-countries = { $count ->
    [one] country with members
   *[other] countries with members
}
stat-presenters = { $count ->
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
