#!/usr/bin/env python3
"""Writes the XLSForms of Faro's reader tests (tests/data/xlsform/*.xlsx) and
forms.json, which says for each form what the test expects:

  agree          pyxform accepts it and Faro's reading must equal pyxform's XForm
  both_refuse    pyxform (with ODK Validate) refuses it and so must Faro
  faro_stricter  pyxform accepts it but Faro refuses by design (an unsupported
                 type; a label missing in a declared language, where pyxform
                 silently writes "-")

`faro_says` lists texts Faro's problems must contain (row, column, language).
Run: python3 tests/data/xlsform/generate.py   (needs openpyxl)
The .xlsx files are committed; rerunning rewrites them identically in content.
"""
import json
import os
import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
FORMS = []


def form(name, expect, survey, choices=None, settings=None, faro_says=(), note=""):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "survey"
    for r in survey:
        ws.append(list(r))
    if choices is not None:
        c = wb.create_sheet("choices")
        for r in choices:
            c.append(list(r))
    if settings is not None:
        s = wb.create_sheet("settings")
        for r in settings:
            s.append(list(r))
    wb.save(os.path.join(HERE, name + ".xlsx"))
    FORMS.append({"file": name + ".xlsx", "expect": expect, "faro_says": list(faro_says), "note": note})


S = ["type", "name", "label", "hint", "required", "relevant", "constraint", "constraint_message", "calculation", "appearance", "default", "read_only"]


def row(type_, name, label="", **kw):
    return [type_, name, label] + [kw.get(k, "") for k in S[3:]]


YN = [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]]

form("types_basic", "agree", [S,
    row("text", "name_of_unit", "Name of the unit"),
    row("integer", "staff", "Staff", hint="People employed"),
    row("decimal", "budget_share", "Share of budget"),
    row("date", "closed_on", "Closed on"),
    row("note", "thanks", "Thank you"),
    row("acknowledge", "consent", "I agree"),
])

form("selects", "agree", [S,
    row("select_one yn", "closed", "Closed?", required="yes"),
    row("select_multiple modes", "modes", "Modes"),
    row("select_one yn_o or_other", "other_one", "One with other"),
    row("select_multiple modes_o or_other", "other_many", "Many with other"),
], YN + [["modes", "online", "Online"], ["modes", "tv", "TV"], ["modes", "radio", "Radio"],
         ["yn_o", "yes", "Yes"], ["yn_o", "no", "No"], ["modes_o", "online", "Online"], ["modes_o", "tv", "TV"]])

form("groups_field_list", "agree", [S,
    row("begin_group", "profile", "Profile", appearance="field-list"),
    row("text", "unit", "Unit"),
    row("integer", "centres", "Centres"),
    row("end_group", ""),
    row("begin_group", "outer", "Outer", relevant="${centres} > 0"),
    row("begin_group", "inner", "Inner"),
    row("text", "deep", "Deep"),
    row("end_group", ""),
    row("end_group", ""),
])

form("repeat_measures", "agree", [S,
    row("integer", "how_many", "How many measures?"),
    row("begin_repeat", "measure", "Measure"),
    row("text", "measure_title", "Title of the measure", required="yes"),
    row("select_one yn", "measure_ongoing", "Still ongoing?"),
    row("end_repeat", ""),
    row("note", "done", "Done"),
], YN)

form("calculate_arithmetic", "agree", [S,
    row("integer", "a", "A"),
    row("integer", "b", "B"),
    row("calculate", "sum", calculation="${a} + ${b}"),
    row("calculate", "diff", calculation="${a} - ${b}"),
    row("calculate", "prod", calculation="${a} * ${b}"),
    row("calculate", "ratio", calculation="${a} div ${b}"),
    row("calculate", "rest", calculation="${a} mod ${b}"),
    row("calculate", "neg", calculation="-(${a} + 1)"),
    row("note", "show", "Sum is ${sum}"),
])

form("functions_text", "agree", [S,
    row("text", "code", "Code", constraint="regex(., '^[A-Z]{2,5}$')", constraint_message="Two to five capitals"),
    row("text", "why", "Why", constraint="string-length(.) <= 200"),
    row("calculate", "label_all", calculation="concat(${code}, ': ', ${why})"),
    row("calculate", "code_or", calculation="coalesce(${code}, 'none')"),
])

form("functions_select", "agree", [S,
    row("select_multiple modes", "modes", "Modes"),
    row("text", "tv_detail", "Which channel?", relevant="selected(${modes}, 'tv')"),
    row("integer", "n_modes_check", "Confirm the number", constraint=". = count-selected(${modes})"),
    row("text", "not_online", "Why not online?", relevant="not(selected(${modes}, 'online'))"),
], [["list_name", "name", "label"], ["modes", "online", "Online"], ["modes", "tv", "TV"]])

form("functions_number_date", "agree", [S,
    row("text", "typed", "Typed number"),
    row("calculate", "as_number", calculation="number(${typed})"),
    row("calculate", "as_int", calculation="int(${typed})"),
    row("date", "reopened", "Reopened on", constraint=". <= today()"),
    row("calculate", "size", calculation="if(${as_int} > 100, 'large', 'small')"),
])

form("comparisons", "agree", [S,
    row("integer", "x", "X"),
    row("text", "eq", "Eq", relevant="${x} = 1"),
    row("text", "ne", "Ne", relevant="${x} != 1"),
    row("text", "lt", "Lt", relevant="${x} < 1 or ${x} <= 0"),
    row("text", "gt", "Gt", relevant="${x} > 1 and ${x} >= 2"),
    row("text", "paren", "Paren", relevant="(${x} > 1 or ${x} < -1) and not(${x} = 5)"),
])

TR = ["type", "name", "label::Español (es)", "label::English (en)", "label::Português (pt)",
      "hint::Español (es)", "hint::English (en)", "hint::Português (pt)", "required",
      "required_message::Español (es)", "required_message::English (en)", "required_message::Português (pt)",
      "constraint", "constraint_message::Español (es)", "constraint_message::English (en)", "constraint_message::Português (pt)"]
form("translations", "agree", [TR,
    ["integer", "centres", "Centros", "Centres", "Centros", "Número", "Number", "Número", "yes",
     "Obligatorio", "Required", "Obrigatório", ". >= 0", "No negativo", "Not negative", "Não negativo"],
    ["select_one yn", "closed", "¿Cerrado?", "Closed?", "Fechado?", "", "", "", "", "", "", "", "", "", "", ""],
], [["list_name", "name", "label::Español (es)", "label::English (en)", "label::Português (pt)"],
    ["yn", "yes", "Sí", "Yes", "Sim"], ["yn", "no", "No", "No", "Não"]],
    [["form_title", "form_id", "version", "default_language"], ["Encuesta", "tr", "2020", "Español (es)"]])

form("choice_filter", "agree", [
    ["type", "name", "label", "choice_filter"],
    ["select_one country", "country", "Country", ""],
    ["select_one vti", "vti", "Institution", "country = ${country}"],
], [["list_name", "name", "label", "country"],
    ["country", "br", "Brazil", ""], ["country", "co", "Colombia", ""],
    ["vti", "senai", "SENAI", "br"], ["vti", "senac", "SENAC", "br"], ["vti", "sena", "SENA", "co"]])

form("defaults_appearance", "agree", [S,
    row("integer", "year", "Year", default="2020", read_only="yes"),
    row("select_one yn", "shown", "Shown as a list", appearance="minimal"),
    row("text", "story", "Tell us", appearance="multiline"),
    row("text", "fixed", "Fixed", default="n/a", read_only="yes"),
], YN)

form("settings_only", "agree", [S, row("text", "q", "Q")], None,
     [["form_title", "form_id", "version"], ["Settings form", "settings_form", "7"]])

form("mixed_label_columns", "agree", [
    ["type", "name", "label", "label::English (en)", "label::Español (es)"],
    ["text", "q1", "Default text", "English text", "Texto"],
    ["text", "q2", "", "English two", "Dos"],
])

form("required_relevant_together", "agree", [S,
    row("select_one yn", "had_measures", "Measures?", required="true"),
    row("text", "which", "Which?", required="yes", relevant="${had_measures} = 'yes'"),
    row("integer", "count", "How many?", required="yes", relevant="${had_measures} = 'yes'", constraint=". > 0 and . < 1000", constraint_message="Between 1 and 999"),
], YN)

form("err_unknown_reference", "both_refuse", [S,
    row("text", "a", "A"),
    row("text", "b", "B", relevant="${nosuch} = 'x'"),
], faro_says=["row 3", "relevant", "${nosuch}"])

form("err_unknown_list", "both_refuse", [S,
    row("select_one nolist", "a", "A"),
], YN, faro_says=["row 2", "nolist"])

form("err_duplicate_name", "both_refuse", [S,
    row("text", "a", "A"),
    row("integer", "a", "A again"),
], faro_says=["row 3", "already used at row 2"])

form("err_group_not_closed", "both_refuse", [S,
    row("begin_group", "g", "G"),
    row("text", "a", "A"),
], faro_says=["row 2", "never closed"])

form("err_end_without_begin", "both_refuse", [S,
    row("text", "a", "A"),
    row("end_group", ""),
], faro_says=["row 3", "without a matching begin"])

form("err_repeat_closed_by_group", "both_refuse", [S,
    row("begin_repeat", "r", "R"),
    row("text", "a", "A"),
    row("end_group", ""),
], faro_says=["row 4", "closes the repeat opened at row 2"])

form("err_circular_calculation", "both_refuse", [S,
    row("calculate", "x", calculation="${y} + 1"),
    row("calculate", "y", calculation="${x} * 2"),
    row("text", "t", "T"),
], faro_says=["circular calculation", "${x} (row 2)", "${y} (row 3)"])

form("err_bad_syntax", "both_refuse", [S,
    row("integer", "a", "A", constraint=". > > 3"),
], faro_says=["row 2", "constraint", "does not parse"])

form("err_unknown_function", "faro_stricter", [S,
    row("integer", "a", "A", constraint="bogus-function(.) > 3"),
], faro_says=["row 2", "unknown function bogus-function"], note="ODK Validate lets an unknown function through; it would fail when the form is filled")

form("err_many_at_once", "both_refuse", [S,
    row("text", "a", "A"),
    row("text", "a", "Again"),
    row("select_one missing_list", "b", "B"),
    row("text", "c", "C", relevant="${ghost} = 1"),
], YN, faro_says=["row 3", "row 4", "row 5", "missing_list", "${ghost}"])

form("err_missing_translation", "faro_stricter", [
    ["type", "name", "label::Español (es)", "label::English (en)", "label::Português (pt)"],
    ["text", "a", "A es", "A en", "A pt"],
    ["text", "b", "B es", "B en", ""],
], faro_says=["row 3", "Português (pt)", "label::Português (pt)"],
    note="pyxform accepts and writes '-' as the Portuguese label")

form("err_unsupported_type", "faro_stricter", [S,
    row("text", "a", "A"),
    row("geopoint", "where", "Where?"),
    row("image", "photo", "Photo"),
], faro_says=["row 3", "geopoint", "row 4", "image"],
    note="pyxform accepts geopoint and image; Faro does not collect them")

with open(os.path.join(HERE, "forms.json"), "w") as f:
    json.dump(FORMS, f, indent=1)
    f.write("\n")
print(f"{len(FORMS)} forms written")
